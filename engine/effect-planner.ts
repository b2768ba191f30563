import { randomUUID } from 'node:crypto';
import type { ExecutableActionObject } from 'xstate';
import {
  INTAKE_DEPARTMENT,
  LEAD_DEPARTMENT,
  type CancelPeriodParams,
  type IssueLicenceParams,
  type NotifyParams,
  type OpenTaskParams,
  type PauseCaseClocksParams,
  type Rejection,
  type StartPeriodParams,
} from './definitions/case-machine.js';
import type { CaseEffect } from './case-effect.js';
import type { Applicant, TaskRecord } from './case-record.js';
import { departmentCode, taskId, timerId, type CaseId, type DepartmentCode, type TaskId } from './ids.js';
import { periodSendId } from './definitions/period-exits.js';
import type { CountingRule } from './time/counting-rule.js';
import { deadline } from './time/deadline.js';
import { clockStatus, pauseClock, resumeClock, type LegalClock } from './time/legal-clock.js';
import type { WorkingCalendar } from './time/working-calendar.js';

/** What the planner needs to know about the case to turn machine actions into effects. */
export interface PlanningContext {
  readonly caseId: CaseId;
  readonly leadDepartment: DepartmentCode;
  readonly intakeDepartment: DepartmentCode;
  readonly applicant: Applicant;
  readonly now: Date;
  readonly calendar: WorkingCalendar;
  /** The case's counting rule (pinned at its start). */
  readonly countingRule: CountingRule;
  /** Tasks open before this command; the task the command completes is already left out. */
  readonly openTasks: readonly TaskRecord[];
  /** Every rejection recorded so far, after this command's: a refusal notice owes the applicant all of them. */
  readonly rejections: readonly Rejection[];
  /** The case's clocks before this command (none for a case started before they were kept). */
  readonly clocks: readonly LegalClock[];
}

/**
 * Maps the actions XState's pure `transition()` returned to effects: a named action to its planner, a
 * delayed raise to a durable timer, a cancel to cancelling that timer. Every opened task gets a deadline
 * timer at its due instant, counted by `deadline()` under the case's counting rule and kept with its derivation; a period's timer carries the period's send id, so leaving its state cancels it.
 * Pausing and resuming the case's clocks changes their ledgers; the step's last value is one `case.clocks`.
 */
export function planEffects(actions: readonly Pick<ExecutableActionObject, 'type' | 'params'>[], ctx: PlanningContext): CaseEffect[] {
  const open = new Map<string, TaskId>(ctx.openTasks.map((t) => [t.key, t.id]));
  const effects: CaseEffect[] = [];
  let clocks = ctx.clocks;
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    switch (action.type) {
      case 'openTask':
        effects.push(...openTask(params as unknown as OpenTaskParams, ctx, open));
        break;
      case 'cancelTask': {
        const id = open.get(String(params['task']));
        if (id) {
          open.delete(String(params['task']));
          effects.push({ type: 'task.cancel', taskId: id, at: ctx.now }, { type: 'timer.cancel', match: { taskId: id } });
        }
        break;
      }
      case 'startPeriod': {
        const p = params as unknown as StartPeriodParams;
        const { due, derivation } = deadline(ctx.calendar, ctx.now, p.workingDays, ctx.countingRule);
        effects.push({
          type: 'timer.schedule',
          timer: {
            id: timerId(randomUUID()),
            caseId: ctx.caseId,
            kind: 'period',
            taskId: null,
            event: { type: 'period.ended', period: p.period },
            sendId: periodSendId(p.period),
            dueAt: due,
            dueDerivation: derivation,
          },
        });
        break;
      }
      case 'cancelPeriod':
        effects.push({ type: 'timer.cancel', match: { sendId: periodSendId((params as unknown as CancelPeriodParams).period) } });
        break;
      case 'issueLicence':
        effects.push(issueLicence(params as unknown as IssueLicenceParams, ctx));
        break;
      case 'notifyApplicant':
        effects.push(notify(ctx, { applicant: true }, (params as unknown as NotifyParams).template, reasonsOf(ctx.rejections)));
        break;
      case 'pauseCaseClocks':
        clocks = pauseCaseClocks(clocks, ctx, (params as unknown as PauseCaseClocksParams).reason);
        break;
      case 'resumeCaseClocks':
        clocks = resumeCaseClocks(clocks, ctx);
        break;
      case 'xstate.raise':
        if (typeof params['delay'] === 'number') effects.push(delayedRaise(params, ctx));
        break;
      case 'xstate.cancel':
        effects.push({ type: 'timer.cancel', match: { sendId: String(params['sendId']) } });
        break;
      default:
        throw new TypeError(`Process definitions may only use the engine's actions; got ${action.type}`);
    }
  }
  if (clocks !== ctx.clocks) effects.push({ type: 'case.clocks', clocks }, ...caseDeadlineFollows(ctx, clocks));
  return effects;
}

/** The send id of the case's own deadline timer (kind `case.deadline`), by which a pause cancels it. */
export const CASE_DEADLINE_SEND_ID = 'case.deadline';

/**
 * The case deadline follows the committed clock: paused, its pending `case.deadline` timer is cancelled (the
 * case's `dueAt` stays the last known due); resumed, a new one is scheduled at the clock's due instant, and
 * the case's `dueAt` and derivation take that due (`case.reschedule`).
 */
function caseDeadlineFollows(ctx: PlanningContext, clocks: readonly LegalClock[]): CaseEffect[] {
  const was = ctx.clocks.find((c) => c.id === 'committed');
  const now = clocks.find((c) => c.id === 'committed');
  if (!was || !now || was === now) return [];
  const before = clockStatus(was, ctx.calendar, ctx.now);
  const after = clockStatus(now, ctx.calendar, ctx.now);
  if (before.state !== 'paused' && after.state === 'paused') return [{ type: 'timer.cancel', match: { sendId: CASE_DEADLINE_SEND_ID } }];
  if (before.state === 'paused' && after.due) {
    const { due: dueAt, derivation: dueDerivation } = after.due;
    return [
      {
        type: 'timer.schedule',
        timer: { id: timerId(randomUUID()), caseId: ctx.caseId, kind: 'case.deadline', taskId: null, event: { type: 'case.deadline.elapsed' }, sendId: CASE_DEADLINE_SEND_ID, dueAt, dueDerivation },
      },
      { type: 'case.reschedule', dueAt, dueDerivation },
    ];
  }
  return [];
}

/**
 * Pauses the case's running clocks (art. 45, art. 32); a clock already paused, stopped or expired is left as
 * it is: an expired clock stays expired, and a pause never stacks on another.
 */
function pauseCaseClocks(clocks: readonly LegalClock[], ctx: PlanningContext, kind: PauseCaseClocksParams['reason']): readonly LegalClock[] {
  const reason = { kind, text: `pauseCaseClocks: ${kind}` };
  return clocks.map((c) => (clockStatus(c, ctx.calendar, ctx.now).state === 'running' ? pauseClock(c, ctx.calendar, ctx.now, reason) : c));
}

/** Resumes the case's paused clocks; the others are left as they are. */
function resumeCaseClocks(clocks: readonly LegalClock[], ctx: PlanningContext): readonly LegalClock[] {
  return clocks.map((c) => (clockStatus(c, ctx.calendar, ctx.now).state === 'paused' ? resumeClock(c, ctx.calendar, ctx.now) : c));
}

function openTask(p: OpenTaskParams, ctx: PlanningContext, open: Map<string, TaskId>): CaseEffect[] {
  const id = taskId(randomUUID());
  const { due: dueAt, derivation: dueDerivation } = deadline(ctx.calendar, ctx.now, p.workingDays, ctx.countingRule);
  const department = resolveDepartment(p.department, ctx);
  open.set(p.task, id);
  return [
    {
      type: 'task.open',
      task: { id, caseId: ctx.caseId, key: p.task, kind: p.kind, title: p.title, departmentCode: department, openedAt: ctx.now, dueAt, dueDerivation },
    },
    {
      type: 'timer.schedule',
      timer: {
        id: timerId(randomUUID()),
        caseId: ctx.caseId,
        kind: 'task.deadline',
        taskId: id,
        event: { type: 'deadline.elapsed', task: p.task },
        sendId: null,
        dueAt,
        dueDerivation,
      },
    },
    notify(ctx, { departmentCode: department }, 'task.opened', { taskId: id, title: p.title, dueAt: dueAt.toISOString() }),
  ];
}

function resolveDepartment(department: string, ctx: PlanningContext): DepartmentCode {
  if (department === LEAD_DEPARTMENT) return ctx.leadDepartment;
  if (department === INTAKE_DEPARTMENT) return ctx.intakeDepartment;
  return departmentCode(department);
}

function issueLicence(p: IssueLicenceParams, ctx: PlanningContext): CaseEffect {
  const id = randomUUID();
  const day = ctx.calendar.localDate(ctx.now).replaceAll('-', '');
  return {
    type: 'licence.issue',
    licence: {
      id,
      caseId: ctx.caseId,
      number: `${p.licenceType.toUpperCase()}-${day}-${id.slice(0, 8).toUpperCase()}`,
      licenceType: p.licenceType,
      title: p.title,
      holder: ctx.applicant,
      issuedAt: ctx.now,
    },
  };
}

function delayedRaise(params: Record<string, unknown>, ctx: PlanningContext): CaseEffect {
  const event = params['event'] as { type: string };
  return {
    type: 'timer.schedule',
    timer: {
      id: timerId(randomUUID()),
      caseId: ctx.caseId,
      kind: 'machine.delay',
      taskId: null,
      event,
      sendId: String(params['id'] ?? event.type),
      dueAt: new Date(ctx.now.getTime() + Number(params['delay'])),
      dueDerivation: null,
    },
  };
}

/** The reasons of every department that rejected (不予许可的理由), for the applicant's notice; none when nobody did. */
function reasonsOf(rejections: readonly Rejection[]): Record<string, unknown> {
  return rejections.length === 0 ? {} : { reasons: rejections.map((r) => ({ department: r.department, reason: r.reason })) };
}

/** A notice to a department inbox or the applicant, delivered by the notification worker. */
export function notify(
  ctx: Pick<PlanningContext, 'caseId'>,
  audience: { departmentCode: DepartmentCode } | { applicant: true },
  template: string,
  data: Record<string, unknown>,
): CaseEffect {
  return { type: 'notification.send', notification: { id: randomUUID(), caseId: ctx.caseId, audience, template, data } };
}
