/**
 * The playground (dist/playground, as `npm run site` builds it) served from a plain static folder and used in Chromium: type the
 * seed, see the race within a time budget, apply the `locked` fix, reload
 * from the shared URL and get the same state. Nothing is logged as an error
 * and no request leaves the page's own origin.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { REPO_ROOT } from '../helpers/paths.js';
import { skipForMissingTool } from '../helpers/tools.js';
import { chromiumPath, launch, MISSING_CHROMIUM, screenshotPath, watchedPage, type Session } from './chromium.js';

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const location: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SITE = join(REPO_ROOT, 'dist/playground');
const SEED = readFileSync(join(REPO_ROOT, 'examples/seed/Dockerfile'), 'utf8');
/** From the last keystroke to the race on screen (the page waits 200 ms after typing stops before it analyses). */
const BUDGET_MS = 3000;
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/** A static file server on the loopback interface, as any static host would serve the folder. */
function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('the playground in Chromium', { concurrency: false }, () => {
  let session: Session | undefined;
  let site: { server: Server; origin: string } | undefined;
  before(async () => {
    if (!chromiumPath()) return;
    // The playground as `npm run site` builds it (not part of `npm run build`: the image's build has no site/).
    const built = spawnSync(process.execPath, [join(REPO_ROOT, 'dist/scripts/build-site.js')], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    session = await launch();
    site = await serve(SITE);
  });
  after(async () => {
    await session?.close();
    site?.server.close();
  });

  it('type the seed, see the race, apply locked, reload from the shared URL', async (t: TestContext) => {
    if (!session || !site) return skipForMissingTool(t, MISSING_CHROMIUM);
    assert.ok(existsSync(join(SITE, 'index.html')), 'dist/playground is built');
    const origin = site.origin;
    const { page, errors, requests } = await watchedPage(session, (u) => u.startsWith(origin + '/'));
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done');

    // Start from nothing, then type the seed.
    await page.click('#dockerfile');
    await page.$eval('#dockerfile', (e: any) => {
      e.value = '';
      e.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => document.getElementById('status').dataset.races === '0');
    await page.type('#dockerfile', SEED, { delay: 0 });
    const typed = Date.now();
    await page.waitForFunction(() => document.getElementById('status').dataset.races === '1' && document.querySelector('svg.links g.race'), { timeout: BUDGET_MS });
    const seen = Date.now() - typed;
    t.diagnostic(`race on screen ${seen} ms after the last keystroke; analysis ${await page.$eval('#status', (e: any) => e.dataset.ms)} ms`);
    assert.ok(seen < BUDGET_MS);
    assert.equal(await page.$eval('#dockerfile', (e: any) => e.value), SEED);
    const link = await page.$eval('svg.links g.race', (g: any) => [g.getAttribute('data-a'), g.getAttribute('data-b')].map((i) => document.querySelector(`button.step[data-step="${i}"]`).dataset.at).sort());
    assert.deepEqual(link, ['Dockerfile:10', 'Dockerfile:3']);
    await page.screenshot({ path: screenshotPath('playground-race.png'), fullPage: true });

    // Apply the fix.
    await page.click('#fixes button[data-strategy="locked"]');
    await page.waitForFunction(() => document.getElementById('status').dataset.races === '0');
    const fixed = await page.$eval('#dockerfile', (e: any) => e.value);
    assert.equal((fixed.match(/sharing=locked/g) ?? []).length, 2);
    assert.equal(await page.$$eval('svg.links g.race', (l: unknown[]) => l.length), 0);
    await page.screenshot({ path: screenshotPath('playground-fixed.png'), fullPage: true });

    // Share: the URL's fragment carries the input; a fresh page from it shows the same state.
    await page.focus('#platforms');
    await page.type('#platforms', 'linux/amd64,linux/arm64');
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('analysed') && location.hash.length > 10 && document.querySelectorAll('.lane-head').length === 4);
    const url = page.url();
    assert.match(url, /#s=[A-Za-z0-9_-]+$/);
    const state = await page.evaluate(() => ({ text: document.getElementById('dockerfile').value, platforms: document.getElementById('platforms').value, status: document.getElementById('status').textContent.replace(/ — analysed in \d+ ms.*/, '') }));
    const again = await watchedPage(session, (u) => u.startsWith(origin + '/'));
    await again.page.goto(url, { waitUntil: 'load' });
    await again.page.waitForFunction(() => document.getElementById('status').dataset.state === 'done');
    const reloaded = await again.page.evaluate(() => ({ text: document.getElementById('dockerfile').value, platforms: document.getElementById('platforms').value, status: document.getElementById('status').textContent.replace(/ — analysed in \d+ ms.*/, '') }));
    assert.deepEqual(reloaded, state);
    assert.equal(reloaded.text, fixed);
    assert.deepEqual([...errors, ...again.errors], []);
    assert.deepEqual([...requests, ...again.requests], []);
  });

  it('a bake file whose two targets build stages of the Dockerfile: the cross-target race, and its fix', async (t: TestContext) => {
    if (!session || !site) return skipForMissingTool(t, MISSING_CHROMIUM);
    const origin = site.origin;
    const { page, errors, requests } = await watchedPage(session, (u) => u.startsWith(origin + '/'));
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done');
    const dockerfile = 'FROM debian:bookworm AS one\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\n\nFROM debian:bookworm AS two\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y wget\n';
    const bake = 'group "default" {\n  targets = ["a", "b"]\n}\ntarget "a" {\n  target = "one"\n}\ntarget "b" {\n  target = "two"\n}\n';
    await page.$eval('#dockerfile', (e: any, text: string) => {
      e.value = text;
      e.dispatchEvent(new Event('input'));
    }, dockerfile);
    await page.type('#definition', bake);
    await page.waitForFunction(() => document.getElementById('status').textContent.includes('bake build') && document.getElementById('status').dataset.races !== '0' && document.querySelector('svg.links g.race'), { timeout: BUDGET_MS * 2 });
    const heads = await page.$$eval('.lane:not(.skipped) .lane-head', (l: any[]) => l.map((e) => e.textContent));
    assert.ok(heads.some((h: string) => h.startsWith('bake target "a"')) && heads.some((h: string) => h.startsWith('bake target "b"')), heads.join(' | '));
    const link = await page.$eval('svg.links g.race', (g: any) => [g.getAttribute('data-a'), g.getAttribute('data-b')].map((i) => document.querySelector(`button.step[data-step="${i}"]`).dataset.at).sort());
    assert.deepEqual(link, ['Dockerfile:2', 'Dockerfile:5']);
    await page.screenshot({ path: screenshotPath('playground-bake.png'), fullPage: true });
    await page.click('#fixes button[data-strategy="locked"]');
    await page.waitForFunction(() => document.getElementById('status').dataset.races === '0');
    assert.equal(((await page.$eval('#dockerfile', (e: any) => e.value)).match(/sharing=locked/g) ?? []).length, 2);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  });
});
