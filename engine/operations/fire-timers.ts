import { buildCommit } from '../case-commit.js';
import type { CaseCommit, CaseEffect } from '../case-effect.js';
import { DEEMED_OUTCOME_EVENTS, type CaseEvent } from '../definitions/case-machine.js';
import type { TaskRecord, TimerRecord } from '../case-record.js';
import { openedTask } from '../case-effect.js';
import { stepMachine } from '../case-snapshot.js';
import type { Decision, LockedCase } from '../case-store.js';
import { COMMITTED_CLOCK, latestClocks, taskClockId } from '../case-clocks.js';
import { reachClockRungs } from './reach-rungs.js';
import { deemedCompletion, deemedDecision } from './tacit-decision.js';
import type { CaseOperation } from './case-operation.js';
import { committed, planning, unchanged, type CommandResult, type DecisionEnv } from './decision.js';
import { notify, planEffects } from '../effect-planner.js';
import { TimerNotDueError } from '../errors.js';
import type { TimerId } from '../ids.js';

/** Sent by the timer worker; the actor is the system. */
export interface FireTimer {
  readonly type: 'timer.fire';
  readonly timerId: TimerId;
}

/**
 * `timer.fire`: fires the named timer and, in the same command, the case's other pending timers due no
 * later (`LockedCase.timersDueWith`). The deadlines one command opened fall due at one instant (the five
 * joint-review deadlines of a construction permit): firing them together takes one lock and one commit
 * instead of one each, where their jobs would otherwise queue on the case's row lock. Each still fires in
 * the order it fell due, on the case as the earlier ones left it, with its own audit event; the jobs of
 * the others then find them fired and change nothing.
 *
 * A timer fires at most once: a repeated delivery, a timer cancelled meanwhile, or one of a closed case
 * changes nothing. A timer an earlier one in the same command cancelled (its task closed, its state left)
 * is skipped, and nothing fires once the case has closed.
 */
export const fireTimers: CaseOperation<FireTimer> = {
  type: 'timer.fire',
  permission: null,
  caseRef: (command) => ({ timerId: command.timerId }),
  decide: (locked, _command, env) => fireDue(locked, env),
};

function fireDue(locked: LockedCase, env: DecisionEnv): Decision<CommandResult> {
  const named = locked.timer;
  if (!named || named.status !== 'pending' || locked.case.status !== 'running') return unchanged(locked);
  if (named.dueAt > env.now) throw new TimerNotDueError(named.id, named.dueAt);
  const due = [named, ...locked.timersDueWith.filter((t) => t.id !== named.id && t.status === 'pending')].sort(
    (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id),
  );
  const commits: CaseCommit[] = [];
  let view = locked;
  for (const timer of due) {
    if (view.case.status !== 'running') break;
    if (commits.some((c) => cancels(c.effects, timer))) continue;
    const commit = fireOne(view, timer, env);
    commits.push(commit);
    view = lockedAfter(view, commit);
  }
  return committed(joined(commits));
}

function fireOne(locked: LockedCase, timer: TimerRecord, env: DecisionEnv): CaseCommit {
  const fired: CaseEffect = { type: 'timer.fired', timerId: timer.id, at: env.now };
  if (timer.kind === 'clock.rung') return fireRung(locked, timer, env, fired);
  const effects: CaseEffect[] = [fired, ...unladderedDeadline(locked, timer)];
  const step = stepMachine(env.definition, locked.case.snapshot, timer.event as CaseEvent);
  if (step.accepted) effects.push(...planEffects(step.actions, planning(locked, env, step, null)));
  return buildCommit(locked, env.now, {
    step: step.accepted ? step : null,
    effects,
    auditType: timer.kind === 'task.deadline' ? 'deadline.elapsed' : String(timer.event.type),
    actor: 'system',
    data: timerData(timer),
  });
}

/**
 * A clock's rung timer: its rungs reached (`reach-rungs.ts`) and, where the service item's ladder deems a step
 * decided on one of them (视为同意), the task completed as deemed and the case moved on, in one event that says
 * so (`task.deemed-approved` / `task.deemed-rejected`, with the legal basis).
 */
function fireRung(locked: LockedCase, timer: TimerRecord, env: DecisionEnv, fired: CaseEffect): CaseCommit {
  const clockId = String(timer.event['clock']);
  const rungs = reachClockRungs(locked, clockId, env);
  const deemed = deemedDecision(locked, clockId, rungs.reached);
  const decided = deemed ? deemedCompletion(locked, rungs, deemed, env) : null;
  if (!deemed || !decided) {
    return buildCommit(locked, env.now, { step: null, effects: [fired, ...rungs.effects], auditType: 'warning.reached', actor: 'system', data: { ...timerData(timer), ...rungs.data } });
  }
  return buildCommit(locked, env.now, {
    step: decided.step,
    effects: [fired, ...decided.effects],
    auditType: DEEMED_OUTCOME_EVENTS[deemed.outcome],
    actor: 'system',
    data: { ...timerData(timer), ...rungs.data, task: deemed.task.key, outcome: deemed.outcome, legalBasis: deemed.legalBasis },
  });
}

function timerData(timer: TimerRecord): Record<string, unknown> {
  return { timerId: timer.id, kind: timer.kind, dueAt: timer.dueAt.toISOString(), ...(timer.taskId ? { taskId: timer.taskId } : {}) };
}

/**
 * A deadline passed on a clock that climbs no ladder (a case started before ladders were kept): the task turns
 * red and its department and the lead department are told, as then. A clock with a ladder is told by its rungs.
 */
function unladderedDeadline(locked: LockedCase, timer: TimerRecord): CaseEffect[] {
  const task = timer.kind === 'task.deadline' ? locked.openTasks.find((t) => t.id === timer.taskId) : undefined;
  const clockId = task ? taskClockId(task.key) : timer.kind === 'case.deadline' ? COMMITTED_CLOCK : timer.kind === 'clock.deadline' ? String(timer.event['clock']) : null;
  if (clockId === null || locked.case.clocks.find((c) => c.id === clockId)?.ladder !== undefined) return [];
  const of = { caseId: locked.case.id };
  const lead = { departmentCode: locked.case.leadDepartment };
  if (timer.kind === 'case.deadline') return [notify(of, lead, 'case.overdue', { dueAt: timer.dueAt.toISOString() })];
  if (timer.kind === 'clock.deadline') return [notify(of, lead, 'clock.expired', { clock: clockId, dueAt: timer.dueAt.toISOString() })];
  if (!task) return [];
  return [
    { type: 'task.warn', taskId: task.id, level: 'red' },
    notify(of, { departmentCode: task.departmentCode }, 'task.overdue', { taskId: task.id }),
    notify(of, lead, 'escalation.overdue', { taskId: task.id, department: task.departmentCode }),
  ];
}

/** Whether these effects cancel the timer (by its task, or by XState's send id). */
function cancels(effects: readonly CaseEffect[], timer: TimerRecord): boolean {
  return effects.some(
    (e) =>
      e.type === 'timer.cancel' &&
      (('taskId' in e.match && e.match.taskId === timer.taskId) || ('sendId' in e.match && e.match.sendId === timer.sendId)),
  );
}

/** The locked case as the next timer of the same command sees it: after `commit`. */
function lockedAfter(locked: LockedCase, commit: CaseCommit): LockedCase {
  const closed = new Set<string>();
  const opened: TaskRecord[] = [];
  for (const e of commit.effects) {
    if (e.type === 'task.cancel' || e.type === 'task.complete' || e.type === 'task.withdraw') closed.add(e.taskId);
    if (e.type === 'task.open') opened.push(openedTask(e.task));
  }
  const { snapshot, stateLabel, status, version, auditSeq, auditHead } = commit.next;
  const clocks = latestClocks(commit.effects) ?? locked.case.clocks;
  return {
    case: { ...locked.case, snapshot, stateLabel, status, version, auditSeq, auditHead, clocks },
    openTasks: [...locked.openTasks.filter((t) => !closed.has(t.id)), ...opened],
    task: null,
    timer: null,
    timersDueWith: [],
    pendingTimers: [],
  };
}

/** One commit of the timers fired in order: the last one's case row, one version step, every effect and event. */
function joined(commits: readonly CaseCommit[]): CaseCommit {
  const [first] = commits;
  const last = commits.at(-1);
  if (!first || !last) throw new TypeError('nothing fired');
  return {
    caseId: first.caseId,
    expectedVersion: first.expectedVersion,
    next: { ...last.next, version: first.next.version },
    effects: commits.flatMap((c) => c.effects),
    audits: commits.flatMap((c) => c.audits),
  };
}
