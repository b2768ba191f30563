import { assign, enqueueActions, setup } from 'xstate';
import type { Ladder } from '../time/ladder.js';
import type { PauseReasonKind } from '../time/legal-clock.js';
import { opening, openedCountersign, resolveSigners, withVote, type Countersign, type CountersignOutcome, type OpenCountersignParams, type Signer } from './countersign.js';
import { signerChangeRefusal, withSignersChanged, type SignerChange } from './signer-changes.js';
import { joinsReview, type MembershipParams, type MemberChange } from './review-membership.js';
import type { TaskKind } from './task-kind.js';

/**
 * The vocabulary every process definition is written in. Definitions are JSON machine configs that name
 * these actions and guards (XState `setup()` registers the implementations by name), so a definition can
 * be stored, versioned and published without code. Side effects are never executed here: the named actions
 * come back from XState's pure `transition()` as data and the effect planner turns them into `CaseEffect`s.
 */

/** Who a task goes to: a department code, or the case's lead or intake department. */
export type TaskDepartment = string;
export const LEAD_DEPARTMENT = 'lead';
export const INTAKE_DEPARTMENT = 'intake';

export { TASK_KINDS, type TaskKind } from './task-kind.js';

export const TASK_OUTCOMES = ['approve', 'reject', 'return'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export interface OpenTaskParams {
  /** Key of the task inside the definition, e.g. `review.fire`; at most one open task per key. */
  readonly task: string;
  readonly kind: TaskKind;
  readonly title: string;
  readonly department: TaskDepartment;
  /** Working-day budget of the task on the case's calendar: its clock (`task:<key>`). */
  readonly workingDays: number;
  /**
   * Reopened after a return (补正), the task continues its clock with the budget it had left — the clock
   * its return paused — instead of starting a new one. A task opened for the first time starts one.
   */
  readonly continueClock?: boolean | undefined;
  /** The warning ladder of the task's clock, when not the service item's. */
  readonly ladder?: Ladder | undefined;
  /** The person the task is for (a countersign's named signer): opened claimed by them, nobody else acts on it. */
  readonly signer?: string | undefined;
  /**
   * `false`: a power of the person's own that no substitute (代理人) exercises — the lead's joint decision, a named
   * signer's signature. The task opens for its signer even while they are away, and is not taken over (接办).
   */
  readonly substitutable?: false | undefined;
  /**
   * The materials (by the service item's names) the task's review needs: its department sees those, not the others
   * (`material-visibility.ts`). Left out: the department sees every material, as before versions declared any.
   */
  readonly materials?: readonly string[] | undefined;
}

export interface StartPeriodParams {
  /** Name of the period, e.g. `publicNotice`; `period.ended` carries it back. */
  readonly period: string;
  readonly workingDays: number;
}

/** Cancels a running period; compiling adds it on exit of the state that started it (`period-exits.ts`). */
export interface CancelPeriodParams {
  readonly period: string;
}

export interface IssueLicenceParams {
  readonly licenceType: string;
  readonly title: string;
}

export interface NotifyParams {
  readonly template: string;
}

/** Stops the case's clocks (`pauseCaseClocks`): the time of art. 45, or the supplement of art. 32. */
export interface PauseCaseClocksParams {
  readonly reason: PauseReasonKind;
}

/**
 * Starts a clock of the definition's own (e.g. a stage's limit) by name, of so many working days or of the
 * case's legal or committed limit; starting it again starts it anew. Its expiry sends `clock.expired`.
 */
export interface StartClockParams {
  readonly clock: string;
  readonly workingDays?: number | undefined;
  readonly limit?: 'legal' | 'committed' | undefined;
}

/** Stops a clock from counting for a reason its law leaves out of the limit (a running clock only). */
export interface PauseClockParams {
  readonly clock: string;
  readonly reason: PauseReasonKind;
}

/** Resumes, stops a clock by name: `legal`, `committed`, `task:<key>` or one the definition started. */
export interface ClockParams {
  readonly clock: string;
}

export interface OutcomeRecord {
  readonly outcome: TaskOutcome;
  readonly department: string;
  readonly reason?: string;
  /** The order outcomes were recorded in (1, 2, …): what tells whether a step after a task has been acted on. */
  readonly seq?: number;
}

export interface Rejection {
  readonly task: string;
  readonly department: string;
  readonly reason: string;
}

/** An answer of the application form (e.g. `needsWaterSupply: true`), what run-time membership reads. */
export type Answer = string | number | boolean;

export interface CaseContext {
  /** The latest outcome of each task key. */
  readonly outcomes: Readonly<Record<string, OutcomeRecord>>;
  /** Every rejection with its reasons, for the joint refusal (不予许可决定). */
  readonly rejections: readonly Rejection[];
  /** The application's answers, given at intake (absent in cases started before they were kept). */
  readonly answers?: Readonly<Record<string, Answer>>;
  /** Departments the lead added to or removed from a joint review, by review and department, with the reason. */
  readonly memberChanges?: Readonly<Record<string, Readonly<Record<string, MemberChange>>>>;
  /** Countersign steps by name: their signers, votes and outcome. */
  readonly countersigns?: Readonly<Record<string, Countersign>>;
}

/**
 * A return (退回) the definition allows for `task`: to the step `to` (a name the handler picks it by, from
 * `GET /api/tasks/{id}/return-targets`), shown as `title`. The first declared for a task is its default.
 */
export interface ReturnToParams {
  readonly task: string;
  readonly to: string;
  readonly title: string;
}

/** What a case's machine starts from: the application's answers. */
export interface CaseInput {
  readonly answers: Readonly<Record<string, Answer>>;
}

/** Events in the past tense: what happened to the case. */
export type CaseEvent =
  | { type: 'task.approved' | 'task.rejected'; task: string; department: string; reason?: string }
  /** `to`: the return target the handler chose among those the definition declares for the task (`returnTo`). */
  | { type: 'task.returned'; task: string; department: string; reason?: string; to?: string }
  /** The handler who completed `task` takes the completion back (撤回). */
  | { type: 'task.withdrawn'; task: string; department: string }
  /** The lead adds a department to a joint review, or removes one, before the review starts. */
  | { type: 'members.changed'; review: string; department: string; joins: boolean; reason: string }
  /** The lead closes a joint review after a rejection, cancelling the reviews still open. */
  | { type: 'review.closed'; review: string }
  /** A signer adds one to their countersign step (加签), or the lead removes a pending one (减签). */
  | ({ type: 'signers.changed' } & SignerChange)
  | { type: 'supplement.submitted' }
  | { type: 'period.ended'; period: string }
  | { type: 'deadline.elapsed'; task: string }
  /** A clock's due passed (the legal clock, or one the definition started). */
  | { type: 'clock.expired'; clock: string };

export const EVENT_BY_OUTCOME = {
  approve: 'task.approved',
  reject: 'task.rejected',
  return: 'task.returned',
} as const satisfies Record<TaskOutcome, CaseEvent['type']>;

/** The audit events of an outcome deemed by a rung of the service item's ladder (视为同意 / 视为不予同意). */
export const DEEMED_OUTCOME_EVENTS = { approve: 'task.deemed-approved', reject: 'task.deemed-rejected' } as const;

/** Actions without an implementation here are effects: the planner maps each by name. */
const effect = <P>() => (_: unknown, _params: P) => {};

/**
 * An action that decides, from the context, which assigns and which effects to enqueue (XState's
 * `enqueueActions`): registered under the same signature as an effect, so the setup's types stay those of the
 * definitions' vocabulary; what it enqueues are the actions above, by name.
 */
type Enqueuing<P> = ReturnType<typeof effect<P>>;
const enqueuing = <P>(body: (args: { context: CaseContext; event: CaseEvent; enqueue: EnqueueActions }, params: P) => void): Enqueuing<P> =>
  enqueueActions(({ context, event, enqueue }, params: P) => body({ context: context as CaseContext, event: event as CaseEvent, enqueue: enqueue as unknown as EnqueueActions }, params)) as unknown as Enqueuing<P>;

/** What `enqueuing` bodies may enqueue: a named action with its params, or an assign of the context. */
interface EnqueueActions {
  (action: { readonly type: string; readonly params?: unknown }): void;
  assign(update: Partial<CaseContext>): void;
}

/** The context's countersign steps with `step` set to `value`. */
const countersignsWith = (context: CaseContext, step: string, value: Countersign) => ({ countersigns: { ...context.countersigns, [step]: value } });

const openTaskOf = (step: Countersign, s: Signer) => ({
  type: 'openTask' as const,
  params: {
    task: s.task,
    kind: step.kind,
    title: step.title,
    department: s.department,
    workingDays: step.workingDays,
    ...(step.ladder ? { ladder: step.ladder } : {}),
    ...(s.person ? { signer: s.person } : {}),
    ...(step.substitutable === false ? { substitutable: false } : {}),
  } satisfies OpenTaskParams,
});

/** Both outcomes of a task-completing event, from the event's type. */
const voteOf = (type: string) => (type === 'task.approved' ? 'approve' : type === 'task.rejected' ? 'reject' : null);

export const caseMachineSetup = setup({
  types: {} as { context: CaseContext; events: CaseEvent; input: CaseInput | undefined },
  actions: {
    openTask: effect<OpenTaskParams>(),
    cancelTask: effect<{ task: string }>(),
    startPeriod: effect<StartPeriodParams>(),
    cancelPeriod: effect<CancelPeriodParams>(),
    issueLicence: effect<IssueLicenceParams>(),
    notifyApplicant: effect<NotifyParams>(),
    pauseCaseClocks: effect<PauseCaseClocksParams>(),
    resumeCaseClocks: effect<undefined>(),
    startClock: effect<StartClockParams>(),
    pauseClock: effect<PauseClockParams>(),
    resumeClock: effect<ClockParams>(),
    stopClock: effect<ClockParams>(),
    /** Opens a countersign step: keeps its signers in the context and opens the tasks of those who sign now. */
    openCountersign: enqueuing<OpenCountersignParams>(({ context, enqueue }, p) => {
      const { step, opened } = opening(openedCountersign(p, resolveSigners(p, context.outcomes)));
      enqueue.assign(countersignsWith(context, p.step, step));
      for (const signer of opened) enqueue(openTaskOf(step, signer));
    }),
    /** A signer's vote: kept with its reasons; in order (依次) the next signer's task opens while undecided. */
    countSignature: enqueuing<{ step: string }>(({ context, event, enqueue }, p) => {
      const step = context.countersigns?.[p.step];
      const vote = voteOf(event.type);
      if (!step || !vote || !('task' in event)) return;
      const { step: next, opened } = opening(withVote(step, event.task, vote, vote === 'reject' && 'reason' in event ? (event.reason ?? null) : null));
      enqueue.assign(countersignsWith(context, p.step, next));
      for (const signer of opened) enqueue(openTaskOf(next, signer));
    }),
    /** 加签 / 减签: the step's signers changed and tallied again; the tasks the change closes and opens. */
    changeSigners: enqueuing<{ step: string }>(({ context, event, enqueue }, p) => {
      const step = context.countersigns?.[p.step];
      if (!step || event.type !== 'signers.changed') return;
      const changed = withSignersChanged(step, event);
      const { step: next, opened } = opening(changed.step);
      enqueue.assign(countersignsWith(context, p.step, next));
      for (const task of changed.cancel) enqueue({ type: 'cancelTask', params: { task } });
      for (const signer of [...changed.open, ...opened]) enqueue(openTaskOf(next, signer));
    }),
    /** Cancels the tasks of a countersign step that are still open (the step decided, or left). */
    cancelCountersign: enqueuing<{ step: string }>(({ context, enqueue }, p) => {
      for (const signer of context.countersigns?.[p.step]?.signers ?? []) if (signer.vote === null) enqueue({ type: 'cancelTask', params: { task: signer.task } });
    }),
    /** Forgets the outcomes (and rejections) of the named tasks: their approvals must be given again. */
    forgetOutcomes: assign(({ context }, p: { tasks: readonly string[] }) => ({
      outcomes: Object.fromEntries(Object.entries(context.outcomes).filter(([task]) => !p.tasks.includes(task))),
      rejections: context.rejections.filter((r) => !p.tasks.includes(r.task)),
    })),
    /** The lead's change of a joint review's members, with its reason. */
    changeMembers: assign(({ context, event }) => {
      if (event.type !== 'members.changed') return {};
      const changes = context.memberChanges?.[event.review] ?? {};
      return { memberChanges: { ...context.memberChanges, [event.review]: { ...changes, [event.department]: { joins: event.joins, reason: event.reason } } } };
    }),
    recordOutcome: assign(({ context, event }) => {
      if (!('task' in event) || !('department' in event)) return {};
      const outcome = (Object.keys(EVENT_BY_OUTCOME) as TaskOutcome[]).find((o) => EVENT_BY_OUTCOME[o] === event.type);
      if (!outcome) return {};
      const reason = 'reason' in event ? event.reason : undefined;
      const seq = Math.max(0, ...Object.values(context.outcomes).map((o) => o.seq ?? 0)) + 1;
      const record: OutcomeRecord = { outcome, department: event.department, ...(reason ? { reason } : {}), seq };
      return {
        outcomes: { ...context.outcomes, [event.task]: record },
        rejections:
          outcome === 'reject'
            ? [...context.rejections, { task: event.task, department: event.department, reason: reason ?? '' }]
            : context.rejections,
      };
    }),
  },
  guards: {
    taskIs: ({ event }, params: { task: string }) => 'task' in event && event.task === params.task,
    periodIs: ({ event }, params: { period: string }) => event.type === 'period.ended' && event.period === params.period,
    anyRejected: ({ context }) => context.rejections.length > 0,
    /** The event returns `task` to the declared target `to` (the first declared one when the handler named none). */
    returnTo: ({ event }, p: ReturnToParams) => event.type === 'task.returned' && event.task === p.task && event.to === p.to,
    /** The event is a vote of a signer of the countersign step who has not voted yet. */
    signerOf: ({ context, event }, p: { step: string }) =>
      'task' in event && (context.countersigns?.[p.step]?.signers ?? []).some((s) => s.task === event.task && s.vote === null),
    /** The event changes this step's signers in a way its rules allow (`signerChangeRefusal`). */
    signersChangeable: ({ context, event }, p: { step: string }) =>
      event.type === 'signers.changed' && event.step === p.step && signerChangeRefusal(context.countersigns?.[p.step], event) === null,
    countersignIs: ({ context }, p: { step: string; outcome: CountersignOutcome }) => context.countersigns?.[p.step]?.outcome === p.outcome,
    /**
     * `task`'s completion may be taken back (撤回): it has an outcome, none of the `before` tasks (the steps it led
     * to) has an outcome recorded after it, and nobody has voted in the `unvoted` countersign steps. The engine adds
     * that every task the completion opened is untouched and no task the withdrawal cancels is being handled.
     */
    withdrawable: ({ context, event }, p: { task: string; before?: readonly string[]; unvoted?: readonly string[] }) => {
      const own = context.outcomes[p.task];
      if (event.type !== 'task.withdrawn' || event.task !== p.task || !own) return false;
      const noVote = (step: string) => (context.countersigns?.[step]?.signers ?? []).every((s) => s.vote === null);
      return (p.before ?? []).every((t) => (context.outcomes[t]?.seq ?? 0) <= (own.seq ?? 0)) && (p.unvoted ?? []).every(noVote);
    },
    /** The task's latest outcome is `outcome` (an approval that stands when its review is entered again). */
    outcomeIs: ({ context }, p: { task: string; outcome: TaskOutcome }) => context.outcomes[p.task]?.outcome === p.outcome,
    /** Some of the tasks ended with `outcome` (a joint review with a rejection). */
    someOutcomeIs: ({ context }, p: { tasks: readonly string[]; outcome: TaskOutcome }) => p.tasks.some((t) => context.outcomes[t]?.outcome === p.outcome),
    /** The reviews disagree: some approved, some rejected (意见分歧), what a dispute ladder settles. */
    outcomesSplit: ({ context }, p: { tasks: readonly string[] }) =>
      p.tasks.some((t) => context.outcomes[t]?.outcome === 'approve') && p.tasks.some((t) => context.outcomes[t]?.outcome === 'reject'),
    joinsReview: ({ context }, p: MembershipParams) => joinsReview(context, p),
    skipsReview: ({ context }, p: MembershipParams) => !joinsReview(context, p),
    /** A change of members the lead may make: of this review, for a department the definition leaves optional. */
    memberChangeable: ({ event }, p: { review: string; optional: readonly string[] }) =>
      event.type === 'members.changed' && event.review === p.review && p.optional.includes(event.department),
    /** The lead closes the review (`review.closed`) once a member has rejected: every reason given so far is kept. */
    reviewClosable: ({ context, event }, p: { review: string; tasks: readonly string[] }) =>
      event.type === 'review.closed' && event.review === p.review && p.tasks.some((t) => context.outcomes[t]?.outcome === 'reject'),
  },
});

/** The JSON machine config a process definition holds. */
export type CaseMachineConfig = Parameters<typeof caseMachineSetup.createMachine>[0];
export type CaseMachine = ReturnType<typeof caseMachineSetup.createMachine>;
