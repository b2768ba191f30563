import { describe, expect, it } from 'vitest';
import { WORKING_DAYS_LIMITS } from '../../../engine/time/deadline.js';
import { NOTICE_LIMITS, noticeBody, textProblem, workingDaysProblem } from '../../../web/src/lib/notice-form.js';

describe('the 督办 forms, checked before sending', () => {
  it('wants a message, within the limit, trimmed', () => {
    expect(textProblem('   ', NOTICE_LIMITS.message)).toBe('required');
    expect(textProblem('x'.repeat(NOTICE_LIMITS.message + 1), NOTICE_LIMITS.message)).toBe('tooLong');
    expect(textProblem(` ${'x'.repeat(NOTICE_LIMITS.message)} `, NOTICE_LIMITS.message)).toBeNull();
  });

  it('wants a whole number of working days from 1 to 3650, as the engine counts them', () => {
    expect(NOTICE_LIMITS.workingDays).toEqual(WORKING_DAYS_LIMITS);
    expect(workingDaysProblem(null)).toBe('required');
    expect(workingDaysProblem(Number.NaN)).toBe('required');
    expect(workingDaysProblem(1.5)).toBe('wholeNumber');
    expect(workingDaysProblem(0)).toBe('range');
    expect(workingDaysProblem(3651)).toBe('range');
    expect(workingDaysProblem(3)).toBeNull();
  });

  it('sends the message trimmed, naming the step when there is one', () => {
    expect(noticeBody({ message: ' 请说明 ', responseWorkingDays: 3 }, 'task-1')).toEqual({ message: '请说明', responseWorkingDays: 3, taskId: 'task-1' });
    expect(noticeBody({ message: '请说明', responseWorkingDays: 3 }, null)).toEqual({ message: '请说明', responseWorkingDays: 3 });
  });
});
