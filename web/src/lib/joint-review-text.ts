import type { components } from '../api/schema.js';
import type { Wording } from './wording.js';

export type JointReviews = components['schemas']['JointReviews'];
export type ReviewMember = JointReviews['reviews'][number]['members'][number];
export type CountersignStep = JointReviews['countersigns'][number];
export type Signer = CountersignStep['signers'][number];

/**
 * The words of a case's joint reviews and countersign steps (`GET /api/cases/{id}/joint-reviews`): why a member
 * department takes part or not, and where each signer stands (a step's mode in words is the diagram's `modeText`,
 * `diagram/diagram-labels.ts`). No DOM, no Vue: unit-tested in both languages.
 */

/**
 * Why a member department takes part in a joint review, or not: it is required; the lead department decided so,
 * with its reason (which overrides the application); or the application's answer to the question it follows.
 *
 * @example memberReason({ required: false, joins: true, whenAnswer: 'hasUndergroundSpace', answer: true, change: null, … }, en)
 * // 'the application answers “Has underground space?”: yes'
 */
export function memberReason(m: ReviewMember, w: Wording): string {
  if (m.required) return w.t('case.review.why.required');
  if (m.change) return w.t(m.change.joins ? 'case.review.why.added' : 'case.review.why.removed', { reason: m.change.reason });
  if (m.whenAnswer === null) return w.t('case.review.why.optional');
  const question = `case.review.question.${m.whenAnswer}`;
  return w.t('case.review.why.answer', { question: w.te(question) ? w.t(question) : m.whenAnswer, answer: answerText(m.answer, w) });
}

function answerText(answer: ReviewMember['answer'], w: Wording): string {
  if (answer === null || answer === '') return w.t('case.review.answer.none');
  if (typeof answer === 'boolean') return w.t(answer ? 'case.review.answer.yes' : 'case.review.answer.no');
  return String(answer);
}

/**
 * Where a signer stands: their vote; withheld from the reader until the joint decision (opinion rules); not yet
 * signed; cancelled (another's signature decided an or-sign 或签, or the case closed); or not needed (the step was
 * decided before their turn came). `taskStatus` is the status of the signer's latest task, null when none opened.
 */
export type SignerStanding = 'approve' | 'reject' | 'withheld' | 'pending' | 'cancelled' | 'notNeeded';

export function signerStanding(signer: Signer, step: Pick<CountersignStep, 'outcome'>, taskStatus: string | null): SignerStanding {
  if (signer.withheld) return 'withheld';
  if (signer.vote !== null) return signer.vote;
  if (taskStatus === 'cancelled') return 'cancelled';
  return step.outcome === null ? 'pending' : 'notNeeded';
}

/** A signer as people read one: a named person with their department, or a department; the weight of a heavier vote. */
export function signerName(signer: Signer, departmentName: (code: string) => string, w: Wording): string {
  const department = departmentName(signer.department);
  const who = signer.person === null ? department : w.t('case.review.person', { person: signer.person, department });
  return signer.weight === 1 ? who : w.t('case.review.weighted', { who, n: signer.weight });
}

/**
 * The status of each task key's current task: a withdrawn or returned task reopens under the same key, and at most
 * one task of a key is open at a time — that one, else the last opened.
 */
export function latestTaskStatus(tasks: readonly { key: string; status: string; openedAt: string }[]): (key: string) => string | null {
  const latest = new Map<string, { status: string; openedAt: string }>();
  const isOpen = (t: { status: string }) => t.status === 'open' || t.status === 'claimed';
  for (const t of tasks) {
    const seen = latest.get(t.key);
    if (!seen || (!isOpen(seen) && (isOpen(t) || seen.openedAt <= t.openedAt))) latest.set(t.key, t);
  }
  return (key) => latest.get(key)?.status ?? null;
}
