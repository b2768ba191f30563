import { randomUUID } from 'node:crypto';
import type { NewNotification } from './case-effect.js';
import { isOpenCase, type CaseStatus } from './case-record.js';
import { InvalidCommandError, RatingNotAllowedError } from './errors.js';
import { caseId, type DepartmentCode } from './ids.js';
import type { CountingRule } from './time/counting-rule.js';
import { deadline, type DeadlineDerivation } from './time/deadline.js';
import type { WorkingCalendar } from './time/working-calendar.js';

/** 好差评's five grades: 1 非常不满意, 2 不满意, 3 基本满意, 4 满意, 5 非常满意. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
export type RatingScore = (typeof RATING_SCORES)[number];

/** A score at or under this is a bad rating (差评): 不满意 or 非常不满意, the two the national 好差评 system counts as 差评. */
export const BAD_RATING_MAX = 2;

/** The fix task's (整改) budget, in working days on the case's calendar. */
export const FIX_WORKING_DAYS = 15;

/** The longest comment and answer, in characters. */
export const MAX_RATING_TEXT = 1000;

/** What the rules need to know of the case rated. */
export interface RatedCase {
  readonly number: string;
  readonly status: CaseStatus;
  readonly leadDepartment: DepartmentCode;
  readonly countingRule: CountingRule;
  /** Whether the case has a rating already. */
  readonly rated: boolean;
}

/** The lead department's fix task (整改) a bad rating opens: due 15 working days after the rating, counted on the case's calendar. */
export interface FixTask {
  readonly department: DepartmentCode;
  readonly dueAt: Date;
  readonly derivation: DeadlineDerivation;
}

/** A rating as it is kept. */
export interface CaseRating {
  readonly score: RatingScore;
  readonly comment: string;
  readonly ratedAt: Date;
  readonly fix: FixTask | null;
}

/**
 * Decides a rating (好差评): a case is rated once (`rated`), after it ended (a closed status: approved, refused,
 * withdrawn, terminated); the score is a whole 1–5 and the comment at most 1,000 characters (it may be empty, as for
 * a good rating said with a tap; a bad one must say why). A bad rating (≤ `BAD_RATING_MAX`) opens the lead
 * department's fix task, due `FIX_WORKING_DAYS` working days from `now` by `deadline()` under the case's counting rule.
 *
 * @throws RatingNotAllowedError for a case still running or suspended, or rated already
 * @throws InvalidCommandError for a score outside 1–5 or a comment too long (or a bad rating without one)
 * @example
 * rateCase(closedCase, { score: 1, comment: '等太久' }, cn, now).fix?.derivation.dueDate; // 15 working days on
 */
export function rateCase(rated: RatedCase, input: { readonly score: number; readonly comment: string }, calendar: WorkingCalendar, now: Date): CaseRating {
  if (isOpenCase(rated.status)) throw new RatingNotAllowedError(rated.number, 'not-ended');
  if (rated.rated) throw new RatingNotAllowedError(rated.number, 'already-rated');
  const score = ratingScore(input.score);
  const comment = input.comment.trim();
  if (comment.length > MAX_RATING_TEXT) throw new InvalidCommandError(`comment must be at most ${MAX_RATING_TEXT} characters`, ['comment']);
  if (isBadRating(score) && comment === '') throw new InvalidCommandError('a bad rating (不满意) says why: comment is required', ['comment']);
  if (!isBadRating(score)) return { score, comment, ratedAt: now, fix: null };
  const { due, derivation } = deadline(calendar, now, FIX_WORKING_DAYS, rated.countingRule);
  return { score, comment, ratedAt: now, fix: { department: rated.leadDepartment, dueAt: due, derivation } };
}

export const isBadRating = (score: RatingScore): boolean => score <= BAD_RATING_MAX;

/** The template of the notice a fix task opens with. */
export const FIX_TASK_OPENED = 'rating.fix-opened';

/**
 * The notice a bad rating's fix task opens with, kept with the rating: to the lead department's inbox, whose handlers
 * and leads read fix tasks (and its lead answers), with the score, what the applicant said (`message`) and when the
 * answer is due (`dueAt`). None for a good rating.
 *
 * @example
 * fixTaskOpened(ratedCaseId, rateCase(closedCase, { score: 1, comment: '等太久' }, cn, now))?.audience; // { departmentCode: 'housing' }
 */
export function fixTaskOpened(ratedCaseId: string, rating: CaseRating): (NewNotification & { readonly audience: { readonly departmentCode: DepartmentCode } }) | null {
  if (!rating.fix) return null;
  return {
    id: randomUUID(),
    caseId: caseId(ratedCaseId),
    audience: { departmentCode: rating.fix.department },
    template: FIX_TASK_OPENED,
    data: { score: rating.score, message: rating.comment, dueAt: rating.fix.dueAt.toISOString() },
  };
}

/** A fix task turns yellow (at risk) in its last 3 working days: its due date and the two working days before. */
export const FIX_AT_RISK_WORKING_DAYS = 3;

/**
 * A fix task's light: red once due and unanswered, yellow in its last `FIX_AT_RISK_WORKING_DAYS` working days on
 * the case's calendar (a holiday before the due date gives no more time), else green; none once answered.
 *
 * @example
 * // due at the end of Friday 9 October 2026: on Wednesday 30 September only 8 and 9 October are left (1–7 off)
 * fixTaskColour({ dueAt, answeredAt: null }, cn, new Date('2026-09-30T10:00:00+08:00')); // 'yellow'
 */
export function fixTaskColour(fix: { readonly dueAt: Date; readonly answeredAt: Date | null }, calendar: WorkingCalendar, now: Date): 'green' | 'yellow' | 'red' | null {
  if (fix.answeredAt) return null;
  if (now >= fix.dueAt) return 'red';
  // The due instant is the local midnight that ends the due date; the day in progress counts as taken.
  const left = calendar.workingDaysBetween(calendar.localDay(now), calendar.localDay(new Date(fix.dueAt.getTime() - 1)));
  return left < FIX_AT_RISK_WORKING_DAYS ? 'yellow' : 'green';
}

/** The lead department's answer to a fix task: said, and at most 1,000 characters. */
export function fixAnswer(text: string): string {
  const answer = text.trim();
  if (answer === '') throw new InvalidCommandError('answer must say what was done', ['answer']);
  if (answer.length > MAX_RATING_TEXT) throw new InvalidCommandError(`answer must be at most ${MAX_RATING_TEXT} characters`, ['answer']);
  return answer;
}

function ratingScore(score: number): RatingScore {
  const found = RATING_SCORES.find((s) => s === score);
  if (found === undefined) throw new InvalidCommandError('score must be a whole number from 1 (非常不满意) to 5 (非常满意)', ['score']);
  return found;
}
