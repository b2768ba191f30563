import { z } from 'zod';
import {
  TASK_KINDS,
  TASK_OUTCOMES,
  type ReturnToParams,
  type CancelPeriodParams,
  type CaseEvent,
  type IssueLicenceParams,
  type NotifyParams,
  type OpenTaskParams,
  type ClockParams,
  type PauseCaseClocksParams,
  type PauseClockParams,
  type StartClockParams,
  type StartPeriodParams,
} from './case-machine.js';
import { isEngineClock } from '../case-clocks.js';
import { COUNTERSIGN_MODES, REJECTION_POLICIES, type OpenCountersignParams } from './countersign.js';
import type { MembershipParams } from './review-membership.js';
import { RUNG_AUDIENCES, type Ladder } from '../time/ladder.js';
import { PAUSE_REASONS } from '../time/legal-clock.js';

/**
 * What a process definition may say, as data: every action and guard the engine implements
 * (`caseMachineSetup` in `case-machine.ts`) with the schema of its params, and the events a case receives.
 * Publishing checks a definition against these tables, so a definition that names something the engine
 * cannot do is refused at publish instead of failing when a case reaches it. Adding an action or a guard
 * to the machine is one entry here too (a test keeps the tables equal to the machine's implementations).
 */

const name = z.string().trim().min(1, 'must be a non-empty string');
const workingDays = z.number().int('must be a whole number of working days').positive('must be at least one working day');

const days = z.number().int('must be a whole number of working days').min(0).max(3650);
/** A warning ladder (`ladder.ts`): rungs named once, each with at least one trigger. */
const ladder = z
  .array(
    z
      .object({
        name,
        colour: z.enum(['yellow', 'red']),
        when: z
          .array(
            z.union([
              z.object({ remainingWorkingDays: days }).strict(),
              z.object({ consumedPercent: z.number().int().min(1).max(100) }).strict(),
              z.object({ overdueWorkingDays: days }).strict(),
            ]),
          )
          .min(1),
        notify: z.array(z.enum(RUNG_AUDIENCES)),
        remind: z.object({ times: z.number().int().min(1).max(20), everyWorkingHours: z.number().int().min(1).max(2000) }).strict().optional(),
      })
      .strict(),
  )
  .refine((rungs) => new Set(rungs.map((r) => r.name)).size === rungs.length && rungs.every((r) => !r.name.includes('#')), 'names each rung once, without # (it marks reminders)') satisfies z.ZodType<Ladder>;

const step = z.object({ step: name }).strict();
const tasks = z.object({ tasks: z.array(name).min(1) }).strict();
const weight = z.number().int('must be a whole number').min(1).max(100);
/** Said only to take a step from substitutes (代理): every step is substitutable unless it says `false`. */
const substitutable = z.literal(false, 'is false or left out: a step is substitutable unless it says otherwise').optional();
const countersign = z
  .object({
    step: name.refine((s) => !s.includes('.'), 'names the step without dots (its signers\' tasks are <step>.<signer>)'),
    mode: z.enum(COUNTERSIGN_MODES),
    kind: z.enum(TASK_KINDS),
    title: name,
    workingDays,
    signers: z.union([
      z.array(z.object({ department: name, person: name.optional(), weight: weight.optional() }).strict()).min(1, 'names at least one signer'),
      z.object({ dissentersOf: z.array(name).min(1) }).strict(),
    ]),
    threshold: z
      .object({ numerator: z.number().int().min(1), denominator: z.number().int().min(1) })
      .strict()
      .refine((t) => t.numerator <= t.denominator, 'is a share of at most the whole weight')
      .optional(),
    onRejection: z.enum(REJECTION_POLICIES).optional(),
    ladder: ladder.optional(),
    substitutable,
  })
  .strict()
  .refine((p) => (p.mode === 'vote') === (p.threshold !== undefined), 'gives a threshold for a vote (票签), and only for a vote')
  .refine((p) => p.onRejection === undefined || p.mode === 'all', 'gives onRejection only for mode all (会签)')
  .refine(
    (p) => !Array.isArray(p.signers) || new Set(p.signers.map((s) => s.person ?? s.department)).size === p.signers.length,
    'names each signer once',
  )
  .refine((p) => Array.isArray(p.signers) || p.mode === 'all', 'takes dissenters as signers only in mode all') satisfies z.ZodType<OpenCountersignParams>;
const membership = z
  .object({ review: name, department: name, required: z.boolean(), whenAnswer: name.optional() })
  .strict() satisfies z.ZodType<MembershipParams>;

/** `null`: the action or guard takes no params. */
type ParamsSchema = z.ZodType | null;

/** The grounds a process pauses clocks for; a suspension (中止) is a person's decision with its legal basis, never a step's. */
const PROCESS_PAUSE = z.enum(PAUSE_REASONS).exclude(['suspension']);

export const ACTION_PARAMS = {
  openTask: z
    .object({
      task: name,
      kind: z.enum(TASK_KINDS),
      title: name,
      department: name,
      workingDays,
      continueClock: z.boolean().optional(),
      ladder: ladder.optional(),
      signer: name.optional(),
      substitutable,
      materials: z
        .array(name)
        .min(1, 'names at least one material, or is left out (the department sees them all)')
        .refine((names) => new Set(names).size === names.length, 'names each material once')
        .optional(),
    })
    .strict() satisfies z.ZodType<OpenTaskParams>,
  openCountersign: countersign,
  countSignature: step,
  cancelCountersign: step,
  changeSigners: step,
  forgetOutcomes: tasks,
  changeMembers: null,
  cancelTask: z.object({ task: name }).strict(),
  startPeriod: z.object({ period: name, workingDays }).strict() satisfies z.ZodType<StartPeriodParams>,
  cancelPeriod: z.object({ period: name }).strict() satisfies z.ZodType<CancelPeriodParams>,
  issueLicence: z.object({ licenceType: name, title: name }).strict() satisfies z.ZodType<IssueLicenceParams>,
  notifyApplicant: z.object({ template: name }).strict() satisfies z.ZodType<NotifyParams>,
  recordOutcome: null,
  pauseCaseClocks: z.object({ reason: PROCESS_PAUSE }).strict() satisfies z.ZodType<PauseCaseClocksParams>,
  resumeCaseClocks: null,
  startClock: z
    .object({
      clock: name.refine((id) => !isEngineClock(id), 'names a clock of the definition: legal, committed, task:… and notice:… are the engine\'s'),
      workingDays: workingDays.optional(),
      limit: z.enum(['legal', 'committed']).optional(),
    })
    .strict()
    .refine((p) => (p.workingDays === undefined) !== (p.limit === undefined), 'gives either workingDays or limit') satisfies z.ZodType<StartClockParams>,
  pauseClock: z.object({ clock: name, reason: PROCESS_PAUSE }).strict() satisfies z.ZodType<PauseClockParams>,
  resumeClock: z.object({ clock: name }).strict() satisfies z.ZodType<ClockParams>,
  stopClock: z.object({ clock: name }).strict() satisfies z.ZodType<ClockParams>,
} as const satisfies Record<string, ParamsSchema>;

export const GUARD_PARAMS = {
  taskIs: z.object({ task: name }).strict(),
  periodIs: z.object({ period: name }).strict(),
  anyRejected: null,
  returnTo: z.object({ task: name, to: name, title: name }).strict() satisfies z.ZodType<ReturnToParams>,
  signerOf: step,
  signersChangeable: step,
  countersignIs: z.object({ step: name, outcome: z.enum(['approved', 'rejected']) }).strict(),
  withdrawable: z.object({ task: name, before: z.array(name).min(1).optional(), unvoted: z.array(name).min(1).optional() }).strict(),
  outcomeIs: z.object({ task: name, outcome: z.enum(TASK_OUTCOMES) }).strict(),
  someOutcomeIs: z.object({ tasks: z.array(name).min(1), outcome: z.enum(TASK_OUTCOMES) }).strict(),
  outcomesSplit: tasks,
  joinsReview: membership,
  skipsReview: membership,
  memberChangeable: z.object({ review: name, optional: z.array(name).min(1) }).strict(),
  reviewClosable: z.object({ review: name, tasks: z.array(name).min(1) }).strict(),
} as const satisfies Record<string, ParamsSchema>;

/**
 * The events a case receives from commands and timers; a transition on any other would never be taken.
 * A record, so that an event added to `CaseEvent` does not compile until it is listed here.
 */
const CASE_EVENTS: Readonly<Record<CaseEvent['type'], true>> = {
  'task.approved': true,
  'task.rejected': true,
  'task.returned': true,
  'task.withdrawn': true,
  'members.changed': true,
  'review.closed': true,
  'signers.changed': true,
  'supplement.submitted': true,
  'period.ended': true,
  'deadline.elapsed': true,
  'clock.expired': true,
};
export const isCaseEvent = (type: string): boolean => Object.hasOwn(CASE_EVENTS, type);

/** The params schema of a named action or guard, `null` for none, `undefined` when the engine has no such name. */
export function paramsSchema(table: Readonly<Record<string, ParamsSchema>>, type: string): ParamsSchema | undefined {
  return Object.hasOwn(table, type) ? table[type] : undefined;
}
