import type { Ladder } from '../time/ladder.js';
import type { TaskKind } from './task-kind.js';

/**
 * A countersign step (会签 / 或签 / 依次 / 票签): one step signed by several signers — departments, or people
 * named by their user id — each with a task, an opinion and a clock of their own. The definition declares the
 * signers and the mode; the case's context keeps each signer's vote and the step's outcome, so the outcome is
 * computed from data (`tally`) by the machine itself and stored with the case.
 */

export const COUNTERSIGN_MODES = ['all', 'any', 'sequential', 'vote'] as const;
/**
 * `all` (会签): every signer must approve; `any` (或签): the first signer to decide decides, the others' tasks are
 * cancelled; `sequential` (依次): one after another in the declared order, a rejection ends it; `vote` (票签):
 * approved when the approving weight reaches the threshold, rejected as soon as it no longer can.
 */
export type CountersignMode = (typeof COUNTERSIGN_MODES)[number];

/** What a rejection does to an `all` step: end it at once, or let every signer finish so every reason is heard. */
export const REJECTION_POLICIES = ['end', 'finish'] as const;
export type RejectionPolicy = (typeof REJECTION_POLICIES)[number];

/** The share of the signers' total weight that must approve, e.g. two thirds: `{ numerator: 2, denominator: 3 }`. */
export interface Threshold {
  readonly numerator: number;
  readonly denominator: number;
}

/** A signer as the definition names one: a department, or a person (who works for that department). */
export interface SignerDeclaration {
  readonly department: string;
  /** The user id of the person who signs; without it, anyone of the department who may handle the task. */
  readonly person?: string | undefined;
  /** The signer's weight in a vote (票签); 1 when not given. */
  readonly weight?: number | undefined;
}

export interface OpenCountersignParams {
  /** The step's name: its key in the context, and the prefix of its signers' task keys (`<step>.<signer>`). */
  readonly step: string;
  readonly mode: CountersignMode;
  readonly kind: TaskKind;
  readonly title: string;
  /** Each signer's working-day budget (their task's clock). */
  readonly workingDays: number;
  /** The declared signers, or the departments that rejected any of the named tasks (a dispute's dissenters). */
  readonly signers: readonly SignerDeclaration[] | { readonly dissentersOf: readonly string[] };
  /** `vote` only. */
  readonly threshold?: Threshold | undefined;
  /** `all` only; `end` when not given. */
  readonly onRejection?: RejectionPolicy | undefined;
  readonly ladder?: Ladder | undefined;
  /** `false`: the signers sign in person; none of their tasks opens for, or is taken over by, a substitute (代理). */
  readonly substitutable?: false | undefined;
}

export type SignerVote = 'approve' | 'reject';

/** A signer as the case keeps them: who, with what weight, and how they voted (null: not yet, or cancelled). */
export interface Signer {
  /** The signer's task key, `<step>.<person or department>`. */
  readonly task: string;
  readonly department: string;
  readonly person: string | null;
  readonly weight: number;
  readonly vote: SignerVote | null;
  /** The reasons of a dissent (a rejection's opinion). */
  readonly reason: string | null;
  /**
   * Whether the signer's task is open now. Kept because in order (依次) a signer added alongside (加签) signs at
   * once, out of turn: who opens next cannot be told from the votes alone.
   */
  readonly open: boolean;
}

export type CountersignOutcome = 'approved' | 'rejected';

/** A countersign step as the case keeps it (`context.countersigns[step]`). */
export interface Countersign {
  readonly mode: CountersignMode;
  /** What each signer's task is: a later signer's (in order) opens with these. */
  readonly kind: TaskKind;
  readonly title: string;
  readonly workingDays: number;
  readonly ladder: Ladder | null;
  readonly threshold: Threshold | null;
  readonly onRejection: RejectionPolicy;
  readonly signers: readonly Signer[];
  /** `false` as declared (`OpenCountersignParams.substitutable`): kept so that a signer opening later signs in person too. */
  readonly substitutable?: false | undefined;
  /** Set once, when the outcome can no longer change. */
  readonly outcome: CountersignOutcome | null;
}

/** The signers of a step as it opens, from its declaration and, for dissenters, the outcomes recorded so far. */
export function resolveSigners(p: OpenCountersignParams, outcomes: Readonly<Record<string, { readonly outcome: string; readonly department: string }>>): Signer[] {
  const declared: readonly SignerDeclaration[] =
    'dissentersOf' in p.signers
      ? p.signers.dissentersOf.flatMap((task) => (outcomes[task]?.outcome === 'reject' ? [{ department: outcomes[task].department }] : []))
      : p.signers;
  return declared.map((s) => ({
    task: `${p.step}.${s.person ?? s.department}`,
    department: s.department,
    person: s.person ?? null,
    weight: s.weight ?? 1,
    vote: null,
    reason: null,
    open: false,
  }));
}

/** A new step: nobody has signed yet; a step without signers has nothing to wait for and is approved. */
export function openedCountersign(p: OpenCountersignParams, signers: readonly Signer[]): Countersign {
  const step: Countersign = {
    mode: p.mode,
    kind: p.kind,
    title: p.title,
    workingDays: p.workingDays,
    ladder: p.ladder ?? null,
    threshold: p.threshold ?? null,
    onRejection: p.onRejection ?? 'end',
    signers,
    ...(p.substitutable === false ? { substitutable: false } : {}),
    outcome: null,
  };
  return { ...step, outcome: tally(step) };
}

/** The step after `task`'s signer voted; its outcome is set as soon as it can no longer change. */
export function withVote(step: Countersign, task: string, vote: SignerVote, reason: string | null): Countersign {
  const signers = step.signers.map((s) => (s.task === task ? { ...s, vote, reason, open: false } : s));
  const next = { ...step, signers };
  return { ...next, outcome: step.outcome ?? tally(next) };
}

/**
 * The outcome once it is certain, else null.
 *
 * @example
 * // five experts, two thirds to approve: three approvals of five are not enough (3/5 < 2/3); four are.
 * tally({ mode: 'vote', threshold: { numerator: 2, denominator: 3 }, signers: fiveWithThreeApprovals, … }); // null
 */
export function tally(step: Pick<Countersign, 'mode' | 'threshold' | 'onRejection' | 'signers'>): CountersignOutcome | null {
  const votes = step.signers.map((s) => s.vote);
  const rejected = votes.includes('reject');
  const allVoted = votes.every((v) => v !== null);
  switch (step.mode) {
    case 'any': {
      // The first to decide decides: the others' tasks are cancelled when it does.
      const first = votes.find((v) => v !== null);
      if (first) return first === 'approve' ? 'approved' : 'rejected';
      return step.signers.length === 0 ? 'approved' : null;
    }
    case 'sequential':
      return rejected ? 'rejected' : allVoted ? 'approved' : null;
    case 'all':
      if (rejected && step.onRejection === 'end') return 'rejected';
      return allVoted ? (rejected ? 'rejected' : 'approved') : null;
    case 'vote': {
      const { numerator, denominator } = step.threshold ?? { numerator: 1, denominator: 2 };
      const weight = (vote: SignerVote | null) => step.signers.filter((s) => s.vote === vote).reduce((sum, s) => sum + s.weight, 0);
      const total = step.signers.reduce((sum, s) => sum + s.weight, 0);
      const needed = numerator * total;
      // Integer arithmetic: approving weight / total >= numerator / denominator.
      if (weight('approve') * denominator >= needed) return 'approved';
      if ((total - weight('reject')) * denominator < needed) return 'rejected';
      return null;
    }
  }
}

/**
 * The signers whose tasks open next: every undecided one at once, or in `sequential` mode the first undecided;
 * never one whose task is open already (a signer added alongside in order signs out of turn).
 */
export function signersToOpen(step: Countersign): readonly Signer[] {
  if (step.outcome !== null) return [];
  const waiting = step.signers.filter((s) => s.vote === null);
  return (step.mode === 'sequential' ? waiting.slice(0, 1) : waiting).filter((s) => !s.open);
}

/** The step with the tasks of `signersToOpen` marked open, and those signers: the tasks to open. */
export function opening(step: Countersign): { readonly step: Countersign; readonly opened: readonly Signer[] } {
  const opened = signersToOpen(step);
  const tasks = new Set(opened.map((s) => s.task));
  return { step: { ...step, signers: step.signers.map((s) => (tasks.has(s.task) ? { ...s, open: true } : s)) }, opened };
}
