/**
 * `--format html` in a real browser (Debian's Chromium): the seed's view and
 * a bake build's, as a reviewer uses them. The assertions are on the DOM
 * (screenshots are written for people to look at): the race link joins the
 * two steps the finding names, selecting a step highlights exactly the steps
 * the model says may overlap with it, choosing `locked` shows the diff and
 * removes the link, nothing is logged as an error and nothing is fetched.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Page } from 'puppeteer-core';
import { lintBuildSet, lintText, prepare } from '../../src/engine/index.js';
import type { BuildGraph, Step } from '../../src/model/index.js';
import { APT, writeTree } from '../builds/helpers.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { chromiumPath, launch, MISSING_CHROMIUM, screenshotPath, watchedPage, type Session } from './chromium.js';
import { scratchDir } from '../helpers/scratch.js';

// Code run inside the page (page.evaluate) uses the browser's globals; the project compiles without the DOM library.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const requestAnimationFrame: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const getComputedStyle: any; // eslint-disable-line @typescript-eslint/no-explicit-any
type HTMLElement = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const BIN = join(REPO_ROOT, 'bin/mountlint.cjs');
const SEED = join(REPO_ROOT, 'examples/seed/Dockerfile');

function mountlint(cwd: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' }, maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** The model's answer: for each executed step (`file:line` of its first place), the steps that may overlap with it. */
function modelOverlaps(steps: Step[], graph: BuildGraph): Map<string, Set<string>> {
  const at = (s: Step) => `${s.stage.origin.df.file.source.path}:${s.stage.origin.df.file.source.positionAt(s.instruction.node.range.start).line}`;
  const seen = new Set<string>();
  const drawn = steps.filter((s) => graph.executing.has(s.vertex) && s.stage.reachable && !seen.has(s.vertex) && !!seen.add(s.vertex));
  return new Map(drawn.map((s) => [at(s), new Set(drawn.filter((o) => graph.mayOverlap(s, o)).map(at))]));
}

/** Selects every step in turn (by click) and reads what the page highlights. */
async function pageOverlaps(page: Page): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const count = await page.$$eval('.variant button.step:not(.skipped)', (l) => l.length);
  for (let k = 0; k < count; k++) {
    const buttons = await page.$$('.variant button.step:not(.skipped)');
    await buttons[k].click();
    const r = await page.evaluate(() => {
      const sel = document.querySelector('button.step.selected') as HTMLElement | null;
      return { me: sel?.dataset.at ?? '', pressed: sel?.getAttribute('aria-pressed'), lit: [...document.querySelectorAll('button.step.overlap')].map((e) => (e as HTMLElement).dataset.at ?? '') };
    });
    assert.equal(r.pressed, 'true');
    out.set(r.me, new Set(r.lit));
    await buttons[k].click(); // and clear it again
  }
  return out;
}

const toObject = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());

async function open(session: Session, file: string) {
  const url = pathToFileURL(file).href;
  const watched = await watchedPage(session, (u) => u === url);
  await watched.page.goto(url, { waitUntil: 'load' });
  await watched.page.waitForSelector('svg.links');
  await watched.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return watched;
}

async function raceLinks(page: Page) {
  return page.$$eval('svg.links g.race', (gs) =>
    gs.map((g) => {
      const at = (i: string | null) => (document.querySelector(`.variant button.step[data-step="${i}"]`) as HTMLElement | null)?.dataset.at ?? '';
      return { a: at(g.getAttribute('data-a')), b: at(g.getAttribute('data-b')), label: g.querySelector('text')?.textContent ?? '', title: g.querySelector('title')?.textContent ?? '', d: g.querySelector('path')?.getAttribute('d') ?? '' };
    }),
  );
}

async function chooseStrategy(page: Page, strategy: string) {
  await page.click(`.chooser input[value="${strategy}"]`);
  await page.waitForSelector('details.diff pre');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

describe('the HTML view in Chromium', { concurrency: false }, () => {
  let session: Session | undefined;
  before(async () => {
    if (!chromiumPath()) return;
    await prepare();
    session = await launch();
  });
  after(async () => session?.close());
  const ready = (t: TestContext) => {
    if (session) return true;
    skipForMissingTool(t, MISSING_CHROMIUM);
    return false;
  };

  it('the seed: one red link between the two apt steps on /var/cache/apt; selection shows exactly the model\'s overlaps; locked removes the link', async (t) => {
    if (!ready(t)) return;
    const dir = scratchDir('mountlint-html-');
    const file = join(dir, 'seed.html');
    writeFileSync(file, mountlint(REPO_ROOT, 'explain', '--format', 'html', 'examples/seed/Dockerfile'));
    const { page, errors, requests } = await open(session!, file);

    const links = await raceLinks(page);
    assert.equal(links.length, 1, JSON.stringify(links));
    assert.deepEqual([links[0].a, links[0].b].sort(), ['examples/seed/Dockerfile:10', 'examples/seed/Dockerfile:3']);
    assert.equal(links[0].label, 'race on /var/cache/apt');
    assert.match(links[0].title, /^Cache race on cache "\/var\/cache\/apt"/);
    assert.match(links[0].d, /^M[\d.]+,[\d.]+ Q/, 'the link is drawn between the two boxes');
    // The two apt steps are in two lanes, and the merged step is drawn once.
    const lanes = await page.$$eval('.variant button.step', (l) => l.map((e) => [(e as HTMLElement).dataset.at, (e as HTMLElement).closest('.lane').dataset.lane]));
    assert.deepEqual(Object.fromEntries(lanes), { 'examples/seed/Dockerfile:2': '0', 'examples/seed/Dockerfile:3': '0', 'examples/seed/Dockerfile:5': '0', 'examples/seed/Dockerfile:10': '1', 'examples/seed/Dockerfile:12': '1' });
    assert.match(await page.$eval('button.step[data-at="examples/seed/Dockerfile:2"] .also', (e) => e.textContent ?? ''), /merged: also examples\/seed\/Dockerfile:9 \(production\)/);

    const seed = lintText(readFileSync(SEED, 'utf8'), 'examples/seed/Dockerfile');
    assert.deepEqual(toObject(await pageOverlaps(page)), toObject(modelOverlaps(seed.model!.steps, seed.model!.graph)));
    await page.click('button.step[data-at="examples/seed/Dockerfile:3"]');
    assert.match(await page.$eval('.details', (e) => e.textContent ?? ''), /1 step may run at the same time:.*line 10 \(production\).*why: the default target "production" \(the last stage\) needs both stages/s);
    await page.screenshot({ path: screenshotPath('seed-view.png'), fullPage: true });

    // The keyboard: Tab reaches a step, Enter selects it, Escape clears.
    await page.focus('button.step[data-at="examples/seed/Dockerfile:10"]');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.$$eval('button.step.overlap', (l) => l.map((e) => (e as HTMLElement).dataset.at).sort()), ['examples/seed/Dockerfile:3', 'examples/seed/Dockerfile:5']);
    await page.keyboard.press('Escape');
    assert.equal(await page.$$eval('button.step.selected', (l) => l.length), 0);

    await chooseStrategy(page, 'locked');
    assert.match(await page.$eval('details.diff pre', (e) => e.textContent ?? ''), /\+RUN --mount=type=cache,target=\/var\/cache\/apt,sharing=locked apt update/);
    assert.deepEqual(await raceLinks(page), []);
    assert.equal(await page.$eval('.races h3', (e) => e.textContent), 'Races: none');
    assert.match(await page.$eval('.chooser', (e) => e.textContent ?? ''), /locked — set sharing=locked on 2 mounts of this cache.*\(0 races left\)/s);
    await page.screenshot({ path: screenshotPath('seed-view-locked.png'), fullPage: true });

    // Printed: the controls go, the build, the diff, the races and findings stay.
    await page.emulateMediaType('print');
    const printed = await page.evaluate(() => ({ chooser: getComputedStyle(document.querySelector('.chooser')).display, lanes: getComputedStyle(document.querySelector('.lanes-wrap')).overflow, steps: document.querySelectorAll('button.step').length }));
    assert.deepEqual(printed, { chooser: 'none', lanes: 'visible', steps: 5 });
    assert.ok((await page.pdf({ format: 'A4', landscape: true })).length > 1000);
    await page.emulateMediaType('screen');

    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  });

  it('a bake build: the cross-target race links api/Dockerfile to worker/Dockerfile, and locked removes it', async (t) => {
    if (!ready(t)) return;
    const files = {
      'docker-bake.hcl': 'group "default" {\n  targets = ["api", "worker"]\n}\ntarget "api" {\n  context = "api"\n}\ntarget "worker" {\n  context = "worker"\n}\n',
      'api/Dockerfile': APT('curl'),
      'worker/Dockerfile': APT('wget'),
    };
    const dir = writeTree(files);
    const file = join(dir, 'bake.html');
    writeFileSync(file, mountlint(dir, 'explain', '--format', 'html', 'docker-bake.hcl'));
    const { page, errors, requests } = await open(session!, file);

    const links = await raceLinks(page);
    assert.ok(links.length >= 1, 'a race link');
    for (const l of links) assert.deepEqual([l.a, l.b].sort(), ['api/Dockerfile:2', 'worker/Dockerfile:2']);
    assert.deepEqual(links.map((l) => l.label).sort(), ['race on /var/cache/apt', 'race on /var/lib/apt'].slice(0, links.length).sort());
    const heads = await page.$$eval('.lane-head', (l) => l.map((e) => e.textContent ?? ''));
    assert.ok(heads[0].startsWith('bake target "api"') && heads[1].startsWith('bake target "worker"'), heads.join(' | '));

    const members = ['api', 'worker'].map((name) => ({ path: `${name}/Dockerfile`, text: files[`${name}/Dockerfile` as 'api/Dockerfile'], options: {}, label: `bake target "${name}"`, name }));
    const set = lintBuildSet(members, {}, 'group "default" builds api and worker in one request').set!;
    assert.deepEqual(toObject(await pageOverlaps(page)), toObject(modelOverlaps(set.steps, set.graph)));
    await page.click('button.step[data-at="api/Dockerfile:2"]');
    assert.match(await page.$eval('.details', (e) => e.textContent ?? ''), /why: group "default" builds api and worker in one request, and neither waits for the other/);
    await page.screenshot({ path: screenshotPath('bake-view.png'), fullPage: true });

    await chooseStrategy(page, 'locked');
    const diff = await page.$eval('details.diff pre', (e) => e.textContent ?? '');
    assert.match(diff, /a\/api\/Dockerfile[\s\S]*sharing=locked[\s\S]*a\/worker\/Dockerfile[\s\S]*sharing=locked/);
    assert.deepEqual(await raceLinks(page), []);
    await page.screenshot({ path: screenshotPath('bake-view-locked.png'), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  });

  it('check on several files: a summary table that links to each file\'s view', async (t) => {
    if (!ready(t)) return;
    const dir = writeTree({ 'a/Dockerfile': readFileSync(SEED, 'utf8'), 'b/Dockerfile': 'FROM debian\nRUN echo hi\n', 'c/Dockerfile': 'FROM debian\nRUN --mount=type=cache,target=/root/.npm,sharing=bogus npm ci\n' });
    const file = join(dir, 'report.html');
    const r = spawnSync(process.execPath, [BIN, '--no-config', '--format', 'html', 'a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    writeFileSync(file, r.stdout);
    const { page, errors, requests } = await open(session!, file);
    const rows = await page.$$eval('.summary tbody tr', (l) => l.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(rows.map((row) => row[0]), ['a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile']);
    assert.equal(rows[0][1], '1', 'the seed has one error');
    await page.click('.summary a[href="#doc-2"]');
    await page.waitForFunction(() => document.querySelector('section.doc h2')?.textContent === 'c/Dockerfile');
    assert.match(await page.$eval('section.doc', (e) => e.textContent ?? ''), /sharing/);
    await page.click('.summary a[href="#doc-0"]');
    await page.waitForSelector('svg.links g.race');
    await page.screenshot({ path: screenshotPath('check-report.png'), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  });
});
