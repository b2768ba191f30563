import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { mintToken } from '../../api/auth.js';
import { apiDeps } from '../../apps/serve-api.js';
import { Engine } from '../../engine/engine.js';
import { jsonLogger, type Logger } from '../../platform/logger.js';
import { systemClock } from '../../platform/system-clock.js';
import { OutboxRelay } from '../../workers/outbox-relay.js';
import { createQueues, type DeliveryQueues } from '../../workers/queues.js';
import { createTimerWorker } from '../../workers/timer-worker.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { publishReminderItem } from '../support/reminder-item.js';
import { TEST_JWT_SECRET } from '../support/test-auth.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';
import { waitFor } from './workers/worker-test-kit.js';

// Recognisable personal data: none of it may appear in any line.
const APPLICANT = { name: '张小明Zhang-Xiaoming', idNumber: '110101199003071234', phone: '+86 138 0013 8000' };

let f: EngineFixture;
let queues: DeliveryQueues;
const prefix = testQueuePrefix();
const redis = createRedisConnection();
/** Every line written, as written: the API's (requests, commands, errors) and the workers'. */
const lines: string[] = [];
const logger: Logger = jsonLogger((line) => lines.push(line), 'debug');
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

let app: ReturnType<typeof createApp>;
let engine: Engine;
beforeAll(async () => {
  f = await createEngineFixture();
  // The engine as the processes run it: each command logged (`apps/runtime.ts`).
  engine = new Engine({ store: f.store, catalog: f.catalog, clock: f.clock, licenceSigner: f.licenceSigner, onCommand: (r) => logger.log('info', 'command', { ...r }) });
  app = createApp(apiDeps({ ...f, engine, clock: systemClock }, { auth: { jwtSecret: TEST_JWT_SECRET }, log: (entry) => logger.log('error', 'api.error', entry), logger }));
  queues = createQueues({ connection: redis, prefix });
  await publishReminderItem(f);
});
afterAll(async () => {
  await queues.close();
  await redis.quit();
  await deleteKeysWithPrefix(prefix);
  await f.close();
});

const send = async (path: string, init: { method?: string; body?: unknown; token?: string; requestId?: string; idempotencyKey?: string } = {}) =>
  app.request(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.requestId === undefined ? {} : { 'x-request-id': init.requestId }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

describe('logs', () => {
  it("follow a case from its request to the worker's fire, and hold no personal data", async () => {
    const token = await mintToken('window.clerk', TEST_JWT_SECRET, systemClock);
    const started = await send('/api/cases', { method: 'POST', token, requestId: 'start-7f3a', body: { serviceItemCode: 'reminder', applicant: APPLICANT, materials: [] } });
    expect(started.status).toBe(201);
    expect(started.headers.get('x-request-id')).toBe('start-7f3a');
    const { caseId, queryCode } = (await started.json()) as { caseId: string; queryCode: string };
    const page = await send(`/api/cases/${caseId}`, { token, requestId: 'read-1' });
    expect(await page.text()).toContain(APPLICANT.idNumber); // the clerk sees it: the answer has it, the log must not

    // The timer is due by now; the relay hands it to the timer worker, which fires it.
    f.clock.advance({ minutes: 2 });
    await new OutboxRelay({ sql: f.sql, queues, clock: f.clock, logger }).relayBatch();
    const worker = createTimerWorker({ connection: redis, prefix, sql: f.sql, engine, clock: f.clock, logger });
    try {
      await waitFor('the timer fired', async () => parsed().some((l) => l['event'] === 'command' && l['operation'] === 'timer.fire'));
    } finally {
      await worker.close();
    }

    const story = parsed().filter((l) => l['caseId'] === caseId || l['requestId'] === 'start-7f3a');
    expect(story).toEqual([
      expect.objectContaining({ event: 'command', operation: 'case.start', caseId, version: 1, changed: true, ms: expect.any(Number), requestId: 'start-7f3a' }),
      expect.objectContaining({ event: 'http.request', method: 'POST', route: '/api/cases', status: 201, ms: expect.any(Number), caller: 'window.clerk', requestId: 'start-7f3a' }),
      expect.objectContaining({ event: 'outbox.relayed', caseId, topic: 'timer', requestId: 'start-7f3a' }),
      expect.objectContaining({ event: 'command', operation: 'timer.fire', caseId, changed: true, requestId: 'start-7f3a' }),
    ]);
    expect(parsed()).toContainEqual(expect.objectContaining({ event: 'http.request', method: 'GET', route: '/api/cases/:caseId', status: 200, requestId: 'read-1' }));

    const secrets = [APPLICANT.name, APPLICANT.idNumber, APPLICANT.phone, APPLICANT.phone.replace(/\D/g, ''), queryCode, token];
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });

  it('answers the request id whoever made the answer: a route, a replayed one, no route', async () => {
    const token = await mintToken('window.clerk', TEST_JWT_SECRET, systemClock);
    const start = (requestId: string) =>
      send('/api/cases', { method: 'POST', token, requestId, idempotencyKey: 'start-once', body: { serviceItemCode: 'reminder', applicant: APPLICANT, materials: [] } });
    const first = await start('first-try');
    const again = await start('second-try');
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    expect([first.headers.get('x-request-id'), again.headers.get('x-request-id')]).toEqual(['first-try', 'second-try']);
    const nowhere = await send('/api/no-such-route', { token, requestId: 'lost-1' });
    expect([nowhere.status, nowhere.headers.get('x-request-id')]).toEqual([404, 'lost-1']);
  });

  it('replaces a request id that is not short and printable, and names refused requests too', async () => {
    const res = await send('/api/cases', { method: 'POST', requestId: 'y'.repeat(65) });
    const given = res.headers.get('x-request-id');
    expect(res.status).toBe(401);
    expect(given).toMatch(/^[0-9a-f-]{36}$/);
    expect(parsed().at(-1)).toMatchObject({ event: 'http.request', method: 'POST', route: '/api/cases', status: 401, caller: null, requestId: given });
  });
});
