import type { Redis } from 'ioredis';
import type { Sql } from '../db/connection.js';
import { verifyAllCases } from '../db/audit-verification.js';
import { SCHEDULING_HORIZON_MS } from '../db/delivery-queries.js';
import type { Catalog } from '../engine/case-store.js';
import { QUEUE_NAMES, timerJobId } from '../workers/queues.js';
import { caseStateViolations, taskCompletionViolations, timerFiringViolations } from './case-invariants.js';
import { ledgerViolations, rungViolations } from './clock-invariants.js';
import { loadCaseRows, type CaseRows } from './case-rows.js';

/**
 * The invariant checker of issue 18: what must hold of a deployment's stored state whatever failed on the way
 * (processes killed, Redis emptied, deliveries repeated). Run it on a quiet system — load stopped, workers caught
 * up — by the soak (`soak/main.ts`) and by the fault tests (scenario 12). Each check says how many things it
 * looked at and every violation it found; a check that looked at nothing proves nothing, so callers assert both.
 *
 * The checks, and the exact rules of each:
 * - `case-state`: each case's stored snapshot resolves on its definition version; its `state_label` is the
 *   snapshot's; its status agrees with it (a finished machine is `approved` with the approval tag, else `refused`;
 *   an unfinished one `running`, `suspended`, `withdrawn` or `terminated`); `completed_at` is set exactly when the
 *   case is closed; a closed case holds no open task and no pending timer.
 * - `task-completions`: each task completed at most once: at most one completion event in its case's audit
 *   (`task.approved|rejected|returned`, `task.deemed-approved|rejected`); exactly one when the row is `completed`
 *   or `withdrawn` (a completion taken back), none when it is open, claimed or cancelled; one opinion per completion.
 * - `timers-fired-once`: each timer fired at most once: a `fired` timer has exactly one event of its firing in the
 *   audit (an event naming its `timerId`, other than `incident.retried`) and a `fired_at`; any other has none.
 * - `rungs-once`: each warning rung reached at most once per clock (a task's clock per task: a task reopened starts
 *   a new clock), as the audit tells it — reached again only after an extension or a recount took it off (both
 *   audited with `cleared`); each rung on a clock's ledger reached in the audit; `warning.reached` notifications per
 *   audience at most as many as the audit's reaches of that rung, and at least one per reach.
 * - `clock-ledgers`: the ledger rules of `engine/time/legal-clock.ts` (see `clock-invariants.ts`).
 * - `audit-chains`: every case's hash chain verifies against the head on its row (`db/audit-verification.ts`).
 * - `pending-timers-delivered`: each pending timer due within the scheduling horizon (of a case not suspended: a
 *   suspended case's timers wait for its resumption) has its BullMQ job under the prefix, or an unsent outbox row
 *   still to relay it, or an open incident; each failed timer of an open case has an open incident.
 */
export interface Violation {
  readonly caseId: string | null;
  readonly what: string;
}

export interface CheckResult {
  /** One of {@link INVARIANTS}, or a check of the caller's (the soak's liveness and outcome checks). */
  readonly name: string;
  /** How many things it looked at (cases, tasks, timers, clocks, rungs…: said by `unit`). */
  readonly lookedAt: number;
  readonly unit: string;
  readonly violations: readonly Violation[];
}

export const INVARIANTS = ['case-state', 'task-completions', 'timers-fired-once', 'rungs-once', 'clock-ledgers', 'audit-chains', 'pending-timers-delivered'] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface InvariantDeps {
  readonly sql: Sql;
  /** A connection to the Redis the workers deliver through. */
  readonly redis: Redis;
  /** The workers' BullMQ prefix. */
  readonly prefix: string;
  /** Definitions (by key and version) and calendars, as the engine reads them. */
  readonly catalog: Pick<Catalog, 'definition' | 'calendar'>;
  /** The engine clock's instant (the test clock in a fleet). */
  readonly now: Date;
  /** Cases per batch (default 200): memory stays bounded however many cases there are. */
  readonly batchSize?: number;
}

/**
 * Runs every check; returns one result per check, in the order of {@link INVARIANTS}.
 *
 * @example
 * const results = await checkInvariants({ sql, redis, prefix, catalog, now: fleet.now() });
 * for (const r of results) console.log(r.name, r.lookedAt, r.violations.length);
 */
export async function checkInvariants(deps: InvariantDeps): Promise<CheckResult[]> {
  const tally = new Map<InvariantName, { lookedAt: number; unit: string; violations: Violation[] }>();
  const add = (name: InvariantName, unit: string, lookedAt: number, violations: readonly Violation[]) => {
    const t = tally.get(name) ?? { lookedAt: 0, unit, violations: [] };
    t.lookedAt += lookedAt;
    t.violations.push(...violations);
    tally.set(name, t);
  };
  for await (const batch of caseBatches(deps)) {
    for (const rows of batch) {
      const definition = await deps.catalog.definition(rows.case.definitionKey, rows.case.definitionVersion).catch(() => null);
      add('case-state', 'cases', 1, caseStateViolations(rows, definition));
      add('task-completions', 'tasks', rows.tasks.length, taskCompletionViolations(rows));
      add('timers-fired-once', 'timers', rows.timers.length, timerFiringViolations(rows));
      const rungs = rungViolations(rows);
      add('rungs-once', 'rungs reached', rungs.lookedAt, rungs.violations);
      const ledgers = await ledgerViolations(rows, deps.catalog, deps.now);
      add('clock-ledgers', 'clocks', ledgers.lookedAt, ledgers.violations);
    }
  }
  const chains: Violation[] = [];
  const sweep = await verifyAllCases(deps.sql, (v) => {
    if (!v.ok) chains.push({ caseId: v.caseId, what: `audit chain broken at seq ${v.brokenAtSeq} (${v.reason}); ${v.length} events, head at ${v.headSeq}` });
  });
  add('audit-chains', 'cases', sweep.cases, chains);
  const delivered = await pendingTimerViolations(deps);
  add('pending-timers-delivered', 'timers', delivered.lookedAt, delivered.violations);
  return INVARIANTS.map((name) => {
    const t = tally.get(name) ?? { lookedAt: 0, unit: '', violations: [] };
    return { name, lookedAt: t.lookedAt, unit: t.unit, violations: t.violations };
  });
}

/**
 * Half an hour before the next pending timer (of a case not suspended) due after `now`; null when none is. A check
 * run with the clock there, once the reconciler has walked into the horizon, sees that timer within the horizon:
 * what `pending-timers-delivered` needs to look at something (on a clock moved days at a time, the hour ahead
 * is mostly empty).
 */
export async function beforeNextTimer(sql: Sql, now: Date): Promise<Date | null> {
  const [row] = await sql<{ dueMs: number | null }[]>`
    select (extract(epoch from min(t.due_at)) * 1000)::float8 as "dueMs" from timers t
    where t.status = 'pending' and t.due_at > ${now.toISOString()}::timestamptz
      and not exists (select 1 from cases c where c.id = t.case_id and c.status = 'suspended')`;
  return row?.dueMs == null ? null : new Date(row.dueMs - 30 * 60_000);
}

/** The cases with their rows, `batchSize` cases at a time in id order (a keyset cursor). */
async function* caseBatches(deps: InvariantDeps): AsyncGenerator<CaseRows[]> {
  let after: string | null = null;
  for (;;) {
    const batch = await loadCaseRows(deps.sql, after, deps.batchSize ?? 200);
    if (batch.length > 0) yield batch;
    if (batch.length < (deps.batchSize ?? 200)) return;
    after = batch.at(-1)!.case.id;
  }
}

/** `pending-timers-delivered`: see {@link checkInvariants}. */
async function pendingTimerViolations(deps: InvariantDeps): Promise<{ lookedAt: number; violations: Violation[] }> {
  const horizon = new Date(deps.now.getTime() + SCHEDULING_HORIZON_MS).toISOString();
  const pending = await deps.sql<{ id: string; caseId: string; kind: string; relaying: boolean; incident: boolean }[]>`
    select t.id, t.case_id as "caseId", t.kind,
      exists (select 1 from outbox o where o.sent_at is null and o.payload->>'timerId' = t.id::text) as relaying,
      exists (select 1 from timer_incidents i where i.timer_id = t.id and i.resolved_at is null) as incident
    from timers t
    where t.status = 'pending' and t.due_at < ${horizon}::timestamptz
      and not exists (select 1 from cases c where c.id = t.case_id and c.status = 'suspended')`;
  const violations: Violation[] = [];
  const pipeline = deps.redis.pipeline();
  for (const t of pending) pipeline.exists(`${deps.prefix}:${QUEUE_NAMES.timers}:${timerJobId(t.id)}`);
  const answers = pending.length > 0 ? ((await pipeline.exec()) ?? []) : [];
  pending.forEach((t, i) => {
    const [error, exists] = answers[i] ?? [null, 0];
    if (error) throw error;
    if (exists === 0 && !t.relaying && !t.incident) violations.push({ caseId: t.caseId, what: `pending ${t.kind} timer ${t.id} due within the horizon has no job, no outbox row and no open incident` });
  });
  const failed = await deps.sql<{ id: string; caseId: string; kind: string; incident: boolean }[]>`
    select t.id, t.case_id as "caseId", t.kind,
      exists (select 1 from timer_incidents i where i.timer_id = t.id and i.resolved_at is null) as incident
    from timers t join cases c on c.id = t.case_id
    where t.status = 'failed' and c.status in ('running', 'suspended')`;
  for (const t of failed) if (!t.incident) violations.push({ caseId: t.caseId, what: `failed ${t.kind} timer ${t.id} of an open case has no open incident` });
  return { lookedAt: pending.length + failed.length, violations };
}
