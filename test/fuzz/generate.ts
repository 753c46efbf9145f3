/**
 * Generators of Dockerfile-shaped input for the fuzz tests (test/fuzz.test.ts)
 * and the campaign (scripts/fuzz-campaign.ts). Everything is drawn from one
 * seeded PRNG, so a case is replayed from its seed: multi-stage files with
 * every instruction, flags, `--mount` options (valid and not), heredocs, line
 * continuations (and the escape directive), variables nested in `${…}`, and
 * text where bytes, UTF-16 units and code points part ways: emoji outside
 * the BMP, combining marks, ZWJ sequences, CRLF, a byte-order mark, and bytes
 * that are not UTF-8 (through the byte path the CLI reads files with).
 */
import type { LintOptions } from '../../src/engine/index.js';
import { mutate } from '../helpers/mutate.js';
import { random } from '../helpers/random.js';

export { mutate, random };
export type Rand = () => number;

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
const chance = (rand: Rand, p: number) => rand() < p;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

/**
 * Text where columns and bytes part ways: CJK, accents precomposed and
 * combining, emoji outside the BMP, a ZWJ family, a flag, right-to-left text,
 * a no-break space and a variation selector.
 */
export const MULTIBYTE = ['日本語', 'é', 'e\u0301', 'ü', '😀', 'ñandú', '👨‍👩‍👧', 'Ω', '中', '🇫🇷', 'שלום', 'a\u00a0b', '☃\ufe0f', '𝔘'];

/** Shell words and operators, multibyte text among them. */
const SCRIPT_TOKENS = [
  'apt-get', 'update', 'install', '-y', 'apt', 'pip', 'npm', 'ci', 'yarn', 'go', 'build', 'cargo', 'make', 'echo', 'true', 'rm', '-rf',
  '&&', '||', ';', '|', '\n', '\\\n', '2>&1', '>/dev/null', '"$X"', '${Y}', "'a b'", '"q r"', 'A=1', '--no-cache-dir', '/var/cache/apt',
  'if', 'then', 'fi', '[', ']', '$(ls)', '`date`', '#c', '~/x', '*.deb', 'flock', '/tmp/l', 'sh', '-c', "'apt-get update'",
  '${X:-${Y:-z}}', '"${A:+$B}"', 'cd', '/src', 'su', 'app', '(', ')', '{', '}', 'for', 'in', 'do', 'done', 'export', 'V=2',
  ...MULTIBYTE, ...MULTIBYTE.map((t) => `"${t}"`), ...MULTIBYTE.map((t) => `'${t} x'`),
];

/** A word of random characters from a wide alphabet: what no token list foresees. */
function randomWord(rand: Rand): string {
  const chars = Array.from('abcxyzAZ019_-./=:,@%+^!?*~#$"\'\\`(){}[]<>&|; \té日😀\u0301');
  let out = '';
  for (let i = 1 + int(rand, 8); i > 0; i--) out += pick(rand, chars);
  return out;
}

/** A shell script from tokens, with random words among them (`randomWords`: their share). */
export function generateScript(rand: Rand, randomWords = 0.15): string {
  const parts: string[] = [];
  for (let i = 1 + int(rand, 10); i > 0; i--) {
    parts.push((chance(rand, randomWords) ? randomWord(rand) : pick(rand, SCRIPT_TOKENS)) + pick(rand, [' ', ' ', '', '  ']));
  }
  return parts.join('');
}

/** `$X`, `${X}`, and `${X:-…}` / `${X:+…}` / `${X#…}` nested up to `depth` levels. */
export function generateVariable(rand: Rand, depth = 4): string {
  const name = pick(rand, ['X', 'V', 'HOME', 'ID', 'TARGETPLATFORM', 'TARGETARCH', 'BUILDPLATFORM', 'UNSET', 'A_1']);
  if (depth <= 0 || chance(rand, 0.3)) return chance(rand, 0.5) ? `$${name}` : `\${${name}}`;
  const inner = chance(rand, 0.6) ? generateVariable(rand, depth - 1) : pick(rand, ['x', '', '/c', ...MULTIBYTE]);
  return `\${${name}${pick(rand, [':-', ':+', '-', '+', '#', '%', '##', '%%', ':?'])}${inner}}`;
}

const CACHE_TARGETS = [
  '/var/cache/apt', '/var/lib/apt/lists', '/root/.cache/pip', '/root/.npm', '/usr/local/cargo/registry', '/root/.cache/go-build',
  '/go/pkg/mod', '/root/.cache/yarn', '/home/app/.cache', '/c', '/日本', '$HOME/.cache', '${CACHE:-/c}', 'relative/dir', '/',
];
const TOOL_SCRIPTS = [
  'apt-get update && apt-get install -y curl',
  'apt update && apt -y install vim',
  'pip install -r requirements.txt',
  'npm ci',
  'yarn install',
  'cargo build --release',
  'go build ./...',
  'go mod download',
  'pnpm install --frozen-lockfile',
  'ccache -s && make',
  'if [ -n "$(ls)" ]; then apt-get install -y x; fi',
  'echo "日本語" && if true; then apt-get update; fi',
  'cd /src && su app -c "npm ci"',
  'apk add --no-cache git',
];

/** One `--mount=…` flag: mostly cache mounts, some of every other type, some malformed. */
export function generateMount(rand: Rand, stages: number, target = pick(rand, CACHE_TARGETS)): string {
  const type = pick(rand, ['cache', 'cache', 'cache', 'cache', 'bind', 'tmpfs', 'secret', 'ssh', 'bogus']);
  const opts = chance(rand, 0.9) ? [`type=${type}`] : [];
  opts.push(`${pick(rand, ['target', 'target', 'dst', 'destination'])}=${target}`);
  if (chance(rand, 0.3)) opts.push(`sharing=${pick(rand, ['shared', 'locked', 'private', 'Locked', ''])}`);
  if (chance(rand, 0.2)) opts.push(`id=${pick(rand, ['apt', '${ID}', 'x-$TARGETARCH', '日本', generateVariable(rand, 2)])}`);
  if (chance(rand, 0.1)) opts.push(pick(rand, ['uid=1000', 'gid=1000', 'mode=0777', 'mode=x', 'uid=-1']));
  if (chance(rand, 0.08)) opts.push(pick(rand, ['readonly', 'ro', 'rw=true', 'required', 'readonly=false']));
  if (chance(rand, 0.1) && stages > 0) opts.push(`from=s${int(rand, stages)}`, `source=${pick(rand, ['/', '/x', '.'])}`);
  if (chance(rand, 0.04)) opts.push(pick(rand, ['size=10m', 'unknown=1', '=', 'type', ',,']));
  if (chance(rand, 0.15)) opts.sort(() => rand() - 0.5);
  const value = opts.join(',');
  return `--mount=${chance(rand, 0.1) ? `"${value}"` : value}`;
}

/** A heredoc opener and its body (`<<EOF`, `<<-EOF`, quoted delimiters). */
function heredoc(rand: Rand, script: string): { opener: string; body: string } {
  const word = pick(rand, ['EOF', 'EOT', 'SCRIPT', 'e']);
  const form = pick(rand, ['<<', '<<-', '<<']);
  const quote = pick(rand, ['', '', "'", '"']);
  const lines = [`${form === '<<-' ? '\t' : ''}${script.replace(/\\\n/g, '')}`, pick(rand, ['echo "é $X"', 'true', '\t${X:-日本}', 'apt-get install -y z'])];
  return { opener: `${form}${quote}${word}${quote}`, body: `${lines.join('\n')}\n${word}` };
}

/** A RUN instruction: flags (mounts among them), then a shell or exec form, a heredoc or two. */
function runInstruction(rand: Rand, stages: number): string {
  const flags: string[] = [];
  const targets = [...CACHE_TARGETS].sort(() => rand() - 0.5).slice(0, int(rand, 4));
  // Sometimes two mounts on one target, and two identical flags.
  if (targets.length && chance(rand, 0.05)) targets.push(targets[0]);
  for (const target of targets) flags.push(generateMount(rand, stages, target));
  if (chance(rand, 0.05)) flags.push(pick(rand, ['--network=host', '--network=none', '--security=insecure', '--device=x', '--bogus']));
  flags.sort(() => rand() - 0.5);
  const script = chance(rand, 0.55) ? pick(rand, TOOL_SCRIPTS) : generateScript(rand, 0.08);
  let body: string;
  const form = rand();
  if (form < 0.1) {
    const doc = heredoc(rand, script);
    body = `${doc.opener}${chance(rand, 0.3) ? ' && echo done' : ''}\n${doc.body}`;
    if (chance(rand, 0.2)) body = `${doc.opener} cat <<X2\n${doc.body}\nx ${generateVariable(rand, 2)}\nX2`;
  } else if (form < 0.16) {
    body = JSON.stringify(['sh', '-c', script]);
  } else if (form < 0.2) {
    body = `["apt-get", "install", ${chance(rand, 0.5) ? '"-y"' : '-y'}]`;
  } else {
    const prefix = chance(rand, 0.3) ? `echo "${pick(rand, MULTIBYTE)} ${generateVariable(rand, 3)}" && ` : '';
    body = `${prefix}${script.replace(/\n/g, ' ')}`;
  }
  return `RUN ${flags.join(' ')}${flags.length ? ' ' : ''}${body}`;
}

/** Any other instruction (or a comment) a stage may have. */
function otherInstruction(rand: Rand, stage: number): string {
  const value = () => pick(rand, ['1', '/home/u', '"x y"', 'x\\ y', generateVariable(rand, 3), ...MULTIBYTE]);
  const name = () => pick(rand, ['A', 'HOME', 'PIP_NO_CACHE_DIR', 'V', 'ID', 'CACHE', 'TARGETPLATFORM', 'DEBIAN_FRONTEND', 'npm_config_cache', 'X']);
  switch (int(rand, 16)) {
    case 0: return `ENV ${name()}=${value()}${chance(rand, 0.3) ? ` ${name()}=${value()}` : ''}`;
    case 1: return `ENV ${name()} ${value()}`;
    case 2: return `ARG ${name()}${chance(rand, 0.5) ? `=${value()}` : ''}`;
    case 3: return `USER ${pick(rand, ['root', '1000', 'app', '1000:1000', 'app:app', '$U', '日本'])}`;
    case 4: return `WORKDIR ${pick(rand, ['/src', '/app', '/日本', 'rel', '$HOME/x'])}`;
    case 5: return stage > 0 ? `COPY --from=s${int(rand, stage)} /out /in${stage}` : 'COPY . /src';
    case 6: return `COPY ${pick(rand, ['--chown=app:app ', '--link ', '--chmod=644 ', ''])}${pick(rand, ['a b /d/', '["a", "/b"]', `<<EOF /f\n${pick(rand, MULTIBYTE)}\nEOF`])}`;
    case 7: return `ADD ${pick(rand, ['https://x/y.tar.gz /t/', 'a.tar /x', '--checksum=sha256:00 x /y'])}`;
    case 8: return 'RUN rm -f /etc/apt/apt.conf.d/docker-clean';
    case 9: return `SHELL ${pick(rand, ['["/bin/bash", "-c"]', '["cmd", "/S", "/C"]', '["sh", "-ec"]'])}`;
    case 10: return `# ${pick(rand, ['comment', 'mountlint ignore=cache-race', 'mountlint global ignore=all reason=x', 'mountlint ignore=bogus', ...MULTIBYTE])}`;
    case 11: return `${pick(rand, ['CMD', 'ENTRYPOINT'])} ${pick(rand, ['["x"]', 'x y', '["a", "😀"]'])}`;
    case 12: return `${pick(rand, ['LABEL a=b', 'EXPOSE 80/tcp', 'VOLUME /v', 'STOPSIGNAL SIGTERM', 'HEALTHCHECK CMD true', 'MAINTAINER x'])}`;
    case 13: return `ONBUILD ${pick(rand, ['RUN apt-get update', 'RUN --mount=type=cache,target=/c true', 'COPY . /x'])}`;
    case 14: return pick(rand, ['', '   ', '\t']);
    default: return `run ${generateScript(rand, 0.1).replace(/\n/g, ' ')}`; // lower case
  }
}

export interface GeneratedCase {
  text: string;
  options: LintOptions;
  /** The bytes of the file when the case goes through the byte path (some of them not UTF-8). */
  bytes?: Uint8Array;
}

/** Line continuations between words of an instruction (`\` or, with the escape directive, a backtick). */
function continueLines(rand: Rand, line: string, escape: string): string {
  if (line.includes('\n') || !chance(rand, 0.15)) return line;
  return line.replace(/ (?=--|&&|\S)/g, (m) => (chance(rand, 0.3) ? ` ${escape}\n${pick(rand, ['', '  ', '\t', '# note\n  ', '\n  '])}` : m));
}

/** A random multi-stage Dockerfile and the build options to lint it with. */
export function generateDockerfile(rand: Rand): GeneratedCase {
  const lines: string[] = [];
  const escape = chance(rand, 0.05) ? '`' : '\\';
  if (chance(rand, 0.2)) lines.push(pick(rand, ['# syntax=docker/dockerfile:1', '# syntax=docker/dockerfile:1.4', '#syntax=x']));
  if (escape === '`') lines.push('# escape=`');
  if (chance(rand, 0.3)) lines.push(`ARG BASE=debian:bookworm`);
  if (chance(rand, 0.1)) lines.push(`ARG ${pick(rand, ['ID', 'X', 'CACHE'])}=${generateVariable(rand, 3)}`);
  const stages = 1 + int(rand, 4);
  for (let s = 0; s < stages; s++) {
    const base = s > 0 && chance(rand, 0.25) ? `s${int(rand, s)}` : pick(rand, ['debian:bookworm', 'ubuntu:22.04', 'python:3.12', 'node:20', 'rust:1', 'golang:1.22', '${BASE}', 'alpine', 'scratch']);
    const platform = chance(rand, 0.15) ? `--platform=${pick(rand, ['$BUILDPLATFORM', 'linux/arm64', '${TARGETPLATFORM}'])} ` : '';
    lines.push(`${pick(rand, ['FROM', 'FROM', 'from'])} ${platform}${base}${chance(rand, 0.9) ? ` AS s${s}` : ''}`);
    for (let i = int(rand, 6); i > 0; i--) lines.push(continueLines(rand, chance(rand, 0.45) ? runInstruction(rand, s) : otherInstruction(rand, s), escape));
  }
  if (stages > 1 && chance(rand, 0.6)) {
    lines.push('FROM scratch AS final');
    for (let s = 0; s < stages; s++) if (chance(rand, 0.8)) lines.push(`COPY --from=s${s} /x /x${s}`);
  }
  const options: LintOptions = {};
  if (chance(rand, 0.2)) options.platforms = pick(rand, [['linux/amd64', 'linux/arm64'], ['linux/arm/v7'], ['linux/amd64', 'linux/386', 'linux/arm64']]);
  if (chance(rand, 0.15)) options.target = `s${int(rand, stages)}`;
  if (chance(rand, 0.1)) options.frontend = 'docker-20.10';
  if (chance(rand, 0.1)) options.buildArgs = { TARGETPLATFORM: pick(rand, ['x', 'linux/arm64']), ID: 'i' };
  if (chance(rand, 0.05)) options.concurrentBuilds = true;

  const eol = pick(rand, ['\n', '\n', '\n', '\n', '\r\n', 'mixed']);
  let text = lines.map((l, i) => l + (eol === 'mixed' ? pick(rand, ['\n', '\r\n']) : i < lines.length - 1 || chance(rand, 0.9) ? eol : '')).join('');
  if (eol !== 'mixed' && eol !== '\n') text = text.replace(/(?<!\r)\n/g, eol); // heredoc bodies too
  if (chance(rand, 0.05)) text = '\ufeff' + text;
  if (chance(rand, 0.15)) text = mutate(rand, text);
  if (chance(rand, 0.1)) return { text, options, bytes: withRawBytes(rand, text) };
  return { text, options };
}

/** The text's UTF-8 with bytes that are not UTF-8 put in: Latin-1 letters, stray continuation bytes, a cut sequence. */
function withRawBytes(rand: Rand, text: string): Uint8Array {
  let bytes = Buffer.from(text, 'utf8');
  for (let k = 1 + int(rand, 3); k > 0; k--) {
    // At a line start, a space or the end of a comment, so that the file mostly still parses.
    const spots = [...bytes.keys()].filter((i) => bytes[i] === 0x20 || bytes[i] === 0x0a);
    const at = spots.length ? pick(rand, spots) : 0;
    const raw = pick(rand, [[0xe9], [0x80], [0xff], [0xe6, 0x97], [0xc3], [0xed, 0xa0, 0x80], [0x63, 0x61, 0x66, 0xe9]]);
    bytes = Buffer.concat([bytes.subarray(0, at + 1), Buffer.from(raw), bytes.subarray(at + 1)]);
  }
  return bytes;
}
