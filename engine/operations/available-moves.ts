import type { Actor } from '../access/actor.js';
import { isNoticeClock } from '../case-clocks.js';
import type { CaseRecord, TaskRecord } from '../case-record.js';
import type { CaseCopy } from '../case-copy.js';
import type { CaseFile, LockedCase } from '../case-store.js';
import { TASK_OUTCOMES, type CaseContext, type TaskOutcome } from '../definitions/case-machine.js';
import { EngineError } from '../errors.js';
import { clockStatus } from '../time/legal-clock.js';
import { decideCommand, type CaseCommand } from './decide-command.js';
import type { DecisionEnv } from './decision.js';
import { SPECIAL_PROCEDURES, type SpecialProcedureKind } from './start-special-procedure.js';
import { restoreSnapshot } from '../case-snapshot.js';
import { declaredReturns } from '../definitions/declared-returns.js';
import { reviewMembers } from '../definitions/review-members.js';
import { TASK_ROLES } from '../access/authorization-policy.js';
import { departmentCode, userId } from '../ids.js';
import { SIGNER_POSITIONS, type SignerPosition } from '../definitions/signer-changes.js';
import type { Substitution } from '../substitution.js';
import { supplementChoices, type SupplementChoice } from './supplement-request.js';

/**
 * What a person may do on a case now, so that a page offers only those moves: each candidate command is
 * decided exactly as the engine would decide it (`decideCommand`: the version, the permission matrix, the
 * department, task and state rules, the machine), on the case as last committed, and offered when it would
 * be accepted and change something. Nothing is written. The inputs a person types (an opinion, a reason) are
 * the form's to check; here they are stand-ins that pass, and what the rules bound (the working days an
 * extension may still add) is told with the move.
 */

/** A case as read outside a command: the row and its open tasks, unlocked. */
export interface CaseAtRest {
  readonly case: CaseRecord;
  /** Open and claimed tasks of the case. */
  readonly openTasks: readonly TaskRecord[];
  /** Completed tasks of the case (what a withdrawal may take back); none when not read. */
  readonly completedTasks?: readonly TaskRecord[];
  /** The case's copies (抄送) not read yet (what 已阅 may mark); none when not read. */
  readonly unreadCopies?: readonly CaseCopy[];
  /** Its materials and supplement requests (what a return to the applicant may name, 一次性告知); without it, no such return is offered. */
  readonly caseFile?: CaseFile;
}

export type Move =
  | { readonly type: 'task.claim' | 'task.release' | 'task.urge' | 'task.withdraw' | 'task.delegation.recall'; readonly taskId: string; readonly task: string }
  | {
      readonly type: 'task.complete';
      readonly taskId: string;
      readonly task: string;
      readonly outcomes: TaskOutcome[];
      /** With `return`: where it may go now, the definition's default first (none when its return is fixed). */
      readonly returnTargets: ReturnTarget[];
      /**
       * When a return of it goes to the applicant (补正: the fixed return, or a target that `asksSupplement`): the service
       * item's materials its supplement request chooses from, each saying whether it may be named now; else empty.
       */
      readonly supplementMaterials: SupplementChoice[];
    }
  /** 转办: to a person of the task's department (`department`, holding it now), and/or (the lead department's lead) to another department. */
  | { readonly type: 'task.transfer'; readonly taskId: string; readonly task: string; readonly department: string; readonly toPerson: boolean; readonly toDepartment: boolean }
  /** 接办: a task held by `substitutedFor`, for whom the actor stands in now (代理). */
  | { readonly type: 'task.take-over'; readonly taskId: string; readonly task: string; readonly substitutedFor: string }
  /** 委派 to a person of the task's department (`department`), by whoever holds it. */
  | { readonly type: 'task.delegate'; readonly taskId: string; readonly task: string; readonly department: string }
  /** 委派 returned (退回确认) by the delegate, proposing one of `outcomes`. */
  | { readonly type: 'task.delegation.resolve'; readonly taskId: string; readonly task: string; readonly outcomes: TaskOutcome[] }
  | { readonly type: 'review.members.change'; readonly review: string; readonly department: string; readonly joins: boolean }
  | { readonly type: 'review.close'; readonly review: string }
  /** 加签 on my open signer task, at the positions its step's mode allows. */
  | { readonly type: 'countersign.signer.add'; readonly taskId: string; readonly task: string; readonly positions: SignerPosition[] }
  /** 减签 of a pending signer (the lead). */
  | { readonly type: 'countersign.signer.remove'; readonly step: string; readonly task: string; readonly department: string; readonly person: string | null }
  | { readonly type: 'case.withdraw' }
  /** 中止, 恢复, 终止 of the whole case. */
  | { readonly type: 'case.suspend' | 'case.resume' | 'case.terminate' }
  | { readonly type: 'clock.extend'; readonly clock: string; readonly maxWorkingDays: number }
  | { readonly type: 'special-procedure.start' | 'special-procedure.end'; readonly kinds: SpecialProcedureKind[] }
  | { readonly type: 'supplement.submit' }
  /** 抄送 the case to others, 批注 on it. */
  | { readonly type: 'case.copy' | 'case.comment' }
  /** 已阅: mark this copy of the case, addressed to me or my department, read. */
  | { readonly type: 'copy.read'; readonly copyId: string };

/** A return (退回) a handler may choose now: the step's name and its title, and whether it asks the applicant for a supplement. */
export interface ReturnTarget {
  readonly to: string;
  readonly title: string;
  /** It goes to the applicant: the completion names the materials to supplement (一次性告知). */
  readonly asksSupplement: boolean;
}

/** Stand-ins for what a person types: they pass every rule a command's own text must meet. */
const TYPED = 'dry run';
const MATERIAL = { name: TYPED, sha256: '0'.repeat(64), sizeBytes: 1 };
/** Stand-ins for whom a transfer or a delegation names: someone of the task's department able to handle it, another department. */
const COLLEAGUE = (task: TaskRecord) => ({ userId: userId(`${TYPED}:${task.assigneeId ?? ''}`), departmentCode: task.departmentCode, roles: TASK_ROLES[task.kind] });
const ELSEWHERE = (task: TaskRecord) => ({ departmentCode: departmentCode(`${TYPED}:${task.departmentCode}`) });
/** A stand-in for whom a copy (抄送) goes to: a department that is not the actor's and has no unread copy. */
const ELSEWHERE_FOR = (actor: Actor) => ({ departmentCode: departmentCode(`${TYPED}:${actor.departmentCode}`) });

/**
 * The moves `actor` may make on the case now, in a stable order: each open task's (claim, release,
 * complete with the outcomes its state takes and the return targets, urge, transfer, delegate, return or take back a
 * delegation, add a signer, take over for the person one stands in for), the withdrawals of
 * completed tasks, the lead's changes to a joint review (a member added or removed, the review closed) and to
 * countersign steps (a pending signer removed), then the clocks'
 * extensions, the special procedures, the supplement, the withdrawal of the whole case and its suspension, resumption or termination,
 * a copy (抄送) and a comment (批注) on it, and marking read (已阅) the copies of it addressed to the actor.
 *
 * `standingIn`: the substitution windows (代理) in which the actor stands in for someone now, as the API found them.
 *
 * @example
 * availableMoves(actor, { case: record, openTasks }, { definition, calendar, now: engine.now() });
 * // [{ type: 'task.claim', taskId, task: 'review.fire' }, { type: 'task.complete', taskId, task: 'review.fire', outcomes: ['approve', 'reject', 'return'] }]
 */
export function availableMoves(actor: Actor, at: CaseAtRest, env: DecisionEnv, standingIn: readonly Substitution[] = []): Move[] {
  const accepted = (command: CaseCommand, task: TaskRecord | null = null) => wouldChange({ ...at, task, timer: null, timersDueWith: [], pendingTimers: [] }, command, env);
  const caseId = at.case.id;
  const moves: Move[] = [];
  for (const t of at.openTasks) {
    const named = { actor, taskId: t.id };
    const ref = { taskId: t.id, task: t.key };
    if (accepted({ type: 'task.claim', ...named }, t)) moves.push({ type: 'task.claim', ...ref });
    if (accepted({ type: 'task.release', ...named }, t)) moves.push({ type: 'task.release', ...ref });
    const fixedReturn = returnKind(actor, at, t, env, undefined);
    const outcomes = TASK_OUTCOMES.filter((outcome) => (outcome === 'return' ? fixedReturn !== null : accepted({ type: 'task.complete', ...named, outcome, opinion: { text: TYPED, visibility: 'internal' } }, t)));
    const targets = outcomes.includes('return') ? returnTargetsOf(actor, at, t, env) : [];
    const asksSupplement = fixedReturn === 'supplement' || targets.some((r) => r.asksSupplement);
    const supplementMaterials = asksSupplement && at.caseFile && env.serviceItem ? supplementChoices(env.serviceItem, at.caseFile) : [];
    if (outcomes.length > 0) moves.push({ type: 'task.complete', ...ref, outcomes, returnTargets: targets, supplementMaterials });
    if (accepted({ type: 'task.urge', ...named, message: TYPED }, t)) moves.push({ type: 'task.urge', ...ref });
    const toPerson = accepted({ type: 'task.transfer', ...named, to: COLLEAGUE(t), reason: TYPED }, t);
    const toDepartment = accepted({ type: 'task.transfer', ...named, to: ELSEWHERE(t), reason: TYPED }, t);
    if (toPerson || toDepartment) moves.push({ type: 'task.transfer', ...ref, department: t.departmentCode, toPerson, toDepartment });
    if (accepted({ type: 'task.delegate', ...named, to: COLLEAGUE(t), note: TYPED }, t)) moves.push({ type: 'task.delegate', ...ref, department: t.departmentCode });
    const proposals = TASK_OUTCOMES.filter((outcome) => accepted({ type: 'task.delegation.resolve', ...named, outcome, opinion: { text: TYPED, visibility: 'internal' } }, t));
    if (proposals.length > 0) moves.push({ type: 'task.delegation.resolve', ...ref, outcomes: proposals });
    if (accepted({ type: 'task.delegation.recall', ...named }, t)) moves.push({ type: 'task.delegation.recall', ...ref });
    const positions = SIGNER_POSITIONS.filter((position) => accepted({ type: 'countersign.signer.add', ...named, department: TYPED, position, reason: TYPED }, t));
    if (positions.length > 0) moves.push({ type: 'countersign.signer.add', ...ref, positions });
    const window = standingIn.find((s) => s.absentId === t.assigneeId);
    if (window && accepted({ type: 'task.take-over', ...named, substitution: window }, t)) moves.push({ type: 'task.take-over', ...ref, substitutedFor: window.absentId });
  }
  for (const t of at.completedTasks ?? []) {
    if (accepted({ type: 'task.withdraw', actor, taskId: t.id, reason: TYPED }, t)) moves.push({ type: 'task.withdraw', taskId: t.id, task: t.key });
  }
  const context = restoreSnapshot(env.definition, at.case.snapshot).context;
  for (const { review, members } of reviewMembers(env.definition, context)) {
    for (const m of members.filter((member) => !member.required)) {
      const change = { type: 'review.members.change', actor, caseId, review, department: m.department, joins: !m.joins, reason: TYPED } as const;
      if (accepted(change)) moves.push({ type: 'review.members.change', review, department: m.department, joins: !m.joins });
    }
    if (accepted({ type: 'review.close', actor, caseId, review, reason: TYPED })) moves.push({ type: 'review.close', review });
  }
  for (const [step, { signers }] of Object.entries((context as CaseContext).countersigns ?? {})) {
    for (const s of signers) {
      if (accepted({ type: 'countersign.signer.remove', actor, caseId, step, task: s.task, reason: TYPED })) moves.push({ type: 'countersign.signer.remove', step, task: s.task, department: s.department, person: s.person });
    }
  }
  for (const clock of at.case.clocks.filter((c) => !isNoticeClock(c.id))) {
    const extension = { type: 'clock.extend', actor, caseId, clock: clock.id, workingDays: 1, reason: TYPED, legalBasis: TYPED } as const;
    if (!accepted(extension)) continue;
    const granted = clockStatus(clock, env.calendar, env.now).extensionWorkingDays;
    moves.push({ type: 'clock.extend', clock: clock.id, maxWorkingDays: clock.extensionPolicy.maxWorkingDays - granted });
  }
  const starts = SPECIAL_PROCEDURES.filter((kind) => accepted({ type: 'special-procedure.start', actor, caseId, kind, notice: TYPED }));
  if (starts.length > 0) moves.push({ type: 'special-procedure.start', kinds: starts });
  const ends = SPECIAL_PROCEDURES.filter((kind) => accepted({ type: 'special-procedure.end', actor, caseId, kind }));
  if (ends.length > 0) moves.push({ type: 'special-procedure.end', kinds: ends });
  if (accepted({ type: 'supplement.submit', actor, caseId, materials: [MATERIAL] })) moves.push({ type: 'supplement.submit' });
  if (accepted({ type: 'case.withdraw', actor, caseId, reason: TYPED })) moves.push({ type: 'case.withdraw' });
  if (accepted({ type: 'case.suspend', actor, caseId, reason: TYPED, legalBasis: TYPED })) moves.push({ type: 'case.suspend' });
  if (accepted({ type: 'case.resume', actor, caseId, reason: TYPED })) moves.push({ type: 'case.resume' });
  if (accepted({ type: 'case.terminate', actor, caseId, reason: TYPED, legalBasis: TYPED })) moves.push({ type: 'case.terminate' });
  if (accepted({ type: 'case.copy', actor, caseId, recipients: [ELSEWHERE_FOR(actor)], note: TYPED })) moves.push({ type: 'case.copy' });
  if (accepted({ type: 'case.comment', actor, caseId, text: TYPED, visibility: 'internal' })) moves.push({ type: 'case.comment' });
  for (const copy of at.unreadCopies ?? []) {
    if (wouldChange({ ...at, task: null, timer: null, timersDueWith: [], pendingTimers: [], copy }, { type: 'copy.read', actor, copyId: copy.id }, env)) moves.push({ type: 'copy.read', copyId: copy.id });
  }
  return moves;
}

/**
 * The returns the actor may choose for the open task now (`GET /api/tasks/{id}/return-targets`): each target the
 * definition declares for it that the engine would accept, the default first. None when the task cannot be
 * returned now, or its return is fixed (a definition declaring no targets for it).
 */
export function returnTargetsOf(actor: Actor, at: CaseAtRest, task: TaskRecord, env: DecisionEnv): ReturnTarget[] {
  return (declaredReturns(env.definition).get(task.key) ?? []).flatMap(({ to, title }) => {
    const kind = returnKind(actor, at, task, env, to);
    return kind === null ? [] : [{ to, title, asksSupplement: kind === 'supplement' }];
  });
}

/**
 * How the engine would take a return of the task to `to` (its default target without): as it is, only with a supplement
 * request (a return to the applicant, 补正: tried with the first material a request may name now), or not at all.
 */
function returnKind(actor: Actor, at: CaseAtRest, task: TaskRecord, env: DecisionEnv, to: string | undefined): 'plain' | 'supplement' | null {
  const locked = { ...at, task, timer: null, timersDueWith: [], pendingTimers: [] };
  const command = { type: 'task.complete', actor, taskId: task.id, outcome: 'return', opinion: { text: TYPED, visibility: 'internal' }, ...(to === undefined ? {} : { returnTo: to }) } as const;
  if (wouldChange(locked, command, env)) return 'plain';
  const askable = at.caseFile && env.serviceItem ? supplementChoices(env.serviceItem, at.caseFile).find((c) => c.askable) : undefined;
  return askable && wouldChange(locked, { ...command, supplementRequest: { materials: [{ name: askable.name, reason: TYPED }] } }, env) ? 'supplement' : null;
}

/** Whether the engine would accept the command and write something (a repeated claim changes nothing: no move). */
function wouldChange(locked: LockedCase, command: CaseCommand, env: DecisionEnv): boolean {
  try {
    return decideCommand(locked, command, env).commit !== null;
  } catch (error) {
    if (error instanceof EngineError) return false;
    throw error;
  }
}
