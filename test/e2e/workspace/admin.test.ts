import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../platform/system-clock.js';
import { createQueues, timerJob, type DeliveryQueues } from '../../../workers/queues.js';
import type { RedisView } from '../../../workers/readiness.js';
import { fireTimerJob, type TimerJob } from '../../../workers/timer-worker.js';
import { installPoisonTimer, startPoisonCase } from '../../support/poison-timer.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 13, the administration page in the browser: API keys (the secret shown once), the security log and its
 * verification, incidents made the real way and retried, the queue dashboard behind the same sign-in — and
 * nothing of it for a handler.
 */

let w: WorkspaceBrowser;
let redis: RedisView;
let queues: DeliveryQueues;
let poison: { caseId: string; timerId: string; dueAt: Date };

/** One last attempt of the poison timer's job, as the timer worker runs it: it fails, and opens an incident. */
async function failLastAttempt(): Promise<void> {
  const job: TimerJob = {
    data: { timerId: poison.timerId },
    attemptsMade: 2,
    opts: { attempts: 3 },
    moveToDelayed: () => Promise.resolve(),
    updateData: (data) => Promise.resolve(void (job.data = data)),
  };
  await fireTimerJob(job, undefined, { engine: w.api.engine, clock: w.api.clock, sql: w.api.sql }).catch(() => undefined);
}

const openIncidents = () => w.api.sql<{ id: string }[]>`select id from timer_incidents where resolved_at is null and timer_id = ${poison.timerId}`;
const timerStatus = async () => (await w.api.sql<{ status: string }[]>`select status from timers where id = ${poison.timerId}`)[0]?.status;

/** Clicks the confirming button of the message box that asks. */
const confirmWith = (page: Page, name: string) => page.getByRole('dialog').getByRole('button', { name, exact: true }).click();

beforeAll(async () => {
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
  w = await openWorkspace({ demoCases: false, redis });
  // An incident the real way: a timer whose command fails every time, given up on its last attempt.
  await installPoisonTimer(w.api);
  poison = await startPoisonCase(w.api);
  w.api.clock.set(new Date(poison.dueAt.getTime() + 5 * 60_000));
  await failLastAttempt();
  // A timer waiting in Redis, for the dashboard to show.
  queues = createQueues(redis);
  const job = timerJob(randomUUID(), new Date(Date.now() + 3_600_000), systemClock);
  await queues.timers.add(job.name, job.data, job.opts);
}, 90_000);

afterAll(async () => {
  await queues?.close();
  await w?.close();
  await redis?.connection.quit();
  if (redis) await deleteKeysWithPrefix(redis.prefix);
});

describe('API keys', () => {
  it('an administrator creates a key for a department with scopes, sees the secret once, copies it, and revokes it', async () => {
    const page = await w.open('admin', '/admin');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: w.base });
    await expect.poll(() => page.locator('nav a', { hasText: '系统管理' }).count()).toBe(1);
    await page.locator('[data-test="api-keys"]').waitFor();
    const keyCount = async () => (await w.api.sql<{ n: number }[]>`select count(*)::int as n from api_keys`)[0]?.n;
    const before = await keyCount();

    // Checked before sending: nothing filled in, nothing created.
    await page.locator('[data-test="new-key"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-test="create-key"]').click();
    for (const says of ['请填写名称', '请选择部门', '请至少授予一项操作']) await expect.poll(() => dialog.getByText(says).count()).toBe(1);
    expect(await keyCount()).toBe(before);

    await dialog.locator('#new-key-name').fill('消防审批业务系统');
    await dialog.locator('[data-test="new-key-department"]').click();
    await page.getByRole('option', { name: /\(fire\)$/ }).click();
    await dialog.locator('[data-scope="case.read"]').click();
    await dialog.locator('[data-scope="task.read"]').click();
    await dialog.locator('[data-test="create-key"]').click();

    const secretField = dialog.locator('#new-key-secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^tbk\./);
    expect(await dialog.innerText()).toContain('此密钥只显示这一次');
    await dialog.locator('[data-test="copy"]').click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await expectAccessible(page);
    await screenshot(page, 'admin-key-secret-zh-CN');

    // The key works, for its department and its scopes only.
    const asSystem = (path: string) => w.api.freshApp().request(path, { headers: { authorization: `ApiKey ${secret}` } });
    expect((await asSystem('/api/tasks')).status).toBe(200);
    expect((await asSystem('/api/calendars')).status).toBe(403);

    // Once closed, the secret is nowhere on the page, nor in any answer the page gets again.
    await dialog.locator('[data-test="stored"]').click();
    const row = page.locator('[data-test="api-keys"] .el-table__body tr', { hasText: '消防审批业务系统' });
    await row.waitFor();
    expect(await row.innerText()).toContain('查看办件');
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);

    await row.locator('[data-test="revoke"]').click();
    expect(await page.getByRole('dialog').innerText()).toContain('吊销密钥“消防审批业务系统”');
    await confirmWith(page, '吊销');
    await expect.poll(() => row.innerText()).toMatch(/已于 .+ 吊销/);
    expect(await row.locator('[data-test="revoke"]').count()).toBe(0);
    expect((await asSystem('/api/tasks')).status).toBe(401);
  });
});

describe('the security log', () => {
  it('is read a page at a time, latest first, and its chain verified', async () => {
    // Enough events for two pages: 21 keys created and revoked through the API.
    for (let i = 0; i < 11; i++) {
      const created = await w.api.as('admin').post('/api/api-keys', { name: `批量 ${i}`, departmentCode: 'tax', operations: ['task.read'] });
      await w.api.as('admin').post(`/api/api-keys/${created.body.id}/revoke`);
    }
    const [head] = await w.api.sql<{ seq: number }[]>`select max(seq)::int as seq from security_events`;
    const page = await w.open('admin', '/admin?tab=log');
    const rows = page.locator('[data-test="security-log"] .el-table__body tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    expect(await rows.first().innerText()).toContain(String(head?.seq));
    expect(await rows.first().innerText()).toContain('吊销 API 密钥');
    await page.locator('[data-test="next"]').click();
    await expect.poll(() => page.locator('[data-test="security-log"]').innerText()).toContain('创建 API 密钥');
    expect(await rows.first().innerText()).toContain(String((head?.seq ?? 0) - 20));

    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="verdict"]').innerText()).toBe(`日志链完整：共 ${head?.seq} 条，最新序号 ${head?.seq}。`);
    await expectAccessible(page);
    await screenshot(page, 'admin-security-log-zh-CN');
  });

  it('a supervisor reads it too, and only it, in English', async () => {
    const page = await w.open('supervisor', '/admin', 'en');
    await page.locator('[data-test="security-log"] .el-table__body tr').first().waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['Security log']);
    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="verdict"]').innerText()).toMatch(/^The chain is intact: \d+ events, the latest #\d+\.$/);
    await expectAccessible(page);
    await screenshot(page, 'admin-security-log-en');
  });
});

describe('incidents', () => {
  it('an administrator retries one: the timer is pending again, the incident resolved by them', async () => {
    expect([await timerStatus(), (await openIncidents()).length]).toEqual(['failed', 1]);
    const page = await w.open('admin', '/admin?tab=incidents');
    const row = page.locator('[data-test="incidents"] .el-table__body tr', { hasText: poison.caseId.slice(0, 8) });
    await row.waitFor();
    expect(await row.innerText()).toContain('tasks_open_key_idx');
    await expectAccessible(page);
    await screenshot(page, 'admin-incidents-zh-CN');

    await row.locator('[data-test="retry"]').click();
    await confirmWith(page, '重试');
    await expect.poll(() => row.count()).toBe(0);
    expect([await timerStatus(), (await openIncidents()).length]).toEqual(['pending', 0]);
    await page.locator('[data-test="incident-view"]').getByText('已处理').click();
    await expect.poll(() => page.locator('[data-test="incidents"]').innerText()).toContain('已重试');
    expect(await page.locator('[data-test="incidents"]').innerText()).toContain('admin 于');
  });

  it('someone else retrying first is a conflict: the page says so and reloads', async () => {
    await failLastAttempt();
    const [incident] = await openIncidents();
    const page = await w.open('admin', '/admin?tab=incidents');
    const row = page.locator('[data-test="incidents"] .el-table__body tr', { hasText: poison.caseId.slice(0, 8) });
    await row.waitFor();
    expect((await w.api.as('admin').post(`/api/incidents/${incident?.id}/retry`)).status).toBe(200);
    await row.locator('[data-test="retry"]').click();
    await confirmWith(page, '重试');
    await expect.poll(() => page.locator('[data-test="problem"]').innerText()).toContain('有人先一步处理了此事项');
    await page.locator('[data-test="reload"]').click();
    await expect.poll(() => row.count()).toBe(0);
  });
});

describe('in English', () => {
  it('the keys and the resolved incidents read in English', async () => {
    const page = await w.open('admin', '/admin?tab=keys', 'en');
    const keys = page.locator('[data-test="api-keys"]');
    await keys.locator('.el-table__body tr').first().waitFor();
    expect(await keys.innerText()).toContain('Read tasks');
    await expectAccessible(page);
    await screenshot(page, 'admin-keys-en');
    await page.getByRole('tab', { name: 'Incidents' }).click();
    await page.locator('[data-test="incident-view"]').getByText('Resolved').click();
    await expect.poll(() => page.locator('[data-test="incidents"]').innerText()).toContain('retried');
    expect(page.url()).toContain('tab=incidents');
    await expectAccessible(page);
    await screenshot(page, 'admin-incidents-en');
  });
});

describe('the queue dashboard', () => {
  it('opens inside the administration page, behind the same sign-in, showing the delivery queues', async () => {
    const page = await w.open('admin', '/admin?tab=queues', 'en');
    const frame = page.frameLocator('[data-test="queue-frame"]');
    await expect.poll(() => frame.locator('body').innerText(), { timeout: 20_000 }).toContain('timers');
    expect(await page.locator('[data-test="open-queues"]').getAttribute('href')).toBe('/admin/queues');
    // Reconciled on demand, as the workers' reconciler does every 30 s: the page says what the run did.
    await page.locator('[data-test="reconcile-timers"]').click();
    await expect.poll(() => page.locator('[data-test="reconciled"]').innerText().catch(() => '')).toMatch(/^Queued \d+ timers due soon and delivered \d+ overdue ones again\.$/);
    await screenshot(page, 'admin-queues-en');
    // The pass is an HttpOnly cookie for the dashboard only: no script of the workspace reads it.
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.path, c.httpOnly, c.sameSite])).toEqual([['tongban_queues', '/admin/queues', true, 'Strict']]);
  });
});

describe('what a handler cannot open', () => {
  it('has no administration in the menu; /admin leads home, and /admin/queues admits nobody without a pass', async () => {
    const page = await w.open('fire.handler', '/admin');
    await page.waitForURL(/\/inbox$/);
    await page.locator('[data-test="whoami"]').waitFor();
    expect(await page.locator('nav a', { hasText: '系统管理' }).count()).toBe(0);
    // Asking for a pass with the handler's own token is refused, and no cookie is set.
    const asked = await page.evaluate(`fetch('/api/queue-dashboard/sessions', { method: 'POST', headers: { authorization: 'Bearer ' + localStorage.getItem('tongban.token') } }).then((r) => r.status)`);
    expect(asked).toBe(403);
    const refused = await page.goto(`${w.base}/admin/queues`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator('main').innerText()).toContain('请从工作台的“系统管理”页打开队列看板。');
    await expectAccessible(page);
  });
});

describe('a tampered security log', () => {
  it('verifies as broken, naming where', async () => {
    await w.api.sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update security_events set data = jsonb_set(data, '{department}', '"forged"') where seq = 2`;
    });
    const page = await w.open('admin', '/admin?tab=log');
    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="verdict"]').innerText()).toBe('日志链在第 2 条处断裂：hash');
  });
});
