import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { installDemoCases } from '../../apps/demo-cases.js';
import { getFreePort } from '../../platform/free-port.js';
import type { AuthConfig } from '../../api/auth.js';
import { createApiFixture, type ApiFixture } from './api-fixture.js';
import type { RedisView } from '../../workers/readiness.js';

/** Flags for Chromium as root on a machine without network access (see the machine notes). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots for review (git-ignored): one per page and state the tests drive. */
const SCREENSHOTS = 'test-results/workspace';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WorkspaceBrowser {
  readonly api: ApiFixture;
  readonly base: string;
  readonly browser: Browser;
  /** A new page (its own browser context: storage not shared) in `locale`, signed in as `user` unless null. */
  open(user: string | null, path?: string, locale?: 'zh-CN' | 'en'): Promise<Page>;
  close(): Promise<void>;
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
  return {
    api,
    base,
    browser,
    async open(user, path = '/', locale = 'zh-CN') {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale });
      // Signed in and in a language before the first script runs, as a returning user would be.
      const token = user ? await api.token(user) : null;
      // Once per tab: after that the page's own signing out and language switch stand. (Scripts for the page are
      // strings: this project's TypeScript has no DOM.)
      await context.addInitScript(`if (!sessionStorage.getItem('tongban.test-seeded')) {
        sessionStorage.setItem('tongban.test-seeded', '1');
        ${token ? `localStorage.setItem('tongban.token', ${JSON.stringify(token)});` : ''}
        localStorage.setItem('tongban.locale', ${JSON.stringify(locale)});
      }`);
      const page = await context.newPage();
      await page.goto(`${base}${path}`);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

/** Writes `test-results/workspace/<name>.png` (full page) for people to look at. */
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
  const violations = (await page.evaluate(`axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((result) =>
    result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  expect(violations).toEqual([]);
}


/** The token the page keeps (null when signed out). */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(`localStorage.getItem('tongban.token')`);
}
