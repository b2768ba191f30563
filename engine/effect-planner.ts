import { randomUUID } from 'node:crypto';
import type { ExecutableActionObject } from 'xstate';
import {
  INTAKE_DEPARTMENT,
  LEAD_DEPARTMENT,
  type CancelPeriodParams,
  type IssueLicenceParams,
  type NotifyParams,
  type ClockParams,
  type OpenTaskParams,
  type PauseCaseClocksParams,
  type PauseClockParams,
  type Rejection,
  type StartClockParams,
  type StartPeriodParams,
  type TaskOutcome,
} from './definitions/case-machine.js';
import {
  followClocks,
  isCaseClock,
  PAUSE_NOTICES,
  pauseClocks,
  resumeClocks,
  startCaseClock,
  stopClocks,
  taskClockId,
} from './case-clocks.js';
import type { CaseEffect, NewNotification } from './case-effect.js';
import type { Applicant, TaskRecord } from './case-record.js';
import { departmentCode, taskId, timerId, userId, type CaseId, type DepartmentCode, type TaskId } from './ids.js';
import { periodSendId } from './definitions/period-exits.js';
import type { CountingRule } from './time/counting-rule.js';
import { deadline } from './time/deadline.js';
import { clockStatus, reopenClock, resumeClock, type LegalClock, type PauseReasonKind } from './time/legal-clock.js';
import type { WorkingCalendar } from './time/working-calendar.js';
import { standInFor, type Substitution } from './substitution.js';
import type { Countersign } from './definitions/countersign.js';
import { holderOf, signLicence, validUntilOf, type LicenceContent, type Licensing } from './licences/electronic-licence.js';

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
  /** The task this command completes, if any: its clock stops (or pauses, when it is returned). */
  readonly completed: { readonly key: string; readonly outcome: TaskOutcome } | null;
  /** The task whose completion this command takes back (撤回): its clock counts again and its task reopens on it. */
  readonly reopened?: string | null;
  /** The windows (代理) of named signers holding now: a signer's task opens for their substitute (`standInFor`). */
  readonly substitutions?: readonly Substitution[];
  /** The case's countersign steps after the step: who signs them in their own right, and so takes no other seat. */
  readonly countersigns?: Readonly<Record<string, Countersign>> | undefined;
  /** What licences are issued with (signer, validity of types); none in a simulation, whose licences go unsigned. */
  readonly licensing?: Licensing | undefined;
}

/**
 * Maps the actions XState's pure `transition()` returned to effects: a named action to its planner, a
 * delayed raise to a durable timer, a cancel to cancelling that timer. Every opened task gets a deadline
 * timer at its due instant, counted by `deadline()` under the case's counting rule and kept with its derivation; a period's timer carries the period's send id, so leaving its state cancels it.
 * Clocks are ledgers the step changes (`case-clocks.ts`): a task opened starts its clock (or continues the one
 * its return paused), a task completed stops it (a return pauses it), a task cancelled stops it, and the
 * definition's clock actions start, pause, resume and stop clocks by name. Their last value is one
 * `case.clocks`, and every clock whose due instant moved has its timer moved with it.
 */
export function planEffects(actions: readonly Pick<ExecutableActionObject, 'type' | 'params'>[], ctx: PlanningContext): CaseEffect[] {
  const open = new Map<string, TaskId>(ctx.openTasks.map((t) => [t.key, t.id]));
  const effects: CaseEffect[] = [];
  let clocks = ctx.completed ? closeTaskClock(ctx.clocks, ctx, ctx.completed.key, ctx.completed.outcome) : ctx.clocks;
  if (ctx.reopened) clocks = reopenTaskClock(clocks, ctx.reopened);
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    switch (action.type) {
      case 'openTask': {
        const opened = openTask(params as unknown as OpenTaskParams, ctx, open, clocks);
        effects.push(...opened.effects);
        clocks = opened.clocks;
        break;
      }
      case 'cancelTask': {
        const key = String(params['task']);
        const id = open.get(key);
        if (id) {
          open.delete(key);
          effects.push({ type: 'task.cancel', taskId: id, at: ctx.now }, { type: 'timer.cancel', match: { taskId: id } });
          clocks = cancelledTaskClock(clocks, ctx, key);
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
        clocks = pauseClocks(clocks, ctx, isCaseClock, noticeOf((params as unknown as PauseCaseClocksParams).reason));
        break;
      case 'resumeCaseClocks':
        clocks = resumeClocks(clocks, ctx, isCaseClock);
        break;
      case 'startClock':
        clocks = startClockOf(params as unknown as StartClockParams, clocks, ctx);
        break;
      case 'pauseClock': {
        const p = params as unknown as PauseClockParams;
        clocks = pauseClocks(clocks, ctx, (c) => c.id === p.clock, noticeOf(p.reason));
        break;
      }
      case 'resumeClock':
        clocks = resumeClocks(clocks, ctx, (c) => c.id === (params as unknown as ClockParams).clock);
        break;
      case 'stopClock':
        clocks = stopClocks(clocks, ctx.now, (c) => c.id === (params as unknown as ClockParams).clock);
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
  if (clocks !== ctx.clocks) {
    effects.push({ type: 'case.clocks', clocks }, ...followClocks(ctx, ctx.clocks, clocks, open, new Set(ctx.openTasks.map((t) => t.id))));
  }
  return effects;
}

/** A definition's pause: the reason with what the applicant is told of it. */
const noticeOf = (kind: PauseReasonKind) => ({ kind, text: PAUSE_NOTICES[kind] });

/**
 * A completed task's clock: stopped, or paused when the task is returned (补正: the time until it is
 * handed back is not the task's), so that a task reopened with `continueClock` goes on from what was left.
 */
function closeTaskClock(clocks: readonly LegalClock[], ctx: PlanningContext, key: string, outcome: TaskOutcome): readonly LegalClock[] {
  const id = taskClockId(key);
  if (outcome === 'return') {
    const paused = pauseClocks(clocks, ctx, (c) => c.id === id, noticeOf('supplement'));
    if (paused !== clocks) return paused;
  }
  // Approved, rejected, or returned while its clock was not running (paused by a special procedure): it stops.
  return stopClocks(clocks, ctx.now, (c) => c.id === id);
}

/**
 * The clock of a task cancelled by the step: stopped; but a return that takes reviews back with it (退回 out of
 * a joint review) pauses them instead, so that each continues with what it had left when its review reopens
 * (`continueClock`) — unless the definition restarts it (`stopClock`).
 */
function cancelledTaskClock(clocks: readonly LegalClock[], ctx: PlanningContext, key: string): readonly LegalClock[] {
  const id = taskClockId(key);
  if (ctx.completed?.outcome !== 'return') return stopClocks(clocks, ctx.now, (c) => c.id === id);
  return pauseClocks(clocks, ctx, (c) => c.id === id, noticeOf('supplement'));
}

/** A withdrawn completion's task clock counts again from where it stopped. */
function reopenTaskClock(clocks: readonly LegalClock[], key: string): readonly LegalClock[] {
  const id = taskClockId(key);
  return clocks.map((c) => (c.id === id ? reopenClock(c) : c));
}

function startClockOf(p: StartClockParams, clocks: readonly LegalClock[], ctx: PlanningContext): readonly LegalClock[] {
  const budget = p.workingDays ?? clocks.find((c) => c.id === p.limit)?.budgetWorkingDays;
  // Publishing checks the params; a case started before clocks were kept has no limit to take.
  if (budget === undefined) throw new TypeError(`startClock ${p.clock}: the case keeps no ${p.limit ?? ''} clock to take its limit from`);
  return startCaseClock(clocks, ctx, p.clock, budget);
}

/**
 * Opens the task on its clock: a new one of `workingDays`, or, with `continueClock`, the one its return
 * paused, resumed with the budget it had left; a task whose completion was withdrawn goes on on its own clock.
 * Its due instant is the clock's; `followClocks` schedules its deadline timer. A countersign's named signer
 * gets the task claimed for them — or, while they are away, their substitute, for them (unless the step is
 * `substitutable: false`: a power of that person's own).
 */
function openTask(p: OpenTaskParams, ctx: PlanningContext, open: Map<string, TaskId>, clocks: readonly LegalClock[]) {
  const id = taskId(randomUUID());
  const clockId = taskClockId(p.task);
  const previous = clocks.find((c) => c.id === clockId);
  const state = previous ? clockStatus(previous, ctx.calendar, ctx.now).state : null;
  const goesOn = (p.continueClock === true || ctx.reopened === p.task) && previous !== undefined;
  const next =
    goesOn && state === 'paused'
      ? [...clocks.filter((c) => c !== previous), resumeClock(previous, ctx.calendar, ctx.now)]
      : goesOn && state === 'running'
        ? clocks
        : startCaseClock(clocks, ctx, clockId, p.workingDays, p.ladder);
  const status = clockStatus(next.find((c) => c.id === clockId) as LegalClock, ctx.calendar, ctx.now);
  if (!status.due) throw new TypeError(`task ${p.task} opened on a clock that does not run`);
  const { due: dueAt, derivation: dueDerivation } = status.due;
  const department = resolveDepartment(p.department, ctx);
  const signerId = p.signer ? userId(p.signer) : null;
  const standIn =
    signerId && p.substitutable !== false ? standInFor(ctx.substitutions ?? [], signerId, { key: p.task, departmentCode: department, kind: p.kind }, ctx.now, ctx.countersigns) : null;
  open.set(p.task, id);
  const effects: CaseEffect[] = [
    {
      type: 'task.open',
      task: {
        id,
        caseId: ctx.caseId,
        key: p.task,
        kind: p.kind,
        title: p.title,
        departmentCode: department,
        signerId,
        substituteId: standIn?.substitute.userId ?? null,
        openedAt: ctx.now,
        dueAt,
        dueDerivation,
      },
    },
    notify(ctx, { departmentCode: department }, 'task.opened', { taskId: id, title: p.title, dueAt: dueAt.toISOString() }),
  ];
  return { effects, clocks: next };
}

function resolveDepartment(department: string, ctx: PlanningContext): DepartmentCode {
  if (department === LEAD_DEPARTMENT) return ctx.leadDepartment;
  if (department === INTAKE_DEPARTMENT) return ctx.intakeDepartment;
  return departmentCode(department);
}

/**
 * Issues the licence complete: the applicant as its holder, the lead department as its issuer, valid from now for
 * its type's years (without end for a type not in `licence_types`: a designer's own), signed by the deployment's
 * signer over its canonical content.
 */
function issueLicence(p: IssueLicenceParams, ctx: PlanningContext): CaseEffect {
  const id = randomUUID();
  const day = ctx.calendar.localDate(ctx.now).replaceAll('-', '');
  const content: LicenceContent = {
    number: `${p.licenceType.toUpperCase()}-${day}-${id.slice(0, 8).toUpperCase()}`,
    licenceType: p.licenceType,
    title: p.title,
    holder: holderOf(ctx.applicant),
    issuingDepartment: ctx.leadDepartment,
    caseId: ctx.caseId,
    validFrom: ctx.now,
    validUntil: validUntilOf(ctx.now, ctx.licensing?.types.get(p.licenceType)?.validYears ?? null),
  };
  const seal = ctx.licensing ? signLicence(content, ctx.licensing.signer) : { algorithm: null, keyId: null, signature: null };
  return {
    type: 'licence.issue',
    licence: {
      id,
      caseId: ctx.caseId,
      number: content.number,
      licenceType: p.licenceType,
      title: p.title,
      holder: ctx.applicant,
      holderIdType: content.holder.idType,
      holderIdNumber: content.holder.idNumber,
      issuingDepartment: ctx.leadDepartment,
      issuedAt: ctx.now,
      validFrom: content.validFrom,
      validUntil: content.validUntil,
      ...seal,
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
  audience: NewNotification['audience'],
  template: string,
  data: Record<string, unknown>,
): CaseEffect {
  return { type: 'notification.send', notification: { id: randomUUID(), caseId: ctx.caseId, audience, template, data } };
}
