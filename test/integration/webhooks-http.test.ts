import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type WallClock } from '../../engine/time/wall-clock.js';
import { OutboxRelay } from '../../workers/outbox-relay.js';
import { createQueues, type DeliveryQueues } from '../../workers/queues.js';
import { startWorkers } from '../../workers/start-workers.js';
import { WebhookDispatcher } from '../../workers/webhook-dispatcher.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { asSystem } from '../support/api-key-request.js';
import { caseDriver, CONSTRUCTION_APPLICATION } from '../support/case-driver.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { waitFor } from './workers/worker-test-kit.js';

/**
 * Department systems hear what happens (docs/webhooks.md): subscriptions through the API, deliveries made by the
 * relay from the notifications it delivers, sent signed by the dispatcher to a real HTTP receiver, retried, dead,
 * replayed. The dispatcher's clock is a manual one: retries fall due when the test moves it, nobody sleeps.
 */
let f: ApiFixture;
let queues: DeliveryQueues;
let relay: OutboxRelay;
let dispatcher: WebhookDispatcher;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const prefix = testQueuePrefix();
const redis = createRedisConnection();
const clock = new ManualClock(new Date());
let signingClock: WallClock = clock;
const logger = { log: () => {} };
const { start, complete, startInJointReview } = caseDriver(() => f);

/** The ecology department's system: its key manages its own subscription and completes its tasks. */
let ecologyKey: string;
const subscriptions: Record<string, string> = {};

beforeAll(async () => {
  f = await createApiFixture();
  queues = createQueues({ connection: redis, prefix });
  relay = new OutboxRelay({ sql: f.sql, queues, clock: f.clock, logger });
  // Three attempts, 0.5 s then 1 s apart (the jitter drawn at its lowest).
  dispatcher = new WebhookDispatcher({ sql: f.sql, clock, logger, retry: { maxAttempts: 3, baseDelayMs: 1_000 }, random: () => 0, timeoutMs: 5_000 });
  // The receivers' clock is the one the deliveries are signed on: the freshness check holds to the second.
  receiver = await startWebhookReceiver(() => Math.floor(signingClock.now().getTime() / 1000));
  const key = await f.as('admin').post('/api/api-keys', { name: '生态环境审批系统', departmentCode: 'ecology', operations: ['webhook.manage', 'task.read', 'task.complete'] });
  expect(key.status).toBe(201);
  ecologyKey = key.body.key;
});
afterAll(async () => {
  await receiver.close();
  await queues.close();
  await redis.quit();
  await deleteKeysWithPrefix(prefix);
  await f.close();
});

const withKey = (key: string, method: 'GET' | 'POST', path: string, body?: unknown) => asSystem(f, key, method, path, body);

/** What commands committed reaches the outbox relay, then the dispatcher sends what is due. */
async function deliver(): Promise<void> {
  await relay.flush();
  await dispatcher.dispatchDue();
}

const deliveriesOf = async (subscriptionId: string) => (await f.as('admin').get(`/api/webhooks/deliveries?subscriptionId=${subscriptionId}&pageSize=100`)).body.items;

async function subscribe(department: string, path: string, events: string[]): Promise<string> {
  const res = await f.as('admin').post('/api/webhooks/subscriptions', { departmentCode: department, url: receiver.url(path), events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  receiver.trust(path, res.body.secret);
  return res.body.id;
}

describe('webhook subscriptions', () => {
  it('administrators subscribe any department, a department system its own; the secret is shown once', async () => {
    const created = await f.as('admin').post('/api/webhooks/subscriptions', { departmentCode: 'fire', url: receiver.url('/fire'), events: ['task.opened', 'task.overdue'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ departmentCode: 'fire', events: ['task.opened', 'task.overdue'], active: true, createdBy: 'admin' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    receiver.trust('/fire', created.body.secret);
    subscriptions['fire'] = created.body.id;

    const own = await withKey(ecologyKey, 'POST', '/api/webhooks/subscriptions', { url: receiver.url('/ecology'), events: ['task.opened'] });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.departmentCode).toBe('ecology');
    receiver.trust('/ecology', own.body.secret);
    subscriptions['ecology'] = own.body.id;

    // A key subscribes no other department, and sees and changes only its own department's subscriptions.
    expect((await withKey(ecologyKey, 'POST', '/api/webhooks/subscriptions', { departmentCode: 'fire', url: receiver.url('/x'), events: ['task.opened'] })).body.code).toBe('TB-FORBIDDEN');
    expect((await withKey(ecologyKey, 'GET', '/api/webhooks/subscriptions')).body.items.map((s: { id: string }) => s.id)).toEqual([own.body.id]);
    expect((await withKey(ecologyKey, 'POST', `/api/webhooks/subscriptions/${subscriptions['fire']}/secret-rotation`, {})).body.code).toBe('TB-WEBHOOK-404');

    const listed = await f.as('admin').get('/api/webhooks/subscriptions');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([subscriptions['fire'], own.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    const log = await f.as('admin').get('/api/security-log?pageSize=100');
    const logged = log.body.items.filter((e: { type: string }) => e.type === 'webhook.subscribed');
    expect(logged.map((e: { data: { department: string } }) => e.data.department).sort()).toEqual(['ecology', 'fire']);
    expect(JSON.stringify(log.body)).not.toContain('whsec_');

    subscriptions['water'] = await subscribe('water', '/flaky', ['task.opened']);
    subscriptions['civil-air-defence'] = await subscribe('civil-air-defence', '/down', ['task.opened']);
    // Planning asks for warnings only: a task opened is not for it.
    subscriptions['planning'] = await subscribe('planning', '/planning', ['task.warned']);
  });

  it('refuses a URL with credentials or of another scheme, unknown events, unknown departments, and people other than administrators: nothing is created', async () => {
    const count = async () => (await f.sql`select count(*)::int as n from webhook_subscriptions`)[0]?.['n'];
    const before = await count();
    const post = (body: object, user = 'admin') => f.as(user).post('/api/webhooks/subscriptions', body);
    const valid = { departmentCode: 'fire', url: 'https://fire.example.gov.cn/hooks', events: ['task.opened'] };
    expect((await post({ ...valid, url: 'https://user:secret@fire.example.gov.cn/hooks' })).status).toBe(400);
    expect((await post({ ...valid, url: 'ftp://fire.example.gov.cn/hooks' })).status).toBe(400);
    expect((await post({ ...valid, url: 'https://fire.example.gov.cn/hooks#frag' })).status).toBe(400);
    expect((await post({ ...valid, events: ['task.claimed'] })).status).toBe(400);
    expect((await post({ ...valid, events: [] })).status).toBe(400);
    expect((await post({ ...valid, events: ['task.opened', 'task.opened'] })).status).toBe(400);
    expect((await post({ ...valid, departmentCode: 'atlantis' })).body.code).toBe('TB-COMMAND-INVALID');
    const { departmentCode: _, ...unnamed } = valid;
    expect((await post(unnamed)).body).toMatchObject({ status: 422, code: 'TB-COMMAND-INVALID' });
    expect((await post(valid, 'fire.lead')).body.code).toBe('TB-PERMISSION');
    expect((await f.as('admin').post(`/api/webhooks/subscriptions/${randomUUID()}/settings`, { active: false })).body.code).toBe('TB-WEBHOOK-404');
    expect((await f.as('admin').post(`/api/webhooks/subscriptions/${subscriptions['fire']}/settings`, {})).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('a retried creation (same Idempotency-Key) subscribes once and keeps no secret', async () => {
    const send = () =>
      f.as('admin').post('/api/webhooks/subscriptions', { departmentCode: 'tax', url: 'https://tax.example.gov.cn/hooks', events: ['case.decided'] }, { 'idempotency-key': 'subscribe-tax-0001' });
    const first = await send();
    const retry = await send();
    expect(first.body.secret).toMatch(/^whsec_/);
    expect(retry).toMatchObject({ status: 201, body: { id: first.body.id } });
    expect(retry.body.secret).toBeUndefined();
    const [stored] = await f.sql`select response::text as text from idempotency_keys where key = 'subscribe-tax-0001'`;
    expect(stored?.['text']).not.toContain(first.body.secret);
    expect((await f.sql`select count(*)::int as n from webhook_subscriptions where department_code = 'tax'`)[0]?.['n']).toBe(1);
  });
});

describe('webhook deliveries', () => {
  let caseId: string;

  it("a task opened reaches its department's system signed, thin, with no personal data, and nothing of another department's", async () => {
    caseId = await startInJointReview();
    receiver.answer('/flaky', () => 503);
    receiver.answer('/down', () => 503);
    await deliver();

    const [fire] = receiver.at('/fire');
    expect(receiver.at('/fire')).toHaveLength(1);
    expect(fire?.verdict).toBeNull();
    expect(fire?.headers).toMatchObject({ 'x-tongban-event': 'task.opened', 'content-type': 'application/json', 'x-tongban-timestamp': String(Math.floor(clock.now().getTime() / 1000)) });
    expect(fire?.headers['x-tongban-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const [number] = await f.sql`select number from cases where id = ${caseId}`;
    const [fireTask] = await f.sql`select id from tasks where case_id = ${caseId} and department_code = 'fire'`;
    expect(fire?.payload).toEqual({
      id: fire?.headers['x-tongban-delivery'],
      event: 'task.opened',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      caseId,
      caseNumber: number?.['number'],
      taskId: fireTask?.['id'],
      department: 'fire',
    });
    for (const r of receiver.received) {
      expect(r.body).not.toContain(CONSTRUCTION_APPLICATION.applicant.name);
      expect(r.body).not.toContain(CONSTRUCTION_APPLICATION.applicant.idNumber);
    }
    // Each system hears its own department's task, and planning (warnings only) nothing.
    const [ecology] = receiver.at('/ecology');
    expect(receiver.at('/ecology')).toHaveLength(1);
    expect(ecology?.payload).toMatchObject({ department: 'ecology', caseId });
    expect(ecology?.payload['taskId']).not.toBe(fire?.payload['taskId']);
    expect(receiver.at('/planning')).toEqual([]);
    expect(await deliveriesOf(subscriptions['fire'] ?? '')).toMatchObject([{ status: 'delivered', attempts: 1, lastStatus: 200 }]);

    // The ecology system completes the task it heard of, through the API with its key (as before webhooks).
    const done = await withKey(ecologyKey, 'POST', `/api/tasks/${String(ecology?.payload['taskId'])}/complete`, { outcome: 'approve', opinion: { text: '同意' } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  });

  it('a receiver that fails twice gets it on the third attempt, each after its backoff', async () => {
    expect(receiver.at('/flaky').map((r) => r.status)).toEqual([503]);
    const [pending] = await deliveriesOf(subscriptions['water'] ?? '');
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503 Service Unavailable' });
    expect(new Date(pending.nextAttemptAt).getTime()).toBe(clock.now().getTime() + 500);

    // Not due yet: nothing is sent.
    await dispatcher.dispatchDue();
    expect(receiver.at('/flaky')).toHaveLength(1);
    clock.advance({ ms: 500 });
    await dispatcher.dispatchDue();
    expect(receiver.at('/flaky')).toHaveLength(2);
    receiver.answer('/flaky', () => 204);
    clock.advance({ ms: 999 });
    await dispatcher.dispatchDue();
    expect(receiver.at('/flaky')).toHaveLength(2);
    clock.advance({ ms: 1 });
    await dispatcher.dispatchDue();
    expect(receiver.at('/flaky').map((r) => [r.status, r.verdict])).toEqual([[503, null], [503, null], [204, null]]);
    // Every attempt is the same delivery, signed afresh.
    expect(new Set(receiver.at('/flaky').map((r) => r.headers['x-tongban-delivery'])).size).toBe(1);
    expect(await deliveriesOf(subscriptions['water'] ?? '')).toMatchObject([{ status: 'delivered', attempts: 3, lastStatus: 204, lastError: null }]);
  });

  it('one that always fails leaves a dead letter, listed with its last error and replayed once it recovers', async () => {
    clock.advance({ ms: 500 });
    await dispatcher.dispatchDue();
    clock.advance({ ms: 1_000 });
    await dispatcher.dispatchDue();
    clock.advance({ hours: 1 });
    await dispatcher.dispatchDue();
    expect(receiver.at('/down')).toHaveLength(3);
    const dead = await f.as('admin').get('/api/webhooks/deliveries?status=dead');
    expect(dead.body.items).toMatchObject([{ subscriptionId: subscriptions['civil-air-defence'], status: 'dead', attempts: 3, lastError: 'HTTP 503 Service Unavailable', event: 'task.opened', caseId }]);
    const letter = dead.body.items[0].id as string;

    // Another department's system neither sees nor replays it.
    expect((await withKey(ecologyKey, 'GET', '/api/webhooks/deliveries?status=dead')).body.items).toEqual([]);
    expect((await withKey(ecologyKey, 'GET', `/api/webhooks/deliveries?since=${encodeURIComponent(new Date(0).toISOString())}`)).body.items.map((d: { departmentCode: string }) => d.departmentCode)).toEqual(['ecology']);
    expect((await withKey(ecologyKey, 'POST', `/api/webhooks/deliveries/${letter}/replay`, {})).body.code).toBe('TB-WEBHOOK-DELIVERY-404');
    // Only a dead letter is replayed.
    const delivered = (await deliveriesOf(subscriptions['fire'] ?? ''))[0].id;
    expect((await f.as('admin').post(`/api/webhooks/deliveries/${delivered}/replay`)).body).toMatchObject({ status: 409, code: 'TB-WEBHOOK-NOT-REPLAYABLE' });

    receiver.answer('/down', () => 200);
    const replayed = await f.as('admin').post(`/api/webhooks/deliveries/${letter}/replay`);
    expect(replayed.body).toMatchObject({ id: letter, status: 'pending', attempts: 0 });
    const log = await f.as('admin').get('/api/security-log?pageSize=100');
    expect(log.body.items.find((e: { type: string }) => e.type === 'webhook.replayed')).toMatchObject({ actorId: 'admin', data: { deliveryId: letter, deliveries: [letter] } });
    await dispatcher.dispatchDue();
    expect(receiver.at('/down').map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(await deliveriesOf(subscriptions['civil-air-defence'] ?? '')).toMatchObject([{ id: letter, status: 'delivered', attempts: 1 }]);
    expect((await f.as('admin').post(`/api/webhooks/deliveries/${letter}/replay`)).body.code).toBe('TB-WEBHOOK-NOT-REPLAYABLE');
  });

  it('a deactivated subscription gets nothing new; all its dead letters are replayed at once; a rotated secret signs what follows', async () => {
    const cad = subscriptions['civil-air-defence'] ?? '';
    receiver.answer('/down', () => 500);
    await startInJointReview();
    await deliver();
    clock.advance({ hours: 1 });
    await dispatcher.dispatchDue();
    clock.advance({ hours: 1 });
    await dispatcher.dispatchDue();
    const dead = (await deliveriesOf(cad)).filter((d: { status: string }) => d.status === 'dead');
    expect(dead).toHaveLength(1);

    expect((await f.as('admin').post(`/api/webhooks/subscriptions/${cad}/settings`, { active: false })).body.active).toBe(false);
    await startInJointReview();
    await deliver();
    expect(await deliveriesOf(cad)).toHaveLength(2);
    expect((await f.as('admin').post(`/api/webhooks/subscriptions/${cad}/replay`)).body).toMatchObject({ status: 409, code: 'TB-WEBHOOK-NOT-REPLAYABLE' });

    const rotated = await f.as('admin').post(`/api/webhooks/subscriptions/${cad}/secret-rotation`);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    await f.as('admin').post(`/api/webhooks/subscriptions/${cad}/settings`, { active: true });
    receiver.answer('/down', () => 200);
    expect((await f.as('admin').post(`/api/webhooks/subscriptions/${cad}/replay`)).body).toEqual({ replayed: [dead[0].id] });
    await dispatcher.dispatchDue();
    // Signed with the new secret, which the receiver does not trust yet: refused as forged; then trusted.
    expect(receiver.at('/down').at(-1)?.verdict).toBe('forged');
    receiver.trust('/down', rotated.body.secret);
    clock.advance({ ms: 500 });
    await dispatcher.dispatchDue();
    expect(receiver.at('/down').at(-1)).toMatchObject({ verdict: null, status: 200 });
    expect((await deliveriesOf(cad)).map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('a case decided, and the licence it issued, reach the lead department', async () => {
    const market = await subscribe('market', '/market', ['case.decided', 'licence.issued']);
    const food = await start({
      serviceItemCode: 'food-business-licence',
      applicant: { name: '某餐饮有限公司', idNumber: '91310000MA1FL9999X' },
      materials: [{ name: '食品经营许可申请书 Application form', sha256: 'c'.repeat(64), sizeBytes: 1024 }],
    });
    await complete('window.clerk', 'acceptance', food);
    await complete('market.handler', 'documentReview', food);
    await complete('market.handler', 'inspection', food);
    await complete('market.lead', 'signOff', food);
    await deliver();
    const [licence] = await f.sql`select number from licences where case_id = ${food}`;
    expect(receiver.at('/market').map((r) => [r.verdict, r.payload['event'], r.payload['caseId'], r.payload['outcome'], r.payload['licenceNumber'], r.payload['department']]).sort()).toEqual([
      [null, 'case.decided', food, 'approved', undefined, 'market'],
      [null, 'licence.issued', food, undefined, licence?.['number'], 'market'],
    ]);
    // The relay delivers each notification once: nothing more is made.
    await deliver();
    expect(await deliveriesOf(market)).toHaveLength(2);
  });

  it('warnings and deadlines passed: yellow rungs and reminders are task.warned, red rungs and overdue notices task.overdue', async () => {
    const [row] = await f.sql`select id, lead_department from cases where id = ${caseId}`;
    const both = await subscribe('planning', '/planning-all', ['task.warned', 'task.overdue']);
    const lead = await subscribe(String(row?.['lead_department']), '/lead', ['task.overdue']);
    const notice = (audience: string, department: string | null, template: string, data: object) =>
      f.sql`insert into notifications (id, case_id, department_code, audience, template, data, created_at)
        values (${randomUUID()}, ${caseId}, ${department}, ${audience}, ${template}, ${JSON.stringify(data)}::jsonb, ${f.clock.now().toISOString()})`;
    const taskId = randomUUID();
    await notice('department', 'planning', 'warning.reached', { clock: 'task:review.planning', rung: 'yellow', colour: 'yellow', taskId });
    await notice('department', 'planning', 'warning.reminder', { clock: 'task:review.planning', rung: 'yellow', colour: 'yellow', reminder: 1, taskId });
    await notice('department', 'planning', 'warning.reached', { clock: 'task:review.planning', rung: 'red', colour: 'red', taskId });
    await notice('department', 'planning', 'task.overdue', { taskId });
    await notice('department', String(row?.['lead_department']), 'escalation.overdue', { taskId, department: 'planning' });
    await notice('department', String(row?.['lead_department']), 'case.overdue', { dueAt: f.clock.now().toISOString() });
    await notice('supervisors', null, 'warning.reached', { clock: 'legal', rung: 'red+3', colour: 'red' });
    await deliver();
    const events = (path: string) => receiver.at(path).map((r) => [r.payload['event'], r.payload['colour'] ?? null, r.payload['taskId'] ?? null]);
    expect(events('/planning-all').sort()).toEqual([
      ['task.overdue', 'red', taskId],
      ['task.overdue', null, taskId],
      ['task.warned', 'yellow', taskId],
      ['task.warned', 'yellow', taskId],
    ].sort());
    expect(events('/planning')).toEqual([
      ['task.warned', 'yellow', taskId],
      ['task.warned', 'yellow', taskId],
    ]);
    // The lead department hears its case overdue, not another department's task (escalation.overdue).
    expect(events('/lead')).toEqual([['task.overdue', null, null]]);
    expect(await deliveriesOf(both)).toHaveLength(4);
    expect(await deliveriesOf(lead)).toHaveLength(1);
  });

  it('a receiver that does not answer in time, or cannot be reached, fails the attempt with what happened', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as AddressInfo).port;
    try {
      const slow = await f.as('admin').post('/api/webhooks/subscriptions', { departmentCode: 'police', url: `http://127.0.0.1:${port}/hooks`, events: ['task.opened'] });
      // Nothing listens on the port a closed server had.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const gone = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const away = await f.as('admin').post('/api/webhooks/subscriptions', { departmentCode: 'tax', url: `http://127.0.0.1:${gone}/hooks`, events: ['task.opened'] });
      for (const department of ['police', 'tax']) {
        await f.sql`insert into notifications (id, case_id, department_code, audience, template, data, created_at)
          values (${randomUUID()}, ${caseId}, ${department}, 'department', 'task.opened', ${JSON.stringify({ taskId: randomUUID() })}::jsonb, ${f.clock.now().toISOString()})`;
      }
      await relay.flush();
      const impatient = new WebhookDispatcher({ sql: f.sql, clock, logger, timeoutMs: 300 });
      await impatient.dispatchDue();
      expect(await deliveriesOf(slow.body.id)).toMatchObject([{ status: 'pending', attempts: 1, lastStatus: null, lastError: expect.stringMatching(/timeout/i) }]);
      expect(await deliveriesOf(away.body.id)).toMatchObject([{ status: 'pending', attempts: 1, lastStatus: null, lastError: expect.stringMatching(/ECONNREFUSED/) }]);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('the workers deliver on their own: the relay makes the deliveries and wakes the dispatcher', async () => {
    const workers = await startWorkers({ sql: f.sql, redis: createRedisConnection, engine: f.engine, clock: f.clock, prefix, logger });
    signingClock = f.clock;
    try {
      const before = receiver.at('/fire').length;
      const started = await startInJointReview();
      const heard = await waitFor('the fire system to hear of the new case', async () => receiver.at('/fire').find((r) => r.payload['caseId'] === started));
      expect(receiver.at('/fire')).toHaveLength(before + 1);
      expect(heard.headers['x-tongban-timestamp']).toBe(String(Math.floor(f.clock.now().getTime() / 1000)));
    } finally {
      await workers.stop();
    }
  });
});
