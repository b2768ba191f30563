import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoActor } from '../../../apps/demo-users.js';
import { findVisibleCaseClocks } from '../../../db/case-queries.js';
import { instant, optionalInstant } from '../../../db/instants.js';
import { caseId as asCaseId, taskId } from '../../../engine/ids.js';
import { clockStatus, type ClockStatus } from '../../../engine/time/legal-clock.js';
import { epochDay } from '../../../engine/time/local-date.js';
import { timerJobId } from '../../../workers/queues.js';
import type { RunningWorkers } from '../../../workers/start-workers.js';
import type { TimerJobResult } from '../../../workers/timer-worker.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import { createWorkerWorld, startConstructionPermit, startWorldWorkers, waitFor, type WorkerWorld } from './worker-test-kit.js';
import { CONSTRUCTION_CONTRACT } from '../../support/case-driver.js';

/**
 * Issue 11: "a worker restart in the middle changes nothing". A construction permit returned for supplement
 * just before National Day 2026 has its clocks paused and its case deadline cancelled; the workers are
 * stopped, time passes the holiday, fresh workers start, the supplement arrives. Everything the case then
 * shows — its clocks, its deadline timer, that timer firing once — must be what a twin case shows whose
 * workers ran throughout, at the same instants.
 */

const STARTED = new Date('2026-09-21T10:00:00+08:00'); // a Monday
const RETURNED = new Date('2026-09-29T10:00:00+08:00'); // the clocks pause; 30 Sep is still a working day
const SUPPLEMENTED = new Date('2026-10-09T10:00:00+08:00'); // after National Day: 30 Sep, 8 and 9 Oct not counted
const SUPPLEMENT = { name: '消防设计文件', sha256: 'd'.repeat(64), sizeBytes: 2048 };
const MINUTE = 60_000;

/** The test ticks the reconciler itself (BullMQ's wall clock does not follow the manual one). */
const WORKER_OPTIONS = { concurrency: 2, relay: { pollMs: 100 }, reconciler: { intervalMs: 3_600_000, graceMs: 0 } };

let restartWorld: WorkerWorld;
let twinWorld: WorkerWorld;
beforeAll(async () => {
  [restartWorld, twinWorld] = await Promise.all([createWorkerWorld(), createWorkerWorld()]);
});
afterAll(async () => {
  await Promise.all([restartWorld?.close(), twinWorld?.close()]);
});

interface TimerRow {
  readonly kind: string;
  readonly status: string;
  readonly sendId: string | null;
  readonly dueAt: Date;
  readonly dueDerivation: { readonly dueDate: string } | null;
  readonly firedAt: Date | null;
}

/** A case as its users and auditors see it, without ids (which differ between the twins) or delivery stamps. */
interface Observation {
  readonly clocks: readonly (ClockStatus & { readonly id: string })[];
  readonly case: { state: string; status: string; version: number; dueAt: Date; dueDerivation: { dueDate: string; pausedWorkingDays: number } };
  readonly timers: readonly TimerRow[];
  readonly audit: readonly { seq: number; type: string; actorId: string; occurredAt: Date }[];
  readonly notifications: readonly { template: string; audience: string; department: string | null; clock: string | null; rung: string | null; createdAt: Date }[];
}

async function observe(f: EngineFixture, caseId: string): Promise<Observation> {
  const found = await findVisibleCaseClocks(f.sql, demoActor('housing.lead'), caseId);
  if (!found) throw new Error(`housing.lead cannot read the clocks of case ${caseId}`);
  const now = f.clock.now();
  // Raw queries get timestamps as text (db/connection.ts): `instant` reads them.
  const [row] = await f.sql`
    select state_label as state, status, version, due_at as "dueAt", due_derivation as "dueDerivation" from cases where id = ${caseId}`;
  if (!row) throw new Error(`no case ${caseId}`);
  const timers = await f.sql`
    select kind, status, send_id as "sendId", due_at as "dueAt", due_derivation as "dueDerivation", fired_at as "firedAt"
    from timers where case_id = ${caseId} order by due_at, kind, status`;
  const audit = await f.sql`
    select seq, type, actor_id as "actorId", occurred_at as "occurredAt" from audit_events where case_id = ${caseId} order by seq`;
  const notifications = await f.sql`
    select template, audience, department_code as department, data->>'clock' as clock, data->>'rung' as rung, created_at as "createdAt"
    from notifications where case_id = ${caseId} order by created_at, template, department_code, data->>'clock', data->>'rung'`;
  return {
    clocks: found.clocks.map((c) => ({ id: c.id, ...clockStatus(c, found.calendar, now) })),
    case: { ...(row as unknown as Observation['case']), dueAt: instant(row['dueAt']) },
    timers: timers.map((t) => ({ ...(t as unknown as TimerRow), dueAt: instant(t['dueAt']), firedAt: optionalInstant(t['firedAt']) })),
    audit: audit.map((a) => ({ ...(a as unknown as Observation['audit'][number]), occurredAt: instant(a['occurredAt']) })),
    notifications: notifications.map((n) => ({ ...(n as unknown as Observation['notifications'][number]), createdAt: instant(n['createdAt']) })),
  };
}

const caseDeadlines = (o: Observation) => o.timers.filter((t) => t.kind === 'case.deadline');
/** The case's own clocks (a task's clocks, if kept, are compared with the twin's but not checked here). */
const caseClocks = (o: Observation) => o.clocks.filter((c) => c.id === 'legal' || c.id === 'committed');
const committedClock = (o: Observation) => o.clocks.find((c) => c.id === 'committed');

/** Completes the case's open task of `department` as `userId` with `outcome`. */
async function completeOpenTask(f: EngineFixture, caseId: string, department: string, userId: string, outcome: 'approve' | 'return'): Promise<void> {
  const [task] = await f.sql<{ id: string }[]>`
    select id from tasks where case_id = ${caseId} and department_code = ${department} and status in ('open', 'claimed')`;
  if (!task) throw new Error(`case ${caseId} has no open task for ${department}`);
  // The window's return to the applicant names what to supplement (一次性告知).
  const request = outcome === 'return' ? { supplementRequest: { materials: [{ name: CONSTRUCTION_CONTRACT, reason: '缺少施工合同' }] } } : {};
  await f.engine.execute({ type: 'task.complete', actor: demoActor(userId), taskId: taskId(task.id), outcome, opinion: { text: '缺少消防设计文件', visibility: 'internal' }, ...request });
}

async function caseDeadlineIds(f: EngineFixture, caseId: string): Promise<{ id: string; status: string }[]> {
  return f.sql<{ id: string; status: string }[]>`select id, status from timers where case_id = ${caseId} and kind = 'case.deadline' order by due_at`;
}

type JobAnswer = Omit<TimerJobResult, 'caseId'>;

/** One case driven from application to its deadline elapsing, with a restart of the workers while it is paused or not. */
interface Run {
  readonly caseId: string;
  readonly steps: {
    readonly started: Observation;
    readonly returned: Observation;
    readonly supplemented: Observation;
    /** Just past the due the case had before the pause. */
    readonly pastUnpausedDue: Observation;
    /** Just past the due the committed clock has after the resume. */
    readonly pastDue: Observation;
    /** After the fired and the cancelled case deadline were each delivered again. */
    readonly redelivered: Observation;
  };
  /** What the timer worker answered for the case deadline's jobs (the case id left out). */
  readonly jobs: { readonly fired: JobAnswer | undefined; readonly firedAgain: JobAnswer | undefined; readonly cancelledAgain: JobAnswer | undefined };
  /** How many times a set of workers started for the run. */
  readonly workerStarts: number;
}

async function drive(w: WorkerWorld, { restart }: { restart: boolean }): Promise<Run> {
  const { f } = w;
  const results = new Map<string, JobAnswer>();
  let workerStarts = 0;
  const startWorkers = async () => {
    const workers = await startWorldWorkers(w, WORKER_OPTIONS);
    workers.timerWorker.on('completed', (job, { changed, version }) => void (job.id && results.set(job.id, { changed, version })));
    workerStarts += 1;
    return workers;
  };
  /** Hands every timer due by now to the worker and waits until none of the case's is left pending. */
  const fireWhatIsDue = async (workers: RunningWorkers, caseId: string) => {
    await workers.reconciler.tick();
    await waitFor('the timers due to fire', async () => {
      const [row] = await f.sql<{ n: number }[]>`
        select count(*)::int as n from timers where case_id = ${caseId} and status = 'pending' and due_at <= ${f.clock.now().toISOString()}`;
      return row?.n === 0;
    });
  };

  f.clock.set(STARTED);
  let workers = await startWorkers();
  try {
    const caseId = await startConstructionPermit(f);
    const started = await observe(f, caseId);
    const [original] = await caseDeadlineIds(f, caseId);
    if (!original) throw new Error('the case started without a case deadline');

    // A week on, the acceptance check (one working day) is overdue: its deadline fires, then the window returns it.
    f.clock.set(RETURNED);
    await fireWhatIsDue(workers, caseId);
    await completeOpenTask(f, caseId, 'window', 'window.clerk', 'return');
    const returned = await observe(f, caseId);

    if (restart) {
      await workers.stop();
      f.clock.set(SUPPLEMENTED);
      workers = await startWorkers();
    } else {
      f.clock.set(SUPPLEMENTED);
    }
    await f.engine.execute({ type: 'supplement.submit', actor: demoActor('window.clerk'), caseId: asCaseId(caseId), materials: [SUPPLEMENT] });
    const supplemented = await observe(f, caseId);
    const renewed = (await caseDeadlineIds(f, caseId)).find((t) => t.status === 'pending');
    if (!renewed) throw new Error('no pending case deadline after the supplement');

    const [unpaused] = caseDeadlines(started);
    f.clock.set(new Date(unpaused!.dueAt.getTime() + MINUTE));
    await fireWhatIsDue(workers, caseId);
    const pastUnpausedDue = await observe(f, caseId);

    const [, moved] = caseDeadlines(supplemented);
    f.clock.set(new Date(moved!.dueAt.getTime() + MINUTE));
    await fireWhatIsDue(workers, caseId);
    const pastDue = await observe(f, caseId);

    // The fired deadline delivered again (a stale job, a second worker), and a job for the cancelled one
    // (as if it had been queued before the restart): neither changes anything.
    const again = (id: string) => `${timerJobId(id)}-again`;
    await workers.queues.timers.addBulk([
      { name: 'timer.fire', data: { timerId: renewed.id }, opts: { jobId: again(renewed.id) } },
      { name: 'timer.fire', data: { timerId: original.id }, opts: { jobId: again(original.id) } },
    ]);
    await waitFor('both deliveries to be processed', async () => results.has(again(renewed.id)) && results.has(again(original.id)));
    const redelivered = await observe(f, caseId);

    return {
      caseId,
      steps: { started, returned, supplemented, pastUnpausedDue, pastDue, redelivered },
      jobs: { fired: results.get(timerJobId(renewed.id)), firedAgain: results.get(again(renewed.id)), cancelledAgain: results.get(again(original.id)) },
      workerStarts,
    };
  } finally {
    await workers.stop();
  }
}

describe('legal clocks across a worker restart', () => {
  it('a case returned before National Day and supplemented after it, with the workers restarted in between, reads and fires as its twin without a restart', async () => {
    const twin = await drive(twinWorld, { restart: false });
    const run = await drive(restartWorld, { restart: true });
    const { started, returned, supplemented, pastUnpausedDue, pastDue, redelivered } = run.steps;
    expect([run.workerStarts, twin.workerStarts]).toEqual([2, 1]); // the restart did happen, in one run only

    // Started: both clocks run; the case deadline is the committed clock's due.
    expect(caseClocks(started).map((c) => [c.id, c.state, c.budget, c.pauses.length])).toEqual([['legal', 'running', 15, 0], ['committed', 'running', 10, 0]]);
    const [unpaused] = caseDeadlines(started);
    expect(caseDeadlines(started)).toEqual([expect.objectContaining({ status: 'pending', sendId: 'case.deadline', dueAt: committedClock(started)?.due?.due })]);
    expect(unpaused?.dueDerivation?.dueDate).toBe('2026-10-12');

    // Returned: both clocks paused, no due; the case deadline cancelled, none pending.
    expect(caseClocks(returned).map((c) => [c.id, c.state, c.due, c.pauses.map((p) => [p.reason.kind, p.until])])).toEqual([
      ['legal', 'paused', null, [['supplement', null]]],
      ['committed', 'paused', null, [['supplement', null]]],
    ]);
    expect(caseDeadlines(returned)).toEqual([{ ...unpaused, status: 'cancelled' }]);
    // The acceptance was overdue first (its rungs reached on the way: the warnings are looked at below).
    expect(returned.audit.map((a) => a.type).filter((t) => t !== 'warning.reached')).toEqual(['case.started', 'deadline.elapsed', 'task.returned']);

    // Supplemented after the restart: the clocks run again, each due moved by exactly the 3 working days paused.
    expect(caseClocks(supplemented).map((c) => [c.id, c.state, c.pauses.map((p) => [p.reason.kind, p.until, p.workingDaysNotCounted])])).toEqual([
      ['legal', 'running', [['supplement', SUPPLEMENTED.toISOString(), 3]]],
      ['committed', 'running', [['supplement', SUPPLEMENTED.toISOString(), 3]]],
    ]);
    const due = committedClock(supplemented)?.due;
    expect(due?.derivation).toMatchObject({ budgetWorkingDays: 10, pausedWorkingDays: 3, dueDate: '2026-10-15' });
    const calendar = (await findVisibleCaseClocks(restartWorld.f.sql, demoActor('housing.lead'), run.caseId))!.calendar;
    expect(calendar.workingDaysBetween(epochDay(unpaused!.dueDerivation!.dueDate), epochDay(due!.derivation.dueDate))).toBe(3);
    // Exactly one pending case deadline, at the committed clock's due; the case row follows.
    expect(caseDeadlines(supplemented)).toEqual([
      { ...unpaused, status: 'cancelled' },
      { kind: 'case.deadline', status: 'pending', sendId: 'case.deadline', dueAt: due?.due, dueDerivation: expect.objectContaining({ dueDate: '2026-10-15' }), firedAt: null },
    ]);
    expect(supplemented.case).toMatchObject({ state: 'acceptance', status: 'running', dueAt: due?.due, dueDerivation: { dueDate: '2026-10-15', pausedWorkingDays: 3 } });

    // Past the due the case had before the pause, the cancelled deadline does not fire, nor does the new one.
    expect(pastUnpausedDue.timers.filter((t) => t.kind === 'task.deadline').map((t) => t.status)).toEqual(['fired', 'fired']); // the reopened acceptance's too
    expect(caseDeadlines(pastUnpausedDue)).toEqual(caseDeadlines(supplemented));
    // The committed clock's red rung is told to the lead department when its (moved) due passes, not before.
    const caseOverdue = (o: Observation) => o.notifications.filter((n) => n.template === 'warning.reached' && n.clock === 'committed' && n.rung === 'red');
    expect(caseOverdue(pastUnpausedDue)).toEqual([]);

    // Past the moved due: the case deadline fires once, with one audit event and one notice to the lead department.
    expect(caseDeadlines(pastDue).map((t) => [t.status, t.dueAt, t.firedAt])).toEqual([
      ['cancelled', unpaused?.dueAt, null],
      ['fired', due?.due, new Date(due!.due.getTime() + MINUTE)],
    ]);
    expect(pastDue.audit.slice(returned.audit.length).map((a) => [a.type, a.actorId]).filter(([t]) => t !== 'warning.reached')).toEqual([
      ['supplement.submitted', 'window.clerk'],
      ['deadline.elapsed', 'system'],
      ['case.deadline.elapsed', 'system'],
    ]);
    expect(caseOverdue(pastDue).map((n) => n.department)).toEqual(['housing']);
    // Its job, or the committed clock's rung job due at the same instant, fired it (whichever came first took both).
    expect(run.jobs.fired).toMatchObject({ version: pastDue.case.version });

    // Delivered again, the fired and the cancelled deadline change nothing.
    expect([run.jobs.firedAgain?.changed, run.jobs.cancelledAgain?.changed]).toEqual([false, false]);
    expect(redelivered).toEqual(pastDue);

    // And at every step the restarted case is its twin: clocks, case row, timers, audit trail, notices — except
    // how timers due at one instant were grouped into commands (which job came first), so neither the version
    // nor the order of events of one instant is compared.
    const seen = (o: Observation) => ({
      ...o,
      case: { ...o.case, version: 0 },
      audit: o.audit.map(({ seq: _, ...a }) => a).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.type.localeCompare(b.type)),
    });
    const steps = (r: Run) => Object.fromEntries(Object.entries(r.steps).map(([k, o]) => [k, seen(o)]));
    expect(steps(run)).toEqual(steps(twin));
    const answers = (jobs: Run['jobs']) => [jobs.firedAgain?.changed, jobs.cancelledAgain?.changed];
    expect(answers(run.jobs)).toEqual(answers(twin.jobs));
    for (const w of [restartWorld, twinWorld]) expect(w.logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });
});
