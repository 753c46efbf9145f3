import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Invocation } from '../../src/commands/index.js';
import { aptLockUses } from '../../src/knowledge/index.js';

const inv = (line: string): Invocation => {
  const [program, ...args] = line.split(' ');
  return { program, args, literal: args.map(() => true), assignments: {}, range: { start: 0, end: 0 }, nameRange: { start: 0, end: 0 }, via: [], flocks: [] };
};
const locks = (line: string) => aptLockUses(inv(line)).map((l) => l.lockFile);

describe('apt locks', () => {
  const cases: Array<[string, string[]]> = [
    ['apt-get update', ['/var/lib/apt/lists/lock']],
    ['apt-get -y --no-install-recommends install vim', ['/var/cache/apt/archives/lock']],
    ['apt install -y vim', ['/var/cache/apt/archives/lock']],
    ['aptitude safe-upgrade', ['/var/cache/apt/archives/lock']],
    ['apt-get clean', ['/var/cache/apt/archives/lock']],
    ['apt-get -t bookworm-backports install x', ['/var/cache/apt/archives/lock']],
    ['apt-get -o Dir::Cache::archives=/srv/debs install x', ['/srv/debs/lock']],
    ['apt-get -o Dir::State=/srv/state update', ['/srv/state/lists/lock']],
    ['apt-get -s install x', []],
    ['apt-get --print-uris install x', []],
    ['apt-get -o Debug::NoLocking=1 install x', []],
    ['apt-get download x', []],
    ['apt-cache policy x', []],
    ['apt-get', []],
  ];
  for (const [line, expected] of cases) it(line, () => assert.deepEqual(locks(line), expected));
});
