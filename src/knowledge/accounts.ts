/**
 * Accounts a Dockerfile creates with useradd, adduser (Debian's and
 * BusyBox's), groupadd and addgroup: the passwd entries runc later reads to
 * set HOME for `USER` (RUNC-HOME), and the ids a cache mount's uid/gid must
 * match. Only literal arguments count; nothing is executed.
 */
import type { Invocation } from '../commands/index.js';

export interface Account {
  name: string;
  uid?: number;
  /** Primary group: a number, or a group name to look up. */
  group?: number | string;
  home: string;
}

export interface Group {
  name: string;
  gid?: number;
}

export const ACCOUNT_PROGRAMS: readonly string[] = ['useradd', 'adduser', 'groupadd', 'addgroup'];

/** useradd options that take a value (SHADOW-USERADD). */
const USERADD_VALUE = new Set(['-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '--home', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid', '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-s', '--shell', '-u', '--uid', '-R', '--root', '-P', '--prefix', '-Z', '--selinux-user']);
/** BusyBox adduser/addgroup options that take a value (BUSYBOX-ADDUSER). */
const BUSYBOX_VALUE = new Set(['-h', '-g', '-s', '-G', '-u', '-k']);
/** Debian adduser/addgroup options that take a value (DEBIAN-ADDUSER). */
const DEBIAN_VALUE = new Set(['--home', '--shell', '--uid', '--gid', '--ingroup', '--gecos', '--comment', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--add-extra-groups', '--conf', '--extrausers']);

interface Parsed {
  options: Map<string, string | true>;
  operands: string[];
}

/** Options (with `--opt=value`, `-xVALUE` and bundled short flags) and operands. */
function parseOptions(args: string[], takesValue: Set<string>): Parsed {
  const options = new Map<string, string | true>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) options.set(a.slice(0, eq), a.slice(eq + 1));
      else if (takesValue.has(a)) options.set(a, args[++i] ?? '');
      else options.set(a, true);
    } else if (a.startsWith('-') && a.length > 1) {
      // -mU, -md /home/x, -u1000
      for (let k = 1; k < a.length; k++) {
        const flag = `-${a[k]}`;
        if (takesValue.has(flag)) {
          options.set(flag, k + 1 < a.length ? a.slice(k + 1) : (args[++i] ?? ''));
          break;
        }
        options.set(flag, true);
      }
    } else {
      operands.push(a);
    }
  }
  return { options, operands };
}

function value(p: Parsed, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = p.options.get(n);
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function numberOrName(text: string | undefined): number | string | undefined {
  if (text === undefined || text === '') return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}

function id(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The accounts and groups one command creates (none when its words are not literal). */
export function accountsCreatedBy(inv: Invocation): { accounts: Account[]; groups: Group[] } {
  const none = { accounts: [], groups: [] };
  if (!ACCOUNT_PROGRAMS.includes(inv.program) || inv.literal.some((l) => !l)) return none;
  const debianStyle = inv.args.some((a) => a.startsWith('--'));
  switch (inv.program) {
    case 'useradd': {
      const p = parseOptions(inv.args, USERADD_VALUE);
      const name = p.operands[p.operands.length - 1];
      if (!name) return none;
      const home = value(p, '-d', '--home-dir', '--home') ?? `${(value(p, '-b', '--base-dir') ?? '/home').replace(/\/+$/, '')}/${name}`;
      // -U (the default on Debian) makes a group named after the user.
      return { accounts: [{ name, uid: id(value(p, '-u', '--uid')), group: numberOrName(value(p, '-g', '--gid')) ?? name, home }], groups: [] };
    }
    case 'adduser': {
      if (debianStyle || inv.args.every((a) => !a.startsWith('-'))) {
        const p = parseOptions(inv.args, DEBIAN_VALUE);
        const [name, group] = p.operands;
        if (!name) return none;
        if (group) return none; // `adduser USER GROUP` adds an existing user to a group
        const system = p.options.has('--system');
        const home = value(p, '--home') ?? (system ? '/nonexistent' : `/home/${name}`);
        return { accounts: [{ name, uid: id(value(p, '--uid')), group: numberOrName(value(p, '--gid', '--ingroup')) ?? name, home }], groups: [] };
      }
      const p = parseOptions(inv.args, BUSYBOX_VALUE);
      const name = p.operands[0];
      if (!name) return none;
      return { accounts: [{ name, uid: id(value(p, '-u')), group: numberOrName(value(p, '-G')) ?? name, home: value(p, '-h') ?? `/home/${name}` }], groups: [] };
    }
    case 'groupadd': {
      const p = parseOptions(inv.args, new Set(['-g', '--gid', '-K', '--key', '-p', '--password', '-R', '--root', '-P', '--prefix']));
      const name = p.operands[p.operands.length - 1];
      return name ? { accounts: [], groups: [{ name, gid: id(value(p, '-g', '--gid')) }] } : none;
    }
    case 'addgroup': {
      const p = parseOptions(inv.args, debianStyle ? DEBIAN_VALUE : BUSYBOX_VALUE);
      if (p.operands.length !== 1) return none; // `addgroup USER GROUP` adds a user to a group
      return { accounts: [], groups: [{ name: p.operands[0], gid: id(value(p, '--gid', '-g')) }] };
    }
    default:
      return none;
  }
}
