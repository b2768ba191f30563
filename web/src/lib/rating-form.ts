/**
 * The applicant's rating (好差评) checked before sending, by the API's rules (`engine/case-rating.ts`): a score from 1
 * to 5, a comment of at most 1,000 characters, required when the rating is bad (2 or less: it opens a fix task). The
 * same limit holds for the lead department's answer. No DOM, no Vue: unit-tested.
 */

export const RATING_TEXT_MAX = 1000;
/** A score at or under this is a bad rating (不满意, 非常不满意): it needs a reason, and the lead department answers. */
export const BAD_RATING_MAX = 2;

export type CommentProblem = 'required' | 'tooLong';

export const isBadRating = (score: number): boolean => score >= 1 && score <= BAD_RATING_MAX;

/** What is wrong with the comment of a rating of `score` (null: nothing). */
export function commentProblem(score: number, comment: string): CommentProblem | null {
  const trimmed = comment.trim();
  if (trimmed.length > RATING_TEXT_MAX) return 'tooLong';
  return isBadRating(score) && trimmed === '' ? 'required' : null;
}

/** Whether a score was chosen: Element Plus's rate gives 0 until one is. */
export const scoreChosen = (score: number): boolean => Number.isInteger(score) && score >= 1 && score <= 5;
