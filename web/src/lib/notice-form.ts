/**
 * The 督办 forms checked before sending, with the API's own limits (`api/routes/supervision-notices.ts`): the
 * supervisor's notice (a message and the working days to answer in) and the department's answer. Each check
 * names what is wrong, for the page to say it in the reader's language. No DOM, no Vue: unit-tested.
 */

export const NOTICE_LIMITS = {
  message: 2000,
  response: 4000,
  /** Working days, as every working-day limit the engine counts (`WORKING_DAYS_LIMITS`). */
  workingDays: { min: 1, max: 3650 },
} as const;

export type TextProblem = 'required' | 'tooLong';
export type DaysProblem = 'required' | 'wholeNumber' | 'range';

/** What is wrong with a text that must say something, in at most `max` characters (null: nothing). */
export function textProblem(text: string, max: number): TextProblem | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'required';
  return trimmed.length > max ? 'tooLong' : null;
}

/** What is wrong with the working days to answer in (null: nothing). */
export function workingDaysProblem(days: number | null | undefined): DaysProblem | null {
  if (days === null || days === undefined || Number.isNaN(days)) return 'required';
  if (!Number.isInteger(days)) return 'wholeNumber';
  return days < NOTICE_LIMITS.workingDays.min || days > NOTICE_LIMITS.workingDays.max ? 'range' : null;
}

/** A notice as the API takes it, trimmed; the step's task id when the notice names a step. */
export function noticeBody(form: { message: string; responseWorkingDays: number }, taskId: string | null) {
  return { message: form.message.trim(), responseWorkingDays: form.responseWorkingDays, ...(taskId ? { taskId } : {}) };
}
