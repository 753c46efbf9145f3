/**
 * Why mountlint has its own Dockerfile parser: dockerfile-ast (the parser
 * under dockerfile-utils) measured against BuildKit's parser test data, and
 * both parsers' speed on the same files.
 * For each BuildKit case we rebuild BuildKit's AST dump from dockerfile-ast's
 * tree (keyword, flags as written, arguments) and compare.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { loadCorpus, ROOT } from './corpus.mjs';

const syntax = await import(`${ROOT}/dist/src/syntax/index.js`);
const dir = join(ROOT, '..', 'shared/conformance/buildkit/frontend/dockerfile/parser/testfiles');
const q = syntax.goQuote;

function astDump(text) {
  const dockerfile = DockerfileParser.parse(text);
  return dockerfile.getInstructions().map((ins) => {
    let s = ins.getKeyword().toLowerCase();
    const flags = typeof ins.getFlags === 'function' ? ins.getFlags() : [];
    if (flags.length) s += ' [' + flags.map((f) => q(f.toString())).join(' ') + ']';
    const kw = ins.getKeyword().toLowerCase();
    if ((kw === 'env' || kw === 'label') && typeof ins.getProperties === 'function') {
      // BuildKit dumps ENV/LABEL as (key, raw value, "=" or "") triples.
      for (const p of ins.getProperties()) {
        const op = p.getAssignmentOperator();
        s += ' ' + q(p.getName()) + ' ' + q(p.getRawValue?.() ?? p.getValue() ?? '') + ' ' + q(op === '=' ? '=' : '');
      }
    } else {
      for (const a of ins.getArguments()) s += ' ' + q(a.getValue());
    }
    return '(' + s + ')';
  }).join('\n');
}

let astPass = 0;
let ourPass = 0;
const cases = readdirSync(dir);
for (const name of cases) {
  const text = readFileSync(join(dir, name, 'Dockerfile'), 'utf8');
  const expected = readFileSync(join(dir, name, 'result'), 'utf8');
  try { if (astDump(text) + '\n' === expected) astPass++; } catch { /* counts as a failure */ }
  if (syntax.dumpInstructions(syntax.parseDockerfile(text).instructions) + '\n' === expected) ourPass++;
}
console.log(`BuildKit parser cases matched: mountlint ${ourPass}/${cases.length}, dockerfile-ast ${astPass}/${cases.length}`);

const files = loadCorpus();
const time = (fn) => {
  for (const f of files) fn(f.text);
  const t = performance.now();
  for (let r = 0; r < 5; r++) for (const f of files) fn(f.text);
  return performance.now() - t;
};
const ours = time((t) => { try { syntax.parseDockerfile(t); } catch { /* invalid files count too */ } });
const theirs = time((t) => DockerfileParser.parse(t));
console.log(`parse time on the benchmark corpus (5 rounds): mountlint ${ours.toFixed(0)} ms, dockerfile-ast ${theirs.toFixed(0)} ms, ratio ${(ours / theirs).toFixed(2)}×`);
