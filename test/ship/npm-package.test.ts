/**
 * The release tarball as a user with only Node installs it: `npm pack`, then
 * `npm install -g ./mountlint-X.Y.Z.tgz` into a scratch prefix (the registry
 * gives the runtime dependencies; no development dependency is installed),
 * and the installed command lints, fixes, prints its version and serves LSP.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string>; dependencies: Record<string, string> };

describe('npm pack, then npm install -g of the tarball', () => {
  it('installs into a scratch prefix with the runtime dependencies only, and the command works', () => {
    const scratch = scratchDir('mountlint-npm-');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: REPO_ROOT, encoding: 'utf8' })) as Array<{ filename: string }>;
    assert.equal(packed.filename, `mountlint-${pkg.version}.tgz`);
    const prefix = join(scratch, 'prefix');
    // From the scratch folder, so that this repository's .npmrc and package.json play no part.
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', `./${packed.filename}`], { cwd: scratch, encoding: 'utf8', timeout: 300_000 });
    assert.equal(install.status, 0, install.stderr);
    const installed = join(prefix, 'lib/node_modules/mountlint');
    const modules = readdirSync(join(installed, 'node_modules')).flatMap((d) => (d.startsWith('@') ? readdirSync(join(installed, 'node_modules', d)).map((n) => `${d}/${n}`) : [d]));
    // Development dependencies no runtime dependency needs (vscode-languageserver-protocol is one of vscode-languageserver's).
    for (const dev of Object.keys(pkg.devDependencies).filter((d) => d !== 'vscode-languageserver-protocol')) assert.ok(!modules.includes(dev), `${dev} (a development dependency) was installed`);
    for (const dep of Object.keys(pkg.dependencies)) assert.ok(modules.includes(dep), `${dep} is missing`);

    const bin = join(prefix, 'bin/mountlint');
    const run = (args: string[], input?: string) => spawnSync(bin, args, { cwd: scratch, input, encoding: 'utf8' });
    const version = run(['--version']);
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, new RegExp(`^${pkg.version.replace(/\./g, '\\.')}\\nknowledge [0-9a-f]{12}: `));
    const seed = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
    const lint = run(['-'], seed);
    assert.equal(lint.status, 1, lint.stderr);
    assert.match(lint.stdout, /^<stdin>:3:5: error: Cache race/m);
    writeFileSync(join(scratch, 'Dockerfile'), seed);
    assert.equal(run(['--fix', 'Dockerfile']).status, 0);
    assert.match(readFileSync(join(scratch, 'Dockerfile'), 'utf8'), /sharing=locked/);
    const bad = run(['missing/Dockerfile']);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.ok(existsSync(join(installed, 'dist/mountlint-lsp.cjs')));
    assert.ok(existsSync(join(installed, 'CHANGELOG.md')));
  });
});
