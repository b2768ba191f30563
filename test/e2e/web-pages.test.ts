import { serve } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../../platform/free-port.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CHROMIUM_ARGS } from '../support/workspace-browser.js';


let f: ApiFixture;
let browser: Browser;
let base: string;
let server: ReturnType<typeof serve>;

beforeAll(async () => {
  f = await createApiFixture();
  const port = await getFreePort();
  server = serve({ fetch: f.app.fetch, port, hostname: '127.0.0.1' });
  base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await f?.close();
});

describe('the web pages in a real browser', () => {
  it('the sign-in page links to the API docs, which render every route offline', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${base}/`);
    expect(await page.title()).toBe('通办 Tongban');
    await page.getByRole('link', { name: 'API' }).click();
    await page.waitForURL(`${base}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/api/cases', '/api/tasks', '/api/tasks/{taskId}/complete']));
    // Everything came from this server: the docs work without internet access.
    expect(failed).toEqual([]);
    await page.close();
  });

  it('a request tried from the docs page with a token reaches the API', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/api/docs`);
    const token = await f.token('window.clerk');
    const status = await page.evaluate(async (bearer) => (await fetch('/api/tasks', { headers: { authorization: `Bearer ${bearer}` } })).status, token);
    expect(status).toBe(200);
    const anonymous = await page.evaluate(async () => (await fetch('/api/tasks')).status);
    expect(anonymous).toBe(401);
    await page.close();
  });
});
