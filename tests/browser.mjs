// Launches Debian's Chromium headless through playwright-core (no browser download).
import { after, before } from 'node:test';

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from '../www/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * The package built with the kernel's test hooks (`node crate/wasm/js/build.mjs --hooks`):
 * mount it at `/dist/` for tests that make the kernel trap or wedge.
 */
export const HOOKS_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'hooks', 'dist');

/** Starts a browser (Playwright gives it a fresh, temporary profile); resolves to `{browser, close()}`. */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Opens `url` in a new page, collecting console errors for failure messages. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return { page, logs };
}

/**
 * The workshop page in a fresh browser, served (with isolation: the threaded build)
 * once its client has started. `mounts` as serve() takes them. Resolves to
 * `{page, logs, server, inPage(fn, arg), close()}`; `inPage` runs `fn(client, arg)` there.
 */
export async function workshopPage({ isolation = true, mounts = [], plain = null } = {}) {
  const chrome = await launch();
  const server = await serve({ port: 0, isolation, mounts, plain });
  const { page, logs } = await openPage(chrome.browser, server.url);
  await page.waitForFunction(() => window.client?.mode, null, { timeout: 60_000 });
  return {
    page,
    logs,
    server,
    inPage: (fn, arg) => page.evaluate(`(${fn})(window.client, ${JSON.stringify(arg ?? null)})`),
    async close() {
      await page.close();
      await server.close();
      await chrome.close();
    },
  };
}

/**
 * For a test file: opens the workshop page before its tests and closes it after them.
 * Returns the session object, filled in (see workshopPage) once the page is up.
 */
export function usingWorkshopPage(options) {
  const session = {};
  before(async () => Object.assign(session, await workshopPage(options)));
  after(async () => session.close?.());
  return session;
}

/**
 * As a participant: generate `days` of sample data for `tickers`, *Show all solutions*,
 * *Run all*, and wait until every cell has finished (an error listing each cell's state,
 * with the page's `logs`, when they do not).
 */
export async function runWorkshop(page, { days, tickers }, logs) {
  await page.fill('#days', String(days));
  if (tickers) await page.fill('#tickers', tickers);
  await page.click('#generate button[type=submit]');
  await page.waitForFunction(() => /files generated/.test(document.getElementById('generate-status').textContent));
  await page.click('#show-solutions');
  await page.click('#run-all');
  try {
    await page.waitForFunction(() => window.notebook.cells.every((c) => c.status === 'ok' || c.status === 'error'), null, {
      timeout: 400_000,
      polling: 500,
    });
  } catch (e) {
    const states = await page.evaluate(() => window.notebook.cells.map((c) => `${c.id}: ${c.status} ${c.error ?? ''}`));
    throw new Error(`cells did not finish: ${states.join('\n')}\n${logs.join('\n')}`, { cause: e });
  }
}
