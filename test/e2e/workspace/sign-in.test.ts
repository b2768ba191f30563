import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openWorkspace, screenshot, storedToken, type WorkspaceBrowser } from '../../support/workspace-browser.js';

let w: WorkspaceBrowser;

beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('signing in to the workspace', () => {
  it('a page asked for without a session shows the sign-in page, which lists the demo users with department and roles', async () => {
    const page = await w.open(null, '/inbox');
    await page.waitForURL(/\/sign-in\?next=(%2F|\/)inbox/);
    const row = page.locator('[data-test="demo-users"] tr', { hasText: 'fire handler' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('承办人');
    await expectAccessible(page);
    await screenshot(page, 'sign-in');
    await page.context().close();
  });

  it('picking a demo user signs in: back to the page asked for, with name and department always in view', async () => {
    const page = await w.open(null, '/inbox');
    await page.locator('[data-user="fire.handler"]').click();
    await page.waitForURL(/\/inbox$/);
    const whoami = page.locator('[data-test="whoami"]');
    await expect.poll(() => whoami.innerText()).toContain('fire handler');
    const departmentName = (await w.api.sql<{ name: string }[]>`SELECT name FROM departments WHERE code = 'fire'`)[0]!.name;
    expect(await whoami.innerText()).toContain(departmentName);
    // The session survives a reload (a case opened in a new tab is signed in too).
    await page.reload();
    await expect.poll(() => page.locator('[data-test="whoami"]').innerText()).toContain('fire handler');
    await page.context().close();
  });

  it('a pasted token signs in; a forged one is refused with a message and no session', async () => {
    const page = await w.open(null, '/sign-in');
    await page.locator('#token-input').fill('not-a-token');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByText('令牌无效或已过期。').count()).toBe(1);
    expect(await storedToken(page)).toBeNull();
    await page.locator('#token-input').fill(await w.api.token('housing.lead'));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(/\/inbox$/);
    await expect.poll(() => page.locator('[data-test="whoami"]').innerText()).toContain('housing lead');
    await page.context().close();
  });

  it('signing out forgets the token; a page asked for afterwards asks to sign in again', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await page.locator('[data-test="whoami"]').waitFor();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await storedToken(page)).toBeNull();
    await page.goto(`${w.base}/inbox`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.context().close();
  });

  it('an expired session (the API answers 401) returns to the sign-in page, which says why', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await page.locator('[data-test="whoami"]').waitFor();
    await page.evaluate(`localStorage.setItem('tongban.token', 'expired')`);
    await page.reload();
    await page.waitForURL(/\/sign-in/);
    await expect.poll(() => page.getByText('登录已过期，请重新登录。').count()).toBe(1);
    await page.context().close();
  });

  it('the workspace is served with a long cache for its hashed assets and none for the page itself', async () => {
    const res = await fetch(`${w.base}/inbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await res.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${w.base}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${w.base}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    // The API keeps its own answers: never the page in place of a route.
    const missing = await fetch(`${w.base}/api/no-such-route`, { headers: { authorization: `Bearer ${await w.api.token('fire.handler')}` } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('problem+json');
  });
});
