import { expect } from 'vitest';
import { verifyAuditChain } from '../../../engine/audit/audit-chain.js';
import { COMMITTED_CLOCK, taskClockId } from '../../../engine/case-clocks.js';
import { stateLabel } from '../../../engine/case-snapshot.js';
import type { CaseContext } from '../../../engine/definitions/case-machine.js';
import { CASE_OUTCOME_TAGS } from '../../../engine/definitions/process-definition.js';
import { deadline } from '../../../engine/time/deadline.js';
import type { ClockState, ClockStatus } from '../../../engine/time/legal-clock.js';
import type { CaseWorld } from './case-world.js';
import { departmentOf, modelOpenTasks, modelPeriods, type ModelSnapshot } from './model-state.js';

/**
 * The invariants a case keeps after every step of a model path: it agrees with the model (state, status,
 * context, open tasks, periods), every clock is where its task says, every outcome is recorded once, a
 * countersign's outcome never changes once set, and the audit chain holds.
 */

export interface WorkflowExpectations {
  /** Whether the case's licence must have been issued once the machine is in this state. */
  readonly licenceIssued: (snapshot: ModelSnapshot) => boolean;
}

/**
 * The case agrees with the model's state and keeps the engine's invariants; `previous` is the case's context
 * before this step (none after the start), for what must not change from one step to the next.
 */
export function expectInvariants(world: CaseWorld, snapshot: ModelSnapshot, expectations: WorkflowExpectations, previous: CaseContext | null = null): void {
  const definition = world.definition;
  const done = snapshot.status === 'done';
  // Read once: restoring the snapshot and reading a clock are what a step's check spends most on.
  const context = world.context;
  const read = new Map<string, ClockStatus | null>();
  const clockOf = (id: string) => {
    if (!read.has(id)) read.set(id, world.readClock(id));
    return read.get(id) ?? null;
  };
  expect(world.case.stateLabel).toBe(stateLabel(snapshot.value));
  expect(world.case.status).toBe(done ? (snapshot.hasTag(CASE_OUTCOME_TAGS.approved) ? 'approved' : 'refused') : 'running');
  // Rejections (and every other outcome) reach the context with the reasons given in the opinion.
  expect(context).toEqual(snapshot.context);
  const rejected = world.opinions.filter((o) => o.outcome === 'reject').map((o) => ({ department: o.departmentCode, reason: o.text }));
  expect(rejected).toEqual(expect.arrayContaining(context.rejections.map((r) => ({ department: r.department, reason: r.reason }))));
  if (world.case.status === 'refused') expect(context.rejections.length).toBeGreaterThan(0);
  expect(world.licences).toHaveLength(expectations.licenceIssued(snapshot) ? 1 : 0);

  // Exactly one open task per task key the model has open, in the right department, with its deadline timer;
  // due when its clock is, and a task on a clock of its own opening is due its working days after it opened
  // (one reopened on the clock its return paused goes on with what it had left).
  const expected = modelOpenTasks(definition, snapshot);
  const open = world.openTasks();
  const pending = world.pendingTimers();
  const deadlinesOf = (id: string) => pending.filter((t) => t.kind === 'task.deadline' && t.taskId === id).map((t) => t.dueAt);
  const seen = open.map((task) => {
    const clock = world.case.clocks.find((c) => c.id === taskClockId(task.key));
    return { key: task.key, kind: task.kind, title: task.title, department: task.departmentCode, signer: task.signerId, budget: clock?.budgetWorkingDays, dueAt: task.dueAt, deadlines: deadlinesOf(task.id) };
  });
  const wanted = expected.map((params) => {
    const task = open.find((t) => t.key === params.task);
    const clock = world.case.clocks.find((c) => c.id === taskClockId(params.task));
    const fresh = task !== undefined && clock?.start === task.openedAt.toISOString();
    const dueAt = fresh ? deadline(world.calendar, task.openedAt, params.workingDays, world.case.countingRule).due : clockOf(taskClockId(params.task))?.due?.due;
    const department = departmentOf(params, world.case);
    return { key: params.task, kind: params.kind, title: params.title, department, signer: params.signer ?? null, budget: params.workingDays, dueAt, deadlines: [dueAt] };
  });
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  expect(seen.sort(byKey)).toEqual(wanted.sort(byKey));
  expect(pending.filter((t) => t.kind === 'task.deadline')).toHaveLength(expected.length);
  expect(pending.filter((t) => t.kind === 'period').map((t) => t.event['period'])).toEqual(modelPeriods(definition, snapshot));
  // The case deadline follows the committed clock: no timer while it is paused, else one at the case's dueAt.
  const stateOf = (id: string): ClockState | null => clockOf(id)?.state ?? null;
  const committedPaused = stateOf(COMMITTED_CLOCK) === 'paused';
  expect(pending.filter((t) => t.kind === 'case.deadline').map((t) => t.dueAt)).toEqual(done || committedPaused ? [] : [world.case.dueAt]);
  expectClocksFollowTasks(world, stateOf, committedPaused);
  expectOutcomesRecordedOnce(world, context);
  if (previous) expectCountersignsKept(previous, context);

  if (done) {
    // Reaching a final state closed the case: nothing left open or pending, every clock stopped, the applicant told.
    const effects = world.lastCommit?.effects ?? [];
    expect(effects.filter((e) => e.type === 'case.close')).toEqual([expect.objectContaining({ status: world.case.status })]);
    expect(open).toEqual([]);
    expect(pending).toEqual([]);
    expect(world.case.clocks.filter((c) => stateOf(c.id) !== 'stopped').map((c) => c.id)).toEqual([]);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'notification.send', notification: expect.objectContaining({ audience: { applicant: true } }) }));
  }

  // One audit event per command, chained, ending at the head kept on the case.
  expect(world.case.version).toBe(world.audit.length);
  expect(verifyAuditChain(world.audit, { seq: world.case.auditSeq, hash: world.case.auditHead })).toEqual({ ok: true, length: world.audit.length });
}

/**
 * Each open task counts on its own clock (`task:<key>`), running — or paused with the case's clocks. Each task
 * the last step closed has its clock stopped; a return pauses the clocks of what it takes back (the returned
 * task, the reviews it cancels) so that they can go on when reopened, unless the definition restarts them.
 */
function expectClocksFollowTasks(world: CaseWorld, stateOf: (id: string) => ClockState | null, casePaused: boolean): void {
  const open = world.openTasks();
  const effects = world.lastCommit?.effects ?? [];
  const returned = effects.some((e) => e.type === 'task.complete' && e.outcome === 'return');
  const openKeys = new Set(open.map((t) => t.key));
  // A key open again after the step (a withdrawn completion reopened) counts on the open task's clock.
  const closed = effects.flatMap((e) => (e.type === 'task.complete' || e.type === 'task.cancel' ? [world.tasks.get(e.taskId)?.key ?? e.taskId] : [])).filter((key) => !openKeys.has(key));
  const runningOrPaused = expect.stringMatching(/^(running|paused)$/);
  const pausedOrStopped = expect.stringMatching(/^(paused|stopped)$/);
  expect([...open.map((t) => t.key), ...closed].map((key) => ({ task: key, clock: stateOf(taskClockId(key)) }))).toEqual([
    ...open.map((t) => ({ task: t.key, clock: casePaused ? runningOrPaused : 'running' })),
    ...closed.map((key) => ({ task: key, clock: returned ? pausedOrStopped : 'stopped' })),
  ]);
}

/**
 * One opinion per completion and none for a task nobody completed; the context's outcome of a task is that of
 * its latest completion (department, reasons), and the context numbers its outcomes (`seq`) once each, in the
 * order they were given.
 */
function expectOutcomesRecordedOnce(world: CaseWorld, context: CaseContext): void {
  const tasks = [...world.tasks.values()];
  const given = (status: string) => status === 'completed' || status === 'withdrawn';
  expect(tasks.map((t) => ({ task: t.key, opinions: world.opinions.filter((o) => o.taskId === t.id).map((o) => o.outcome) }))).toEqual(
    tasks.map((t) => ({ task: t.key, opinions: given(t.status) ? [t.outcome] : [] })),
  );
  const outcomes = Object.entries(context.outcomes).sort(([, a], [, b]) => (a.seq ?? 0) - (b.seq ?? 0));
  const seqs = outcomes.map(([, o]) => o.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  const latest = outcomes.map(([key]) => {
    const task = tasks.filter((t) => t.key === key && t.status === 'completed').at(-1);
    const opinion = world.opinions.find((o) => o.taskId === task?.id);
    return { key, outcome: task?.outcome, department: task?.departmentCode, reason: opinion?.text, at: opinion ? world.opinions.indexOf(opinion) : -1 };
  });
  expect(latest).toEqual(outcomes.map(([key, record], i) => ({ key, outcome: record.outcome, department: record.department, reason: record.reason ?? latest[i]?.reason, at: latest[i]?.at })));
  // In the order given: the context's numbering follows the opinions'.
  const order = latest.map((l) => l.at);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

/** A vote once cast and a countersign's outcome once set stay as they are, until the step is opened anew. */
function expectCountersignsKept(previous: CaseContext, context: CaseContext): void {
  for (const [name, was] of Object.entries(previous.countersigns ?? {})) {
    const now = context.countersigns?.[name];
    // Entered again, the step starts over with nobody having signed.
    if (!now || now.signers.every((s) => s.vote === null)) continue;
    if (was.outcome !== null) expect({ name, outcome: now.outcome }).toEqual({ name, outcome: was.outcome });
    for (const signer of was.signers.filter((s) => s.vote !== null)) {
      expect(now.signers.find((s) => s.task === signer.task)).toEqual(signer);
    }
  }
}
