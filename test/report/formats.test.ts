/**
 * Every report format: golden files on the seed and on a file with several
 * rules (regenerate with UPDATE_GOLDEN=1 npm test after a deliberate change),
 * each checked by the schema or tool that consumes it: SARIF against the
 * official 2.1.0 schema with ajv, XML with a real XML parser, GitHub
 * workflow commands against @actions/core's own output.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as actions from '@actions/core';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { lintText, prepare, type LintResult } from '../../src/engine/index.js';
import { escapeData, escapeProperty, findings, REPORT_FORMATS, renderReport, type ReportContext, type ReportFormat } from '../../src/report/index.js';
import { SourceFile } from '../../src/syntax/index.js';
import { hasShared, REPO_ROOT, SHARED } from '../helpers/paths.js';

const GOLDEN = join(REPO_ROOT, 'test/golden');
const SARIF_SCHEMA = join(SHARED, 'spec/sarif-schema-2.1.0.json');
const EXTENSION: Record<ReportFormat, string> = { text: 'txt', json: 'json', sarif: 'sarif', github: 'txt', checkstyle: 'xml', junit: 'xml', gitlab: 'json', codeclimate: 'ndjson', markdown: 'md', html: 'html' };
const INPUTS = { seed: 'examples/seed/Dockerfile', 'several-rules': 'test/fixtures/formats/several-rules.Dockerfile' };
const context: ReportContext = { root: REPO_ROOT, version: '0.0.0-test' };

function lint(path: string): LintResult {
  return lintText(readFileSync(join(REPO_ROOT, path), 'utf8'), join(REPO_ROOT, path));
}

function render(format: ReportFormat, results: LintResult[]): string {
  return renderReport(format, results, context);
}

const sarifValidator = (() => {
  if (!existsSync(SARIF_SCHEMA)) return undefined;
  const ajv = new Ajv04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
})();

/** Every SARIF these tests make is validated here. */
function validSarif(text: string): { runs: Array<{ results: Array<Record<string, any>>; tool: { driver: { rules: Array<Record<string, any>> } } }> } {
  const doc = JSON.parse(text);
  if (sarifValidator) assert.ok(sarifValidator(doc), JSON.stringify(sarifValidator.errors?.slice(0, 5), null, 2));
  return doc;
}

function validXml(text: string): any {
  const check = XMLValidator.validate(text);
  assert.equal(check, true, JSON.stringify(check));
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['file', 'error', 'testsuite', 'testcase'].includes(name) }).parse(text);
}

describe('report formats: golden files', () => {
  before(prepare);
  for (const [name, path] of Object.entries(INPUTS)) {
    // The HTML page is checked in a browser instead (test/report/html).
    for (const format of REPORT_FORMATS.filter((f) => f !== 'html')) {
      it(`${format} on ${name}`, () => {
        // Text and JSON print paths as given (absolute here): the golden files hold them relative.
        const text = render(format, [lint(path)]).split(`${REPO_ROOT}/`).join('');
        const file = join(GOLDEN, `${name}.${format}.${EXTENSION[format]}`);
        if (process.env.UPDATE_GOLDEN) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, text);
        }
        assert.equal(text, readFileSync(file, 'utf8'), `${file} differs (after a deliberate change: UPDATE_GOLDEN=1 npm test)`);
      });
    }
  }
});

describe('report formats: each checked by what reads it', () => {
  before(prepare);
  const results = () => Object.values(INPUTS).map(lint);

  it('SARIF validates against the official 2.1.0 schema, with rules, regions, related locations, fixes and fingerprints', (t) => {
    if (!sarifValidator) t.diagnostic(`skipped the schema check: ${SARIF_SCHEMA} is absent (the shared references are not beside this clone)`);
    const doc = validSarif(render('sarif', results()));
    const run = doc.runs[0] as any;
    assert.equal(run.columnKind, 'unicodeCodePoints');
    for (const rule of run.tool.driver.rules) {
      for (const key of ['id', 'shortDescription', 'fullDescription', 'helpUri', 'defaultConfiguration']) assert.ok(rule[key], `${rule.id}: ${key}`);
    }
    const race = run.results.find((r: any) => r.ruleId === 'cache-race');
    assert.deepEqual(race.locations[0].physicalLocation.artifactLocation, { uri: 'examples/seed/Dockerfile', uriBaseId: '%SRCROOT%' });
    assert.deepEqual({ ...race.locations[0].physicalLocation.region, snippet: undefined }, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 45, snippet: undefined });
    assert.equal(race.relatedLocations[0].physicalLocation.region.startLine, 10);
    assert.equal(race.fixes[0].artifactChanges[0].replacements.length, 2);
    assert.equal(race.level, 'error');
    assert.equal(run.tool.driver.rules[race.ruleIndex].id, 'cache-race');
    const prints = run.results.map((r: any) => r.partialFingerprints['mountlintFindingHash/v1']);
    assert.equal(new Set(prints).size, prints.length, 'fingerprints are unique');
  });
  it('SARIF: the official schema rejects what it should (the check can fail)', (t) => {
    if (!sarifValidator) return void hasShared(t, SARIF_SCHEMA);
    const doc = JSON.parse(render('sarif', results()));
    doc.runs[0].results[0].level = 'fatal';
    assert.equal(sarifValidator(doc), false);
  });
  it('fingerprints survive unrelated edits, and change with the finding', () => {
    const seed = readFileSync(join(REPO_ROOT, INPUTS.seed), 'utf8');
    const prints = (text: string) => findings([lintText(text, join(REPO_ROOT, INPUTS.seed))], REPO_ROOT).map((f) => `${f.diagnostic.ruleId} ${f.fingerprint}`);
    const before = prints(seed);
    const moved = prints('# a comment and blank lines above\n\n\n' + seed.replace('# build stuff', '# built things\nRUN true\n# build stuff'));
    assert.deepEqual(moved, before);
    const changed = prints(seed.replace('install vim', 'install nano'));
    assert.equal(changed.filter((p) => before.includes(p)).length, 2, 'the findings on the untouched line 3 keep their fingerprints; the one on line 10 changes');
  });
  it('checkstyle: well-formed XML with one <error> per finding', () => {
    const doc = validXml(render('checkstyle', results()));
    const files = doc.checkstyle.file;
    assert.deepEqual(files.map((f: any) => f.name), Object.values(INPUTS));
    assert.equal(files[1].error.length, 8);
    assert.ok(files[1].error.every((e: any) => e.source.startsWith('mountlint.') && Number(e.line) >= 1 && ['error', 'warning', 'info'].includes(e.severity)));
  });
  it('junit: well-formed XML; failures are the findings that fail the run', () => {
    const doc = validXml(render('junit', results()));
    assert.equal(doc.testsuites.tests, '11');
    assert.equal(doc.testsuites.failures, '4');
    const atWarning = validXml(renderReport('junit', results(), { ...context, fails: (d) => d.severity !== 'info' }));
    assert.equal(atWarning.testsuites.failures, '9');
    const clean = validXml(render('junit', [lintText('FROM debian\n', join(REPO_ROOT, 'Dockerfile'))]));
    assert.equal(clean.testsuites.testsuite[0].testcase.length, 1);
  });
  it('XML: control characters and markup in messages stay well-formed', () => {
    const source = new SourceFile(join(REPO_ROOT, 'x/Dockerfile'), 'FROM debian\n');
    const result: LintResult = { source, diagnostics: [{ ruleId: 'syntax', messageId: 'test', severity: 'error', message: 'bad \u0001 <tag> & "q" \ud800 ]]> \n', range: { start: 0, end: 4 }, related: [] }] };
    for (const format of ['checkstyle', 'junit'] as const) validXml(render(format, [result]));
  });
  it('github: each line is exactly what @actions/core writes for the same annotation', () => {
    const lines = render('github', results()).trimEnd().split('\n');
    assert.equal(lines.length, 11);
    for (const line of lines) {
      const [, command, props, message] = /^::(\w+) (.*?)::(.*)$/.exec(line)!;
      const p = Object.fromEntries(props.split(',').map((kv) => kv.split('=')));
      const unescape = (s: string) => decodeURIComponent(s);
      const expected = captureStdout(() =>
        (actions as any)[command](unescape(message), { title: unescape(p.title), file: unescape(p.file), startLine: Number(p.line), endLine: Number(p.endLine), startColumn: Number(p.col), endColumn: Number(p.endColumn) }),
      );
      assert.equal(line + '\n', expected.replace(/\r\n$/, '\n'));
    }
  });
  it('github: escaping of %, CR, LF, : and , is @actions/core\'s', () => {
    const nasty = 'a%b\r\nc:d,e';
    assert.equal(escapeData(nasty), 'a%25b%0D%0Ac:d,e');
    assert.equal(escapeProperty(nasty), 'a%25b%0D%0Ac%3Ad%2Ce');
    const line = captureStdout(() => actions.error(nasty, { title: nasty, file: 'f' }));
    assert.equal(line.trimEnd(), `::error title=${escapeProperty(nasty)},file=f::${escapeData(nasty)}`);
  });
  it('gitlab: a JSON array of Code Quality issues with unique fingerprints and required fields', () => {
    const issues = JSON.parse(render('gitlab', results()));
    assert.equal(issues.length, 11);
    for (const i of issues) {
      assert.ok(i.description && i.check_name && i.fingerprint && i.location.path && i.location.lines.begin >= 1);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity));
    }
    assert.equal(new Set(issues.map((i: any) => i.fingerprint)).size, 11);
  });
  it('codeclimate: NUL-terminated issue objects', () => {
    const parts = render('codeclimate', results()).split('\0');
    assert.equal(parts.pop(), '');
    assert.equal(parts.length, 11);
    for (const p of parts) assert.equal(JSON.parse(p).type, 'issue');
  });
  it('markdown: one table row per finding, links to rule pages, fixes folded', () => {
    const md = render('markdown', results());
    assert.equal((md.match(/^\| (❌|⚠️|ℹ️) /gm) ?? []).length, 11);
    assert.equal((md.match(/<details>/g) ?? []).length, 5);
    assert.match(md, /\[cache-race\]\(https:\/\/github\.com\/mountlint\/mountlint\/blob\/main\/docs\/rules\/cache-race\.md\)/);
    assert.match(md, /pip install "flask<3,>=2"/); // inside a diff code block, as written
    assert.match(render('markdown', [lintText('FROM debian\n', join(REPO_ROOT, 'Dockerfile'))]), /No problems found in 1 file\./);
  });
  it('a related location in another file is reported with that file (bake/compose builds)', () => {
    const a = new SourceFile(join(REPO_ROOT, 'api/Dockerfile'), 'FROM debian\nRUN x\n');
    const b = new SourceFile(join(REPO_ROOT, 'worker/Dockerfile'), 'FROM debian\nRUN y\n');
    const result: LintResult = {
      source: a,
      diagnostics: [{ ruleId: 'cache-race', messageId: 'test', severity: 'error', message: 'race', range: { start: 12, end: 17 }, related: [{ range: { start: 12, end: 17 }, message: 'the other step', file: b }], fix: { description: 'lock', applicability: 'safe', edits: [{ range: { start: 17, end: 17 }, text: '!', file: b }] } }],
    };
    const sarif = validSarif(render('sarif', [result])) as any;
    const r = sarif.runs[0].results[0];
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, 'api/Dockerfile');
    assert.equal(r.relatedLocations[0].physicalLocation.artifactLocation.uri, 'worker/Dockerfile');
    assert.equal(r.fixes[0].artifactChanges[0].artifactLocation.uri, 'worker/Dockerfile');
    assert.match(render('github', [result]), /%0Aworker\/Dockerfile:2:1: the other step/);
    assert.match(render('markdown', [result]), /\+\+\+ b\/worker\/Dockerfile/);
  });
});

function captureStdout(fn: () => void): string {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}
