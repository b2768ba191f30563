import { randomUUID } from 'node:crypto';
import { serializeSigned } from 'hono/utils/cookie';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { mintToken } from '../../api/auth.js';
import { apiDeps } from '../../apps/serve-api.js';
import { ManualClock } from '../../engine/time/wall-clock.js';
import { getFreePort } from '../../platform/free-port.js';
import { systemClock } from '../../platform/system-clock.js';
import { createQueues, timerJob, type DeliveryQueues } from '../../workers/queues.js';
import type { RedisView } from '../../workers/readiness.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';

let f: ApiFixture;
let redis: RedisView;
let queues: DeliveryQueues;

beforeAll(async () => {
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
  f = await createApiFixture({}, redis);
  // One timer waiting in Redis, as the relay leaves it: the dashboard should show it.
  queues = createQueues(redis);
  const job = timerJob(randomUUID(), new Date(Date.now() + 3_600_000), systemClock);
  await queues.timers.add(job.name, job.data, job.opts);
});

afterAll(async () => {
  await queues?.close();
  await f?.close();
  await redis?.connection.quit();
  if (redis) await deleteKeysWithPrefix(redis.prefix);
});

type App = ReturnType<typeof createApp>;

/** Asks `app` for a pass as `user` (a bearer token): the answer and the cookie to send back. */
async function openSession(user: string, app: App = f.app, token?: string) {
  const res = await app.request('/api/queue-dashboard/sessions', { method: 'POST', headers: { authorization: `Bearer ${token ?? (await f.token(user))}` } });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, body: (await res.json()) as Record<string, unknown>, setCookie, cookie: setCookie.split(';')[0] ?? '' };
}

/** A request to the dashboard with `cookie`, as its page's scripts (JSON) or a person navigating (HTML) make it. */
const board = (path: string, cookie: string | null, accept = 'application/json', app: App = f.app) =>
  app.request(`/admin/queues${path}`, { headers: { accept, ...(cookie ? { cookie } : {}) } });

/** A pass signed with this Redis's key, with any content: what only someone holding the key could make. */
async function passSignedWithTheKey(content: string): Promise<string> {
  const key = await redis.connection.get(`${redis.prefix}:queue-dashboard:pass-key`);
  return (await serializeSigned('tongban_queues', content, key ?? '')).split(';')[0] ?? '';
}

describe('the queue dashboard (bull-board) behind the workspace’s sign-in', () => {
  it('gives an administrator a pass: a signed cookie for /admin/queues only, HttpOnly, SameSite=Strict, 15 minutes', async () => {
    const { res, body, setCookie } = await openSession('admin');
    expect(res.status).toBe(201);
    expect(body).toEqual({ url: '/admin/queues', expiresAt: expect.any(String) });
    expect(Date.parse(String(body['expiresAt'])) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(setCookie).toMatch(/^tongban_queues=[^;]+; Max-Age=900; Path=\/admin\/queues; HttpOnly; SameSite=Strict$/);
  });

  it("admits the administrator's pass: the dashboard's API answers with the delivery queues, read-only", async () => {
    const { cookie } = await openSession('admin');
    const res = await board('/api/queues', cookie);
    expect(res.status).toBe(200);
    const { queues: shown } = (await res.json()) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    expect(shown.map((q) => [q.name, q.readOnlyMode, q.counts['delayed']])).toEqual([['timers', true, 1]]);
    // Read-only: jobs are not moved from here (a failed timer is retried through its incident).
    const promote = await f.app.request('/admin/queues/api/queues/timers/promote', { method: 'PUT', headers: { cookie } });
    expect(promote.status).toBe(405);
    expect(await queues.timers.getDelayedCount()).toBe(1);
  });

  it('serves its page and its scripts to the pass, under its own base path', async () => {
    const { cookie } = await openSession('admin');
    const page = await board('', cookie, 'text/html');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<base href="/admin/queues/" />');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(text)?.[1];
    expect(script).toBeDefined();
    expect((await board(`/${script}`, cookie, '*/*')).status).toBe(200);
    // Without the pass, the scripts are refused like the rest.
    expect((await board(`/${script}`, null, '*/*')).status).toBe(401);
    // With a slash the page is the same page.
    const slashed = await board('/', cookie, 'text/html');
    expect([slashed.status, slashed.headers.get('location')]).toEqual([302, '/admin/queues']);
  });

  it('refuses a request without a pass: 401, a problem for scripts and a page for people', async () => {
    const api = await board('/api/queues', null);
    expect([api.status, ((await api.json()) as { code: string }).code]).toEqual([401, 'TB-UNAUTHENTICATED']);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const page = await board('', null, 'text/html');
    expect(page.status).toBe(401);
    const text = await page.text();
    expect(text).toContain('请从工作台的“系统管理”页打开队列看板。');
    expect(text).toContain('href="/admin"');
    // The bearer token alone is not the pass.
    const bearer = await f.app.request('/admin/queues/api/queues', { headers: { authorization: `Bearer ${await f.token('admin')}` } });
    expect(bearer.status).toBe(401);
  });

  it('gives a handler no pass (403), and refuses a pass naming a handler (403)', async () => {
    for (const user of ['fire.handler', 'supervisor']) {
      const { res, body, setCookie } = await openSession(user);
      expect([res.status, body['code'], setCookie], user).toEqual([403, 'TB-PERMISSION', '']);
    }
    const handlersPass = await passSignedWithTheKey(`${Date.now() + 600_000}:fire.handler`);
    const res = await board('/api/queues', handlersPass);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([403, 'TB-PERMISSION']);
    expect((await board('', handlersPass, 'text/html')).status).toBe(403);
  });

  it('reads roles from the database on every request: an administrator demoted keeps the cookie, not the access', async () => {
    await f.sql`insert into users (id, name, department_code, roles) values ('ops.admin', 'Operations admin', 'city', ${['admin']})`;
    const { cookie } = await openSession('ops.admin');
    expect((await board('/api/queues', cookie)).status).toBe(200);
    await f.sql`update users set roles = ${['handler']} where id = 'ops.admin'`;
    expect((await board('/api/queues', cookie)).status).toBe(403);
    await f.sql`update users set active = false where id = 'ops.admin'`;
    expect((await board('/api/queues', cookie)).status).toBe(401);
  });

  it('refuses a forged pass: an altered name or expiry, another key’s signature, no signature', async () => {
    const { cookie } = await openSession('admin');
    const [, value = ''] = cookie.split('=');
    const signature = decodeURIComponent(value).slice(decodeURIComponent(value).lastIndexOf('.'));
    const forged = [
      `tongban_queues=${encodeURIComponent(`${Date.now() + 600_000}:admin${signature}`)}`,
      (await serializeSigned('tongban_queues', `${Date.now() + 600_000}:admin`, 'a key of our own making, not the one in Redis')).split(';')[0] ?? '',
      `tongban_queues=${encodeURIComponent(`${Date.now() + 600_000}:admin`)}`,
    ];
    for (const pass of forged) {
      const res = await board('/api/queues', pass);
      expect(res.status, pass).toBe(401);
    }
  });

  it('refuses an expired pass: a quarter of an hour after it was given, with the bearer token still valid', async () => {
    const clock = new ManualClock(new Date());
    const secret = 'another-test-secret-of-at-least-32-chars';
    const app = createApp(apiDeps({ ...f, clock }, { auth: { jwtSecret: secret }, log: () => {}, redis }));
    const { cookie } = await openSession('admin', app, await mintToken('admin', secret, clock));
    expect((await board('/api/queues', cookie, 'application/json', app)).status).toBe(200);
    clock.set(new Date(clock.now().getTime() + 15 * 60_000 + 1_000));
    const late = await board('/api/queues', cookie, 'application/json', app);
    expect([late.status, ((await late.json()) as { detail: string }).detail]).toEqual([401, expect.stringContaining('expired')]);
    // A pass whose expiry says it ended is refused whatever the clock: the signed expiry is what counts.
    expect((await board('/api/queues', await passSignedWithTheKey(`${Date.now() - 1_000}:admin`))).status).toBe(401);
  });

  it('answers 503 with the reason where the process has no Redis, or Redis does not answer', async () => {
    const secret = 'another-test-secret-of-at-least-32-chars';
    const token = await mintToken('admin', secret, systemClock);
    const withoutRedis = createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: secret }, log: () => {} }));
    const refused = await openSession('admin', withoutRedis, token);
    expect([refused.res.status, refused.body['code'], refused.body['detail'], refused.setCookie]).toEqual([503, 'TB-QUEUES-UNAVAILABLE', expect.stringContaining('REDIS_URL'), '']);
    expect(refused.res.headers.get('content-type')).toContain('application/problem+json');
    expect((await board('/api/queues', null, 'application/json', withoutRedis)).status).toBe(503);

    const silent = new Redis(await getFreePort(), '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    silent.on('error', () => {});
    try {
      const unreachable = createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: secret }, log: () => {}, redis: { connection: silent, prefix: redis.prefix } }));
      const answer = await openSession('admin', unreachable, token);
      expect([answer.res.status, answer.body['detail']]).toEqual([503, expect.stringContaining('Redis did not answer')]);
      expect((await board('/api/queues', await passSignedWithTheKey(`${Date.now() + 600_000}:admin`), 'application/json', unreachable)).status).toBe(503);
    } finally {
      silent.disconnect();
    }
  });

  it('leaves paths outside the dashboard to the workspace and the API', async () => {
    const { cookie } = await openSession('admin');
    const unknown = await board('/no-such-page', cookie, 'text/html');
    expect(unknown.status).toBe(404);
    // The workspace's own page at /admin is not the dashboard.
    expect((await f.app.request('/admin', { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('text/html');
  });
});
