import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/time/wall-clock.js';
import { OutboxRelay } from '../../../workers/outbox-relay.js';
import { createQueues, type DeliveryQueues } from '../../../workers/queues.js';
import type { RedisView } from '../../../workers/readiness.js';
import { WebhookDispatcher } from '../../../workers/webhook-dispatcher.js';
import { caseDriver } from '../../support/case-driver.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { startWebhookReceiver } from '../../support/webhook-receiver.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Issue 17, department systems' webhooks in the administration page: a subscription created (its secret shown
 * once), rotated, deactivated and activated; a dead letter made the real way (a receiver that is down), listed
 * with its last error and replayed once the receiver is back; all of it in Chinese and English.
 */
let w: WorkspaceBrowser;
let redis: RedisView;
let queues: DeliveryQueues;
let relay: OutboxRelay;
let dispatcher: WebhookDispatcher;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const clock = new ManualClock(new Date());

/** Clicks the confirming button of the message box that asks. */
const confirmWith = (page: Page, name: string) => page.getByRole('dialog').getByRole('button', { name, exact: true }).click();
const subscriptionRow = (page: Page) => page.locator('[data-test="webhook-subscriptions"] .el-table__body tr').first();

beforeAll(async () => {
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
  w = await openWorkspace({ demoCases: false, redis });
  queues = createQueues(redis);
  relay = new OutboxRelay({ sql: w.api.sql, queues, clock: w.api.clock, logger: { log: () => {} } });
  // One attempt: a failure is a dead letter at once.
  dispatcher = new WebhookDispatcher({ sql: w.api.sql, clock, logger: { log: () => {} }, retry: { maxAttempts: 1 } });
  receiver = await startWebhookReceiver(() => Math.floor(clock.now().getTime() / 1000));
}, 90_000);

afterAll(async () => {
  await receiver?.close();
  await queues?.close();
  await w?.close();
  await redis?.connection.quit();
  if (redis) await deleteKeysWithPrefix(redis.prefix);
});

describe('webhook subscriptions', () => {
  it('an administrator subscribes a department: the form is checked first, the secret shown once', async () => {
    const page = await w.open('admin', '/admin?tab=webhooks');
    await page.locator('[data-test="webhook-subscriptions"]').waitFor();
    const count = async () => (await w.api.sql<{ n: number }[]>`select count(*)::int as n from webhook_subscriptions`)[0]?.n;

    await page.locator('[data-test="new-subscription"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-test="save-subscription"]').click();
    for (const says of ['请选择部门', '请填写推送地址', '请至少选择一个事件']) await expect.poll(() => dialog.getByText(says).count()).toBe(1);
    await dialog.locator('#webhook-url').fill('https://user:secret@fire.example.gov.cn/hooks');
    await expect.poll(() => dialog.getByText('地址中不能带用户名或密码').count()).toBe(1);
    expect(await count()).toBe(0);

    await dialog.locator('[data-test="webhook-department"]').click();
    await page.getByRole('option', { name: /\(fire\)$/ }).click();
    await dialog.locator('#webhook-url').fill(receiver.url('/fire'));
    await dialog.locator('[data-event="task.opened"]').click();
    await dialog.locator('[data-event="case.decided"]').click();
    await expectAccessible(page);
    await dialog.locator('[data-test="save-subscription"]').click();

    const secretDialog = page.locator('[data-test="webhook-secret"]');
    const secret = await secretDialog.locator('#webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await secretDialog.innerText()).toContain('此密钥只显示这一次');
    await expectAccessible(page);
    await screenshot(page, 'admin-webhook-secret-zh-CN');
    receiver.trust('/fire', secret);
    await secretDialog.locator('[data-test="secret-stored"]').click();

    const row = subscriptionRow(page);
    await expect.poll(() => row.innerText()).toContain('任务开启');
    expect(await row.innerText()).toContain('办件办结');
    expect(await row.innerText()).toContain(receiver.url('/fire'));
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await count()).toBe(1);
  });

  it('its secret is rotated (shown once again), and it is deactivated and activated', async () => {
    const page = await w.open('admin', '/admin?tab=webhooks');
    const row = subscriptionRow(page);
    await row.waitFor();
    await row.locator('[data-test="rotate-secret"]').click();
    await confirmWith(page, '更换密钥');
    const secret = await page.locator('[data-test="webhook-secret"] #webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.trust('/fire', secret);
    await page.locator('[data-test="secret-stored"]').click();

    await row.locator('[data-test="deactivate"]').click();
    expect(await page.getByRole('dialog').innerText()).toContain('停用期间不再产生新的推送');
    await confirmWith(page, '停用');
    await expect.poll(() => row.locator('[data-test="subscription-status"]').innerText()).toBe('已停用');
    await row.locator('[data-test="activate"]').click();
    await expect.poll(() => row.locator('[data-test="subscription-status"]').innerText()).toBe('启用');
    const log = await w.api.as('admin').get('/api/security-log?pageSize=10');
    expect(log.body.items.map((e: { type: string }) => e.type).slice(0, 3)).toEqual(['webhook.subscription-changed', 'webhook.subscription-changed', 'webhook.secret-rotated']);
  });
});

describe('dead letters', () => {
  it('a delivery to a system that is down is listed with its last error, and replayed once it is back', async () => {
    receiver.answer('/fire', () => 503);
    await caseDriver(() => w.api).startInJointReview();
    await relay.flush();
    await dispatcher.dispatchDue();
    expect(receiver.at('/fire').map((r) => [r.status, r.verdict])).toEqual([[503, null]]);

    const page = await w.open('admin', '/admin?tab=webhooks');
    const letter = page.locator('[data-test="dead-letters"] .el-table__body tr').first();
    await letter.waitFor();
    expect(await letter.innerText()).toContain('HTTP 503 Service Unavailable');
    expect(await letter.innerText()).toContain('任务开启');
    await expectAccessible(page);
    await screenshot(page, 'admin-webhooks-zh-CN');

    receiver.answer('/fire', () => 200);
    await letter.locator('[data-test="replay"]').click();
    await confirmWith(page, '重放');
    await expect.poll(() => page.locator('[data-test="dead-letters"] .el-table__body tr').count()).toBe(0);
    await dispatcher.dispatchDue();
    expect(receiver.at('/fire').map((r) => r.status)).toEqual([503, 200]);
    const [delivery] = await w.api.sql<{ status: string }[]>`select status from webhook_deliveries`;
    expect(delivery?.status).toBe('delivered');
  });

  it('every dead letter of a subscription is replayed at once, in English', async () => {
    receiver.answer('/fire', () => 500);
    await caseDriver(() => w.api).startInJointReview();
    await relay.flush();
    await dispatcher.dispatchDue();

    const page = await w.open('admin', '/admin?tab=webhooks', 'en');
    const letters = page.locator('[data-test="dead-letters"] .el-table__body tr');
    await letters.first().waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toContain('Webhooks');
    expect(await letters.first().innerText()).toContain('Task opened');
    expect(await subscriptionRow(page).innerText()).toContain('Case decided');
    await expectAccessible(page);
    await screenshot(page, 'admin-webhooks-en');

    receiver.answer('/fire', () => 200);
    await subscriptionRow(page).locator('[data-test="replay-all"]').click();
    await confirmWith(page, 'Replay dead letters');
    await expect.poll(() => letters.count()).toBe(0);
    await dispatcher.dispatchDue();
    expect(receiver.at('/fire').map((r) => r.status)).toEqual([503, 200, 500, 200]);
  });
});
