import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Disposable, type Page, type Request } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import { installDemoCases } from '../../apps/demo-cases.js';
import { getFreePort } from '../../platform/free-port.js';
import type { AuthConfig } from '../../api/auth.js';
import { createApiFixture, type ApiFixture } from './api-fixture.js';
import type { RedisView } from '../../workers/readiness.js';

/**
 * Flags for Chromium as root on a machine without network access (see the machine notes). `--max-opt=2`: a page
 * lives seconds in a test, so V8's top tier (TurboFan) compiles more than it pays back; without it the case-page
 * file took 35.6 CPU-s of Chromium instead of 43.3 and 39 s instead of 60 on a shared 2-core box.
 */
export const CHROMIUM_ARGS = ['--js-flags=--max-opt=2', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots for review (git-ignored): one per page and state the tests drive. */
const SCREENSHOTS = 'test-results/workspace';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WorkspaceBrowser {
  readonly api: ApiFixture;
  readonly base: string;
  readonly browser: Browser;
  /**
   * A page in `locale`, signed in as `user` unless null: a tab of its own browser context (storage and cookies
   * not shared with any other open page). Opened in a test, the tab is put back when the test ends — its
   * document, storage, cookies, permissions and size reset when it is next opened — so close none of it yourself.
   */
  open(user: string | null, path?: string, locale?: Locale): Promise<Page>;
  close(): Promise<void>;
}

type Locale = 'zh-CN' | 'en';
/** A laptop's screen: the size every tab opens at and is put back to. */
export const VIEWPORT = { width: 1366, height: 860 };

/** A tab, with the script that signs in whoever it is opened for. */
interface Tab {
  readonly page: Page;
  seed?: Disposable;
}

/** What each tab has asked of the network (see `settled`). */
interface Traffic {
  readonly unanswered: Set<Request>;
  sent: number;
}
const traffic = new WeakMap<Page, Traffic>();

async function newTab(browser: Browser, locale: Locale): Promise<Tab> {
  const page = await (await browser.newContext({ viewport: VIEWPORT, locale })).newPage();
  // Every page at rest at once: no transition or animation to wait out (a list fading in, a dialog zooming out)
  // before a click lands or a colour can be checked. Each document gets the sheet before its first style.
  await page.addInitScript(`{
    const still = new CSSStyleSheet();
    still.replaceSync('*, *::before, *::after { transition: none !important; animation: none !important; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
  }`);
  const seen: Traffic = { unanswered: new Set(), sent: 0 };
  page.on('request', (request) => {
    seen.unanswered.add(request);
    seen.sent++;
  });
  page.on('requestfinished', (request) => seen.unanswered.delete(request));
  page.on('requestfailed', (request) => seen.unanswered.delete(request));
  traffic.set(page, seen);
  return { page };
}

/**
 * The workspace as people use it: the API over a real engine, database and the demo data (`npm start`'s),
 * serving the built web/dist to Debian's headless Chromium. `npm test` builds web/dist first (apps/build-web.ts).
 */
export async function openWorkspace(
  options: { demoCases?: boolean; auth?: Pick<AuthConfig, 'demoSignIn' | 'identityProvider'>; redis?: RedisView } = {},
): Promise<WorkspaceBrowser> {
  const api = await createApiFixture(options.auth ?? { demoSignIn: true }, options.redis);
  if (options.demoCases ?? true) await installDemoCases(api.sql, api.engine);
  const port = await getFreePort();
  const server = serve({ fetch: api.app.fetch, port, hostname: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  // Tabs between tests, by locale (the browser's own language, as a fresh context in that locale has it). A tab
  // opened again keeps its context's cache: the workspace's scripts are not fetched and compiled anew each time.
  const resting: Record<Locale, Tab[]> = { 'zh-CN': [], en: [] };
  let visits = 0;
  const putBack = async (tab: Tab, locale: Locale) => {
    if (tab.page.isClosed()) return;
    // Nothing of the test stays: its document stops (and its requests), its cookies (the queue dashboard's pass),
    // permissions (the clipboard) and window size go.
    await tab.page.goto('about:blank');
    traffic.get(tab.page)?.unanswered.clear();
    await Promise.all([tab.page.context().clearCookies(), tab.page.context().clearPermissions(), tab.page.setViewportSize(VIEWPORT)]);
    resting[locale].push(tab);
  };
  return {
    api,
    base,
    browser,
    async open(user, path = '/', locale = 'zh-CN') {
      const tab = resting[locale].pop() ?? (await newTab(browser, locale));
      // Signed in and in a language before the first script runs, as a returning user would be; storage left by
      // whoever had the tab before is gone.
      const token = user ? await api.token(user) : null;
      const visit = String(++visits);
      await tab.seed?.dispose();
      // Once per visit: after that the page's own signing out and language switch stand. (Scripts for the page are
      // strings: this project's TypeScript has no DOM.)
      tab.seed = await tab.page.addInitScript(`if (sessionStorage.getItem('tongban.test-seeded') !== '${visit}') {
        sessionStorage.clear();
        localStorage.clear();
        sessionStorage.setItem('tongban.test-seeded', '${visit}');
        ${token ? `localStorage.setItem('tongban.token', ${JSON.stringify(token)});` : ''}
        localStorage.setItem('tongban.locale', ${JSON.stringify(locale)});
      }`);
      try {
        onTestFinished(() => putBack(tab, locale));
      } catch {
        // Opened outside a test (in a hook): the tab stays the caller's until the workspace closes.
      }
      await tab.page.goto(`${base}${path}`);
      return tab.page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

/** The id of the demo case of this applicant (the demo data names each case's applicant once). */
export async function demoCaseId(w: WorkspaceBrowser, applicant: string): Promise<string> {
  const [row] = await w.api.sql<{ id: string }[]>`select id from cases where applicant->>'name' = ${applicant}`;
  if (!row) throw new Error(`no demo case of ${applicant}`);
  return row.id;
}

/** The case's version as committed: a refused move leaves it where it was. */
export async function caseVersion(w: WorkspaceBrowser, id: string): Promise<number> {
  const [row] = await w.api.sql<{ version: number }[]>`select version from cases where id = ${id}`;
  if (!row) throw new Error(`no case ${id}`);
  return row.version;
}

/** Writes `test-results/workspace/<name>.png` (full page) for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/**
 * axe-core on the page at rest: no serious or critical violation (WCAG 2 A/AA rules). At rest, because a button
 * under the pointer, or a dialog fading in, shows colours that are not the ones people read.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await expect
    .poll(() => page.evaluate(`document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length`), { timeout: 10_000 })
    .toBe(0);
  await page.addScriptTag({ content: axeSource });
  const violations = (await page.evaluate(`axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }).then((result) =>
    result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  expect(violations).toEqual([]);
}


/**
 * Waits until the page has had every request answered, and what the answers set off (rendering, further
 * requests) has run: the page shows its data. Playwright's 'networkidle' waits for the same with half a second
 * of silence after the last answer, and only once per document.
 */
export async function settled(page: Page, timeout = 15_000): Promise<void> {
  const seen = traffic.get(page);
  if (!seen) throw new Error('settled(): a page of WorkspaceBrowser.open() only');
  const deadline = performance.now() + timeout;
  for (;;) {
    while (seen.unanswered.size > 0) {
      if (performance.now() > deadline) throw new Error(`settled(): still waiting for ${[...seen.unanswered].map((r) => r.url()).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sent = seen.sent;
    // A frame and a turn of the page's event loop after the last answer: whatever it set off has started by then.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)))');
    if (seen.sent === sent && seen.unanswered.size === 0) return;
  }
}

/** The token the page keeps (null when signed out). */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(`localStorage.getItem('tongban.token')`);
}
