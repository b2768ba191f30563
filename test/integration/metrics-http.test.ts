import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { DATABASE_FIGURES_SQL } from '../../db/operations-figures.js';
import { systemClock } from '../../platform/system-clock.js';
import { createQueues, timerJob, type DeliveryQueues } from '../../workers/queues.js';
import type { RedisView } from '../../workers/readiness.js';
import { recordReconcilerRun } from '../../workers/reconciler-heartbeat.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { planNodes, type PlanNode } from '../support/query-plans.js';
import { expectExpositionFormat, sampleOf } from '../support/prometheus-text.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';
import { TEST_JWT_SECRET } from '../support/test-auth.js';

/**
 * Issue 20, metrics: `GET /metrics` behind its own token, in Prometheus' text format, counting what the API did
 * (requests, commands by operation and outcome) and reading what PostgreSQL and Redis hold (open cases and tasks,
 * overdue tasks, late timers, the outbox, the queues, the reconciler's heartbeat) at each scrape.
 */

const TOKEN = 'metrics-token-for-the-tests';
let f: ApiFixture;
let redis: RedisView;
let queues: DeliveryQueues;
const { start } = caseDriver(() => f);

beforeAll(async () => {
  process.env['TONGBAN_METRICS_TOKEN'] = TOKEN;
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
  f = await createApiFixture({}, redis);
  queues = createQueues(redis);
});

afterAll(async () => {
  delete process.env['TONGBAN_METRICS_TOKEN'];
  await queues?.close();
  await f?.close();
  await redis?.connection.quit();
  if (redis) await deleteKeysWithPrefix(redis.prefix);
});

const scrape = async (app = f.app, authorization: string | null = `Bearer ${TOKEN}`) =>
  app.request('/metrics', { headers: authorization === null ? {} : { authorization } });

async function metricsText(app = f.app): Promise<string> {
  const res = await scrape(app);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  expectExpositionFormat(text);
  return text;
}

describe('GET /metrics', () => {
  it('counts a committed start, a refused command and the requests that carried them, by route template', async () => {
    const caseId = await start();
    const refused = await f.as('fire.handler').post(`/api/tasks/${randomUUID()}/complete`, { outcome: 'approve', opinion: { text: '同意' } });
    expect(refused.status).toBe(404);
    // Refused before its route ran: counted under the route it asked for, as its log line names it.
    expect((await f.as(null).get(`/api/cases/${caseId}/clocks`)).status).toBe(401);

    const text = await metricsText();
    expect(sampleOf(text, 'tongban_command_duration_seconds_count', { operation: 'case.start', outcome: 'committed', code: '' })).toBe(1);
    expect(sampleOf(text, 'tongban_command_duration_seconds_count', { operation: 'task.complete', outcome: 'refused', code: 'TB-TASK-404' })).toBe(1);
    expect(sampleOf(text, 'tongban_http_request_duration_seconds_count', { route: '/api/cases', method: 'POST', status_class: '2xx' })).toBe(1);
    expect(sampleOf(text, 'tongban_http_request_duration_seconds_count', { route: '/api/tasks/:taskId/complete', method: 'POST', status_class: '4xx' })).toBe(1);
    expect(sampleOf(text, 'tongban_http_request_duration_seconds_count', { route: '/api/cases/:caseId/clocks', method: 'GET', status_class: '4xx' })).toBe(1);
    expect(text).not.toContain(caseId);
    expect(sampleOf(text, 'process_cpu_user_seconds_total', {})).toBeGreaterThan(0);
  });

  it('reads open cases and tasks by department and colour, overdue tasks, late timers and the outbox at each scrape', async () => {
    const caseId = await start();
    const [task] = await f.sql`select department_code, due_at from tasks where case_id = ${caseId} and status = 'open'`;
    const department = String(task?.['department_code']);
    const before = await metricsText();
    const openInDepartment = sampleOf(before, 'tongban_open_tasks', { department, colour: 'green' });
    expect(openInDepartment).toBeGreaterThanOrEqual(1);
    expect(sampleOf(before, 'tongban_open_cases', { status: 'running' })).toBe(await count(`select count(*) from cases where status = 'running'`));
    expect(sampleOf(before, 'tongban_overdue_tasks', { department })).toBe(0);
    expect(sampleOf(before, 'tongban_timers_late', {})).toBe(0);
    expect(sampleOf(before, 'tongban_outbox_unrelayed_rows', {})).toBe(0);
    expect(sampleOf(before, 'tongban_outbox_oldest_unrelayed_age_seconds', {})).toBe(0);
    expect(sampleOf(before, 'tongban_incidents_open', {})).toBe(0);
    expect(sampleOf(before, 'tongban_postgres_connections', { state: 'active' })).toBeGreaterThanOrEqual(1);

    // Legal time moves a day past the task's due: its timers have not fired (no worker runs here), the task is overdue.
    f.clock.set(new Date(new Date(String(task?.['due_at'])).getTime() + 86_400_000));
    const after = await metricsText();
    expect(sampleOf(after, 'tongban_overdue_tasks', { department })).toBe(await count(`select count(*) from tasks where department_code = '${department}' and status in ('open', 'claimed') and due_at < '${f.clock.now().toISOString()}'`));
    expect(sampleOf(after, 'tongban_overdue_tasks', { department })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(after, 'tongban_timers_late', {})).toBe(await count(`select count(*) from timers where status = 'pending' and due_at < '${f.clock.now().toISOString()}'`));
    expect(sampleOf(after, 'tongban_timer_lateness_seconds', {})).toBeGreaterThanOrEqual(86_400);

    // A row the relay has not handed on for 90 s (nothing relays in this fixture), aged on the database's clock that stamped it.
    await f.sql`insert into outbox (case_id, topic, payload, created_at) values (${caseId}, 'timer', '{}'::jsonb, clock_timestamp() - interval '90 seconds')`;
    const lagging = await metricsText();
    expect(sampleOf(lagging, 'tongban_outbox_unrelayed_rows', {})).toBe(1);
    expect(sampleOf(lagging, 'tongban_outbox_oldest_unrelayed_age_seconds', {})).toBeGreaterThanOrEqual(90);
    expect(sampleOf(lagging, 'tongban_outbox_oldest_unrelayed_age_seconds', {})).toBeLessThan(120);
    await f.sql`delete from outbox where case_id = ${caseId}`;
  });

  it('reads the delivery queues by state and the reconciler heartbeat from Redis', async () => {
    const job = timerJob(randomUUID(), new Date(Date.now() + 3_600_000), systemClock);
    await queues.timers.add(job.name, job.data, job.opts);
    await recordReconcilerRun(redis.connection, redis.prefix, new Date(f.clock.now().getTime() - 30_000));
    const text = await metricsText();
    expect(sampleOf(text, 'tongban_queue_jobs', { queue: 'timers', state: 'delayed' })).toBe(1);
    expect(sampleOf(text, 'tongban_queue_jobs', { queue: 'timers', state: 'failed' })).toBe(0);
    expect(sampleOf(text, 'tongban_reconciler_last_run_age_seconds', {})).toBeCloseTo(30, 0);
    expect(sampleOf(text, 'tongban_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(sampleOf(text, 'tongban_metrics_source_up', { source: 'postgres' })).toBe(1);
  });

  it('leaves the Redis series out where the process has no Redis', async () => {
    const text = await metricsText(createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: TEST_JWT_SECRET }, log: () => {} })));
    expect(text).not.toMatch(/^tongban_queue_jobs\{/m);
    expect(text).not.toMatch(/^tongban_reconciler_last_run_age_seconds /m);
    expect(text).not.toContain('source="redis"');
    expect(sampleOf(text, 'tongban_metrics_source_up', { source: 'postgres' })).toBe(1);
  });

  it('answers only its own token: none or another is 401, and without TONGBAN_METRICS_TOKEN the endpoint is off (404)', async () => {
    for (const authorization of [null, 'Bearer not-the-metrics-token', `Bearer ${await f.token('admin')}`, `Basic ${TOKEN}`]) {
      const res = await scrape(f.app, authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ code: 'TB-UNAUTHENTICATED' });
    }
    delete process.env['TONGBAN_METRICS_TOKEN'];
    try {
      const off = await scrape(createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: TEST_JWT_SECRET }, log: () => {} })));
      expect(off.status).toBe(404);
      expect(await off.json()).toMatchObject({ code: 'TB-HTTP-404', detail: expect.stringContaining('TONGBAN_METRICS_TOKEN') });
    } finally {
      process.env['TONGBAN_METRICS_TOKEN'] = TOKEN;
    }
  });

  it('reads partial indexes of what is open or pending, never a whole table', async () => {
    const plan = await f.sql.begin(async (tx) => {
      // The tables here are tiny, where a sequential scan is cheapest: forbid it to see which index each part can use.
      await tx.unsafe('set local enable_seqscan = off');
      const [row] = await tx.unsafe(`explain (format json) ${DATABASE_FIGURES_SQL}`, [f.clock.now().toISOString()]);
      return (row?.['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
    });
    const nodes = planNodes(plan);
    const ours = ['cases', 'tasks', 'outbox', 'timers', 'timer_incidents'];
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && ours.includes(n['Relation Name'] ?? '')).map((n) => n['Relation Name'])).toEqual([]);
    const indexes = nodes.map((n) => n['Index Name']).filter(Boolean);
    expect(indexes).toEqual(expect.arrayContaining(['outbox_unsent_idx', 'timers_pending_due_idx', 'timer_incidents_unresolved_idx']));
  });
});

const count = async (query: string): Promise<number> => Number((await f.sql.unsafe(query))[0]?.['count']);
