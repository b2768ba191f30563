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
  });

  it('signing out forgets the token; a page asked for afterwards asks to sign in again', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await page.locator('[data-test="whoami"]').waitFor();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await storedToken(page)).toBeNull();
    await page.goto(`${w.base}/inbox`);
    await page.waitForURL(/\/sign-in\?next=/);
  });

  it('an expired session (the API answers 401) returns to the sign-in page, which says why', async () => {
    const page = await w.open('fire.handler', '/inbox');
    await page.locator('[data-test="whoami"]').waitFor();
    await page.evaluate(`localStorage.setItem('tongban.token', 'expired')`);
    await page.reload();
    await page.waitForURL(/\/sign-in/);
    await expect.poll(() => page.getByText('登录已过期，请重新登录。').count()).toBe(1);
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

describe('signing in through an identity provider (no demo sign-in)', () => {
  let idp: WorkspaceBrowser;

  beforeAll(async () => {
    idp = await openWorkspace({ demoCases: false, auth: { identityProvider: { name: '一网通办', signInUrl: 'https://sso.example.gov.cn/login?client_id=tongban' } } });
  }, 60_000);

  afterAll(async () => {
    await idp?.close();
  });

  it('the sign-in page offers the provider (with where to come back) and a token field, and no demo users', async () => {
    const page = await idp.open(null, '/sign-in');
    const button = page.locator('[data-test="identity-provider"]');
    await button.waitFor();
    expect(await button.innerText()).toBe('通过一网通办登录');
    const href = new URL((await button.getAttribute('href'))!);
    expect(href.searchParams.get('client_id')).toBe('tongban');
    expect(href.searchParams.get('redirect_uri')).toBe(`${idp.base}/sign-in`);
    expect(await page.locator('[data-test="demo-users"]').count()).toBe(0);
    expect((await idp.api.as(null).get('/api/demo-users')).status).toBe(401);
    await expectAccessible(page);
  });

  it("coming back with the provider's token in the fragment signs in and wipes the token from the address bar", async () => {
    const token = await idp.api.token('planning.lead');
    const page = await idp.open(null, `/sign-in#access_token=${token}&token_type=Bearer`);
    await page.waitForURL(/\/inbox$/);
    await expect.poll(() => page.locator('[data-test="whoami"]').innerText()).toContain('planning lead');
    expect(page.url()).not.toContain('access_token');
  });

  it('a forged token sent back is refused: the page says so and nobody is signed in', async () => {
    const page = await idp.open(null, '/sign-in#access_token=forged.token.value');
    await expect.poll(() => page.getByText('令牌无效或已过期。').count()).toBe(1);
    expect(await storedToken(page)).toBeNull();
    expect(page.url()).not.toContain('forged');
  });
});
