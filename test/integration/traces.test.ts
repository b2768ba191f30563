import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { mintToken } from '../../api/auth.js';
import { apiDeps } from '../../apps/serve-api.js';
import { tracedEngine } from '../../apps/traced-engine.js';
import { registerTracing, type Tracing } from '../../platform/tracing-sdk.js';
import { systemClock } from '../../platform/system-clock.js';
import { OutboxRelay } from '../../workers/outbox-relay.js';
import { createQueues, timerJobId, type DeliveryQueues } from '../../workers/queues.js';
import { createTimerWorker } from '../../workers/timer-worker.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { publishReminderItem } from '../support/reminder-item.js';
import { TEST_JWT_SECRET } from '../support/test-auth.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';
import { waitFor } from './workers/worker-test-kit.js';

// Recognisable personal data: none of it may appear in any span.
const APPLICANT = { name: '张小明Zhang-Xiaoming', idNumber: '110101199003071234', phone: '+86 138 0013 8000' };
/** The caller's own trace, as a gateway in front would send it. */
const CALLER = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

let f: EngineFixture;
let queues: DeliveryQueues;
const prefix = testQueuePrefix();
const redis = createRedisConnection();
const exporter = new InMemorySpanExporter();
let tracing: Tracing | null = null;
const quiet = { log: () => {} };

let app: ReturnType<typeof createApp>;
let engine: ReturnType<typeof tracedEngine>;
beforeAll(async () => {
  f = await createEngineFixture();
  // The engine as the processes run it: traced (`apps/runtime.ts`).
  engine = tracedEngine({ store: f.store, catalog: f.catalog, clock: f.clock, licenceSigner: f.licenceSigner });
  app = createApp(apiDeps({ ...f, engine, clock: systemClock }, { auth: { jwtSecret: TEST_JWT_SECRET }, log: () => {} }));
  queues = createQueues({ connection: redis, prefix });
  await publishReminderItem(f);
});
afterAll(async () => {
  await tracing?.stop();
  await queues.close();
  await redis.quit();
  await deleteKeysWithPrefix(prefix);
  await f.close();
});

/** Starts a reminder case at the window, the request carrying `traceparent`; its id. */
async function startCase(traceparent: string): Promise<string> {
  const token = await mintToken('window.clerk', TEST_JWT_SECRET, systemClock);
  const res = await app.request('/api/cases', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent },
    body: JSON.stringify({ serviceItemCode: 'reminder', applicant: APPLICANT, materials: [] }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

/** The case's outbox row's payload (its timer's, due in a minute). */
async function outboxPayload(caseId: string): Promise<Record<string, unknown>> {
  const [row] = await f.sql<{ payload: Record<string, unknown> }[]>`select payload from outbox where case_id = ${caseId}`;
  return row!.payload;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('traces', () => {
  it('follow a case from the request through its command and commit, the relay and the timer fire, in one trace', async () => {
    tracing = registerTracing(new SimpleSpanProcessor(exporter), 'tongban-test');
    const caseId = await startCase(`00-${CALLER.traceId}-${CALLER.spanId}-01`);
    f.clock.advance({ minutes: 2 });
    await new OutboxRelay({ sql: f.sql, queues, clock: f.clock, logger: quiet }).relayBatch();
    const worker = createTimerWorker({ connection: redis, prefix, sql: f.sql, engine, clock: f.clock, logger: quiet });
    try {
      await waitFor('the timer fired', async () => exporter.getFinishedSpans().some((s) => s.name === 'timer.fire'));
    } finally {
      await worker.close();
    }

    const spans = exporter.getFinishedSpans();
    const named = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect(found.map((s) => s.name)).toEqual([name]);
      return found[0]!;
    };
    const request = named('http.request');
    const start = named('command case.start');
    const fire = named('timer.fire');
    const fireCommand = named('command timer.fire');
    const relay = named('outbox.relay');
    const [startCommit, fireCommit] = spans.filter((s) => s.name === 'commit');
    expect(spans.filter((s) => s.name === 'commit')).toHaveLength(2);

    // One trace, the caller's, each span the child of the one before.
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([CALLER.traceId]));
    expect(parentOf(request)).toBe(CALLER.spanId);
    expect(parentOf(start)).toBe(idOf(request));
    expect(parentOf(startCommit!)).toBe(idOf(start));
    expect(parentOf(relay)).toBe(idOf(startCommit!));
    expect(parentOf(fire)).toBe(idOf(relay));
    expect(parentOf(fireCommand)).toBe(idOf(fire));
    expect(parentOf(fireCommit!)).toBe(idOf(fireCommand));

    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/cases', 'http.response.status_code': 201, 'tongban.request.id': expect.any(String) });
    expect(start.attributes).toEqual({ 'tongban.operation': 'case.start', 'tongban.case.id': caseId, 'tongban.case.version': 1, 'tongban.changed': true });
    const timerId = String((await outboxPayload(caseId))['timerId']);
    expect(relay.attributes).toEqual({ 'tongban.case.id': caseId, 'tongban.outbox.topic': 'timer', 'tongban.timer.id': timerId });
    expect(fire.attributes).toEqual({ 'tongban.timer.id': timerId, 'tongban.job.attempt': 1 });
    expect(fireCommand.attributes).toMatchObject({ 'tongban.operation': 'timer.fire', 'tongban.case.id': caseId, 'tongban.timer.id': timerId, 'tongban.changed': true });
    expect(await outboxPayload(caseId)).toMatchObject({ traceparent: `00-${CALLER.traceId}-${idOf(startCommit!)}-01` });

    const attributes = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of [APPLICANT.name, APPLICANT.idNumber, APPLICANT.phone, APPLICANT.phone.replace(/\D/g, '')]) expect(attributes).not.toContain(secret);
  });

  it('records and writes nothing once tracing is off', async () => {
    await tracing?.stop();
    tracing = null;
    exporter.reset();
    const caseId = await startCase(`00-${CALLER.traceId}-${CALLER.spanId}-01`);
    f.clock.advance({ minutes: 2 });
    await new OutboxRelay({ sql: f.sql, queues, clock: f.clock, logger: quiet }).relayBatch();

    const payload = await outboxPayload(caseId);
    expect(payload).toEqual({ timerId: expect.any(String), dueAt: expect.any(String), requestId: expect.any(String) });
    const job = await queues.timers.getJob(timerJobId(String(payload['timerId'])));
    expect(job?.data).toEqual({ timerId: payload['timerId'], requestId: payload['requestId'] });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
