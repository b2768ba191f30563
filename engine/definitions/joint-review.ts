import { LEAD_DEPARTMENT, type ReturnToParams } from './case-machine.js';
import type { OpenCountersignParams, RejectionPolicy } from './countersign.js';
import { onOutcome, onReturn, taskState, type DepartmentReview, type StateConfig } from './definition-parts.js';
import { taskClockId } from '../case-clocks.js';
import type { MembershipParams } from './review-membership.js';

/**
 * The joint review (联合审查 / 并联审批) as a building block: a lead department (牵头部门) and member departments
 * reviewing in parallel, each in a region of its own with its own task, opinion and clock. What the block
 * declares, it compiles to plain JSON in the engine's vocabulary (a parallel state and, with a dispute ladder,
 * the ladder's states), so the result is stored, linted and published like any definition:
 *
 * - **members** fixed at design time, or decided at run time: an optional member joins when the application's
 *   answer says it is needed, and the lead may add or remove an optional member at acceptance with a reason
 *   (`memberChanges`);
 * - **on a rejection** the review ends at once, or every other member finishes so the refusal lists every
 *   reason (the lead may close the reviews still open once a rejection is in);
 * - **returns** (退回) each member's handler chooses among at run time: inside the member's branch (the earlier
 *   step's department corrects for it while the other members keep reviewing), or out of the review to an
 *   earlier step (the other members' open reviews are cancelled; their approvals stand or must be given again);
 *   the clocks of the reviews that reopen continue with what they had left, or start anew;
 * - **withdrawals** (撤回): a member's completion is taken back while the review runs, or from the step the review
 *   led to while that step is untouched (`withdrawalsAfter`), the other members' outcomes standing;
 * - **a dispute** (意见分歧: some members approve, some reject) climbs a declared ladder: the dissenting
 *   departments reconsider (all must agree), the lead department coordinates, a joint meeting decides.
 *
 * The review's tasks are `review.<department>`; the review must be a top-level state of the machine.
 */

export interface MemberReview extends DepartmentReview {
  /** False: the department joins only when the application needs it (`whenAnswer`) or the lead adds it. */
  readonly required?: boolean;
  /** The application's answer (e.g. `hasBasement`) that brings an optional member in. */
  readonly whenAnswer?: string;
  /** The materials its review needs (`OpenTaskParams.materials`); left out, it sees them all. */
  readonly materials?: readonly string[];
}

/** What the clocks of the reviews that reopen after a return do: go on with what they had left, or start anew. */
export type ClockOnReturn = 'continue' | 'restart';

export type ReviewReturn =
  /** Inside the member's branch: `department` (the lead, the window) corrects for it; the others keep reviewing. */
  | { readonly to: string; readonly title: string; readonly siblings: 'keep'; readonly department: string; readonly workingDays: number; readonly clock: ClockOnReturn }
  /**
   * Out of the review to the top-level state `target`: the other members' open reviews are cancelled; when the case
   * comes back, the approvals already given `stand` (those members are not asked again) or are asked again (`redo`).
   */
  | {
      readonly to: string;
      readonly title: string;
      readonly siblings: 'cancel';
      readonly target: string;
      readonly approvals: 'stand' | 'redo';
      readonly clock: ClockOnReturn;
    };

/** One rung of a dispute ladder: who settles the disagreement at this level, in how many working days. */
export interface DisputeRung {
  /** `handling`: the dissenting departments reconsider; `lead`: the lead department coordinates; `meeting`: a joint meeting (联席会议) decides. */
  readonly rung: 'handling' | 'lead' | 'meeting';
  readonly title: string;
  readonly workingDays: number;
}

export interface JointReviewDeclaration {
  /** The review's top-level state, and its name in commands (`members.changed`, `review.closed`). */
  readonly name: string;
  /** The machine's id (the definition's key): targets outside the review are `#<machineId>.<state>`. */
  readonly machineId: string;
  readonly members: readonly MemberReview[];
  /** `none`: a member cannot reject (a company already registered is not refused its seal). */
  readonly onRejection: RejectionPolicy | 'none';
  /** The returns every member may choose among; the first is the one taken when none is named. */
  readonly returns: readonly ReviewReturn[];
  /** Settles a split review; the last rung decides (its rejection refuses). Without it a split is a refusal. */
  readonly dispute?: readonly DisputeRung[];
  /** Top-level state when every member approved (or a dispute settled for approval): the lead's consolidation. */
  readonly approved: string;
  /** Top-level state when the review refuses. */
  readonly refused: string;
  /** More transitions of the review state: the previous step's withdrawal (`task.withdrawn`) back out of it. */
  readonly on?: NonNullable<StateConfig['on']>;
}

const reviewTask = (department: string) => `review.${department}`;
const memberTasks = (d: JointReviewDeclaration) => d.members.map((m) => reviewTask(m.department));
const at = (d: JointReviewDeclaration, state: string) => `#${d.machineId}.${state}`;
const disputeState = (d: JointReviewDeclaration) => `${d.name}Dispute`;
const forget = (tasks: readonly string[]) => ({ type: 'forgetOutcomes' as const, params: { tasks: [...tasks] } });

/**
 * The previous step's withdrawal out of the review, back to `target`, while no member has acted since: spread
 * into the declaration's `on`. The outcome taken back is forgotten, as a member's is.
 */
export function withdrawalInto(d: Pick<JointReviewDeclaration, 'members'>, task: string, target: string): NonNullable<StateConfig['on']> {
  return { 'task.withdrawn': { guard: { type: 'withdrawable', params: { task, before: d.members.map((m) => reviewTask(m.department)) } }, target, actions: [forget([task])] } };
}

/** The review's top-level states: the review, and its dispute ladder when it declares one. */
export function jointReview(d: JointReviewDeclaration): Record<string, StateConfig> {
  const tasks = memberTasks(d);
  const finish = d.onRejection === 'finish';
  // Closing early is the lead's when every reason is being waited for and no dispute ladder needs them all.
  const closing = finish && !d.dispute ? { 'review.closed': { guard: { type: 'reviewClosable' as const, params: { review: d.name, tasks } }, target: d.refused } } : {};
  const on = { ...d.on, ...closing };
  const review: StateConfig = {
    type: 'parallel',
    states: Object.fromEntries(d.members.map((m) => [m.department, memberRegion(d, m)])),
    ...(Object.keys(on).length > 0 ? { on } : {}),
    onDone: [
      ...(d.dispute ? [{ guard: { type: 'outcomesSplit' as const, params: { tasks } }, target: disputeState(d) }] : []),
      ...(d.onRejection === 'none' ? [] : [{ guard: { type: 'someOutcomeIs' as const, params: { tasks, outcome: 'reject' as const } }, target: d.refused }]),
      { target: d.approved },
    ],
  };
  return { [d.name]: review, ...(d.dispute ? { [disputeState(d)]: disputeLadder(d, d.dispute) } : {}) };
}

/**
 * The transitions that take a member's completion back from the state the review led to (the lead's
 * consolidation, the refusal): the review is entered again, the other members' outcomes stand, the member's
 * review reopens. Spread into that state's `on`.
 */
export function withdrawalsAfter(d: JointReviewDeclaration, unvoted?: string): NonNullable<StateConfig['on']> {
  return {
    'task.withdrawn': d.members.map((m) => ({
      guard: { type: 'withdrawable' as const, params: { task: reviewTask(m.department), ...(unvoted ? { unvoted: [unvoted] } : {}) } },
      target: at(d, d.name),
      actions: [forget([reviewTask(m.department)])],
    })),
  };
}

/** The lead's additions and removals of optional members, before the review starts: spread into that state's `on`. */
export function memberChanges(d: JointReviewDeclaration): NonNullable<StateConfig['on']> {
  const optional = d.members.filter((m) => m.required === false).map((m) => m.department);
  if (optional.length === 0) return {};
  return { 'members.changed': { guard: { type: 'memberChangeable', params: { review: d.name, optional } }, actions: ['changeMembers'] } };
}

function memberRegion(d: JointReviewDeclaration, m: MemberReview): StateConfig {
  const task = reviewTask(m.department);
  const finish = d.onRejection === 'finish';
  const membership: MembershipParams = { review: d.name, department: m.department, required: m.required !== false, ...(m.whenAnswer ? { whenAnswer: m.whenAnswer } : {}) };
  const branchReturns = d.returns.filter((r): r is Extract<ReviewReturn, { siblings: 'keep' }> => r.siblings === 'keep');
  return {
    initial: 'entering',
    // A completion taken back while the review runs: the member reviews again, the others carry on.
    on: { 'task.withdrawn': { guard: { type: 'withdrawable', params: { task } }, target: '.reviewing', actions: [forget([task])] } },
    states: {
      entering: {
        always: [
          { guard: { type: 'skipsReview', params: membership }, target: 'skipped' },
          { guard: { type: 'outcomeIs', params: { task, outcome: 'approve' } }, target: 'approved' },
          ...(finish ? [{ guard: { type: 'outcomeIs' as const, params: { task, outcome: 'reject' as const } }, target: 'rejected' }] : []),
          { target: 'reviewing' },
        ],
      },
      reviewing: taskState(
        { task, kind: m.kind ?? 'review', title: m.title, department: m.department, workingDays: m.workingDays, continueClock: true, ...(m.materials ? { materials: m.materials } : {}) },
        {
          'task.approved': onOutcome(task, 'approved'),
          ...(d.onRejection === 'none' ? {} : { 'task.rejected': onOutcome(task, finish ? 'rejected' : at(d, d.refused)) }),
          'task.returned': d.returns.map((r) => returnTransition(d, task, r)),
        },
      ),
      ...Object.fromEntries(
        branchReturns.map((r) => {
          const correction = `${r.to}.${m.department}`;
          return [
            returnedState(r),
            taskState(
              { task: correction, kind: 'correction', title: `${r.title} · ${m.title}`, department: r.department, workingDays: r.workingDays },
              { 'task.approved': onOutcome(correction, 'reviewing') },
            ),
          ];
        }),
      ),
      approved: { type: 'final' },
      skipped: { type: 'final' },
      ...(finish ? { rejected: { type: 'final' } } : {}),
    },
  };
}

const returnedState = (r: ReviewReturn) => `returned-${r.to}`;

function returnTransition(d: JointReviewDeclaration, task: string, r: ReviewReturn) {
  const declared: ReturnToParams = { task, to: r.to, title: r.title };
  if (r.siblings === 'keep') return onReturn(declared, returnedState(r), r.clock === 'restart' ? [stop(task)] : []);
  const tasks = memberTasks(d);
  return onReturn(declared, at(d, r.target), [
    ...(r.approvals === 'redo' ? [forget(tasks)] : []),
    // The reviews this return cancels keep their clocks paused (the planner's rule for a return): restarting stops them.
    ...(r.clock === 'restart' ? tasks.map(stop) : []),
  ]);
}

const stop = (task: string) => ({ type: 'stopClock' as const, params: { clock: taskClockId(task) } });

/** The ladder a split review climbs; each rung settles for approval or passes the dispute up, the last one decides. */
function disputeLadder(d: JointReviewDeclaration, rungs: readonly DisputeRung[]): StateConfig {
  const [first] = rungs;
  if (!first) throw new TypeError(`joint review ${d.name}: a dispute ladder needs at least one rung`);
  const name = (r: DisputeRung) => r.rung;
  const states = Object.fromEntries(
    rungs.map((r, i) => {
      const next = rungs[i + 1];
      const up = next ? name(next) : at(d, d.refused);
      const settled = at(d, d.approved);
      if (r.rung === 'handling') {
        const params: OpenCountersignParams = {
          step: reconsideration(d),
          mode: 'all',
          kind: 'review',
          title: r.title,
          workingDays: r.workingDays,
          signers: { dissentersOf: memberTasks(d) },
        };
        return [name(r), countersignState(params, { approved: settled, rejected: up })];
      }
      const task = `${d.name}.${r.rung}`;
      const kind = r.rung === 'meeting' ? ('decision' as const) : ('review' as const);
      return [name(r), taskState({ task, kind, title: r.title, department: LEAD_DEPARTMENT, workingDays: r.workingDays }, { 'task.approved': onOutcome(task, settled), 'task.rejected': onOutcome(task, up) })];
    }),
  );
  // A member may still take its completion back on the first rung while nobody has acted on it there (a
  // dissenter's reconsideration is a vote); once the dispute has climbed a rung, no more.
  const firstRung = states[name(first)] as StateConfig;
  const withdrawals = withdrawalsAfter(d, first.rung === 'handling' ? reconsideration(d) : undefined);
  return { initial: name(first), states: { ...states, [name(first)]: { ...firstRung, on: { ...firstRung.on, ...withdrawals } } } };
}

/** The countersign step in which the dissenting members reconsider (the `handling` rung). */
const reconsideration = (d: JointReviewDeclaration) => `${d.name}Reconsideration`;

/**
 * A countersign step (会签 / 或签 / 依次 / 票签) as a state: entering opens the signers' tasks, each vote is
 * counted, a signer added or a pending one removed (加签 / 减签, `signers.changed`) is tallied at once, and the state
 * is left as soon as the outcome is certain (the signers still open are cancelled).
 */
export function countersignState(p: OpenCountersignParams, next: { readonly approved: string; readonly rejected: string }): StateConfig {
  const vote = { guard: { type: 'signerOf' as const, params: { step: p.step } }, actions: ['recordOutcome' as const, { type: 'countSignature' as const, params: { step: p.step } }] };
  return {
    entry: [{ type: 'openCountersign', params: p }],
    exit: [{ type: 'cancelCountersign', params: { step: p.step } }],
    on: {
      'task.approved': vote,
      'task.rejected': vote,
      'signers.changed': { guard: { type: 'signersChangeable', params: { step: p.step } }, actions: [{ type: 'changeSigners', params: { step: p.step } }] },
    },
    always: [
      { guard: { type: 'countersignIs', params: { step: p.step, outcome: 'approved' } }, target: next.approved },
      { guard: { type: 'countersignIs', params: { step: p.step, outcome: 'rejected' } }, target: next.rejected },
    ],
  };
}
