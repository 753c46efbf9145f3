/**
 * Chromium for the browser tests: Debian's package (`apt-get install
 * chromium`, as .ci/run does), driven by puppeteer-core, never a downloaded
 * browser. Each launch gets a fresh profile and the flags that keep it from
 * reaching out on its own (so "no network request" is the page's doing).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { REPO_ROOT } from '../helpers/paths.js';
import { scratchDir } from '../helpers/scratch.js';

const CANDIDATES = [process.env.MOUNTLINT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

/** The browser's path, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export const MISSING_CHROMIUM = 'Chromium is not installed (apt-get install chromium; .ci/run installs it)';

/** Screenshots are CI artefacts: dist/artifacts/screenshots (MOUNTLINT_ARTIFACTS overrides the folder). */
export function screenshotPath(name: string): string {
  const dir = process.env.MOUNTLINT_ARTIFACTS ? join(process.env.MOUNTLINT_ARTIFACTS, 'screenshots') : join(REPO_ROOT, 'dist/artifacts/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export interface Session {
  browser: Browser;
  close(): Promise<void>;
}

export async function launch(): Promise<Session> {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = scratchDir('mountlint-chromium-');
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that records its console errors, page errors and every request beyond `allowed` URLs. */
export async function watchedPage(session: Session, allowed: (url: string) => boolean): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await session.browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r: HTTPRequest) => {
    if (!allowed(r.url())) requests.push(r.url());
  });
  return { page, errors, requests };
}
