import { tally, type Countersign, type Signer } from './countersign.js';

/**
 * Changes of a countersign step's signers while it runs: a signer adds one (加签), the lead removes a pending
 * one (减签). Both are decided on the step as the case keeps it, so the machine's guard and the operation that
 * explains a refusal read the same rules (`signerChangeRefusal`).
 */

export const SIGNER_POSITIONS = ['alongside', 'after', 'before'] as const;
/**
 * Where an added signer goes, relative to the signer adding them: `alongside` signs at once (in order: placed
 * right after me, out of turn); `after` signs after me (in order: right after me; otherwise as `alongside`);
 * `before` signs before me (in order only: my task closes and reopens once they approved). Outside `sequential`
 * mode every signer signs at once, so nobody can sign before another: `before` is refused there.
 */
export type SignerPosition = (typeof SIGNER_POSITIONS)[number];

/** A signer added by `by` (the task key of the signer adding them): a department, or a person of it. */
export interface SignerAddition {
  readonly department: string;
  readonly person?: string | undefined;
  readonly position: SignerPosition;
  readonly by: string;
}

/** One change of the step `step`'s signers, with its reason: an addition, or the removal of the signer of task `remove`. */
export interface SignerChange {
  readonly step: string;
  readonly reason: string;
  readonly add?: SignerAddition | undefined;
  readonly remove?: string | undefined;
}

/** The task key an added signer gets, as a declared one would (`<step>.<person or department>`). */
export const addedSignerTask = (step: string, add: Pick<SignerAddition, 'department' | 'person'>): string => `${step}.${add.person ?? add.department}`;

/** Why the change cannot be made to the step now, or null when it can. */
export function signerChangeRefusal(step: Countersign | undefined, change: SignerChange): string | null {
  if (!step) return `there is no countersign step ${change.step}`;
  if (step.outcome !== null) return `the step ${change.step} is decided (${step.outcome})`;
  if ((change.add === undefined) === (change.remove === undefined)) return 'a change adds one signer or removes one';
  if (change.add) {
    const { add } = change;
    if (!step.signers.some((s) => s.task === add.by && s.vote === null && s.open)) return 'only a signer whose task in the step is open adds a signer';
    if (add.position === 'before' && step.mode !== 'sequential') return `in a ${step.mode} step every signer signs at once: nobody signs before another (only in sequential mode)`;
    const task = addedSignerTask(change.step, add);
    if (step.signers.some((s) => s.task === task)) return `${add.person ?? add.department} signs in this step already`;
    return null;
  }
  const removed = step.signers.find((s) => s.task === change.remove);
  if (!removed) return `${change.remove ?? ''} is not a signer of the step`;
  if (removed.vote !== null) return `${removed.task} has voted already`;
  if (step.signers.length === 1) return 'a step cannot lose its last signer';
  return null;
}

/**
 * The step after a legal change (see `signerChangeRefusal`), tallied again; the tasks to cancel, and the added
 * signer when their task opens with the change (marked open). The tasks of signers whose turn comes with the
 * change (the next in order once the current one is removed) are `opening`'s to open.
 */
export function withSignersChanged(step: Countersign, change: SignerChange): { readonly step: Countersign; readonly cancel: readonly string[]; readonly open: readonly Signer[] } {
  const { add } = change;
  if (add) {
    const sequential = step.mode === 'sequential';
    const added: Signer = {
      task: addedSignerTask(change.step, add),
      department: add.department,
      person: add.person ?? null,
      weight: 1,
      vote: null,
      reason: null,
      // In order, one added after me waits for my vote; every other addition signs at once.
      open: !(sequential && add.position === 'after'),
    };
    const mine = step.signers.findIndex((s) => s.task === add.by);
    const before = sequential && add.position === 'before';
    const at = !sequential ? step.signers.length : before ? mine : mine + 1;
    // Signing before me: my task closes, and reopens when my turn comes again (`signersToOpen`).
    const signers = step.signers.map((s) => (before && s.task === add.by ? { ...s, open: false } : s));
    return retallied(step, [...signers.slice(0, at), added, ...signers.slice(at)], before ? [add.by] : [], added.open ? [added] : []);
  }
  const removed = step.signers.filter((s) => s.task === change.remove);
  return retallied(
    step,
    step.signers.filter((s) => s.task !== change.remove),
    removed.filter((s) => s.open).map((s) => s.task),
    [],
  );
}

function retallied(step: Countersign, signers: readonly Signer[], cancel: readonly string[], open: readonly Signer[]) {
  const next = { ...step, signers };
  return { step: { ...next, outcome: tally(next) }, cancel, open };
}
