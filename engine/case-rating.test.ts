import { describe, expect, it } from 'vitest';
import { FIX_TASK_OPENED, FIX_WORKING_DAYS, fixAnswer, fixTaskColour, fixTaskOpened, rateCase, type RatedCase } from './case-rating.js';
import { InvalidCommandError, RatingNotAllowedError } from './errors.js';
import { departmentCode } from './ids.js';
import { chinaCalendar } from './time/china-calendar.js';
import { DEFAULT_COUNTING_RULE } from './time/counting-rule.js';
import { WorkingCalendar } from './time/working-calendar.js';

const cn = new WorkingCalendar(chinaCalendar(2024, 2026));
const ended: RatedCase = { number: '2026-000001', status: 'approved', leadDepartment: departmentCode('housing'), countingRule: DEFAULT_COUNTING_RULE, rated: false };
/** Monday 28 September 2026, 10:00 in Beijing: National Day (1–7 October) and its make-up Saturday (10 October) ahead. */
const BEFORE_NATIONAL_DAY = new Date('2026-09-28T10:00:00+08:00');

describe('好差评: rating a case', () => {
  it('a bad rating opens the lead department’s fix task, 15 working days on the case’s calendar (holidays and make-up days counted)', () => {
    const rating = rateCase(ended, { score: 2, comment: ' 等了太久 ' }, cn, BEFORE_NATIONAL_DAY);
    expect(rating.comment).toBe('等了太久');
    expect(rating.fix?.department).toBe('housing');
    expect(rating.fix?.derivation).toMatchObject({ workingDays: FIX_WORKING_DAYS, receivedOn: '2026-09-28', dueDate: '2026-10-23', provisional: false, calendarCode: 'cn' });
    // The end of 23 October in Beijing (without the week off it would be 19 October).
    expect(rating.fix?.dueAt.toISOString()).toBe('2026-10-23T16:00:00.000Z');
  });

  it('the fix task opens with a notice to the lead department: the score, what the applicant said, when the answer is due', () => {
    const caseId = '00000000-0000-4000-8000-000000000001';
    expect(fixTaskOpened(caseId, rateCase(ended, { score: 1, comment: '等了太久' }, cn, BEFORE_NATIONAL_DAY))).toEqual({
      id: expect.any(String),
      caseId,
      audience: { departmentCode: 'housing' },
      template: FIX_TASK_OPENED,
      data: { score: 1, message: '等了太久', dueAt: '2026-10-23T16:00:00.000Z' },
    });
    expect(fixTaskOpened(caseId, rateCase(ended, { score: 3, comment: '' }, cn, BEFORE_NATIONAL_DAY))).toBeNull();
  });

  it('a good or middling rating opens none, and may come without a comment', () => {
    expect(rateCase(ended, { score: 3, comment: '' }, cn, BEFORE_NATIONAL_DAY).fix).toBeNull();
    expect(rateCase(ended, { score: 5, comment: '' }, cn, BEFORE_NATIONAL_DAY)).toMatchObject({ score: 5, comment: '', fix: null });
  });

  it('takes a case once, after it ended: every closed status, no open one', () => {
    for (const status of ['approved', 'refused', 'withdrawn', 'terminated'] as const) expect(() => rateCase({ ...ended, status }, { score: 4, comment: '' }, cn, BEFORE_NATIONAL_DAY)).not.toThrow();
    for (const status of ['running', 'suspended'] as const) {
      expect(() => rateCase({ ...ended, status }, { score: 4, comment: '' }, cn, BEFORE_NATIONAL_DAY)).toThrow(RatingNotAllowedError);
    }
    expect(() => rateCase({ ...ended, rated: true }, { score: 4, comment: '' }, cn, BEFORE_NATIONAL_DAY)).toThrow(/rated once/);
  });

  it('refuses a score outside 1–5, a bad rating without a reason, and a comment over 1,000 characters', () => {
    for (const score of [0, 6, 2.5, Number.NaN]) expect(() => rateCase(ended, { score, comment: 'x' }, cn, BEFORE_NATIONAL_DAY)).toThrow(InvalidCommandError);
    expect(() => rateCase(ended, { score: 1, comment: '  ' }, cn, BEFORE_NATIONAL_DAY)).toThrow(/says why/);
    expect(() => rateCase(ended, { score: 4, comment: 'x'.repeat(1001) }, cn, BEFORE_NATIONAL_DAY)).toThrow(/at most 1000/);
  });

  it('a fix task’s light: green, yellow in its last 3 working days, red once due; none once answered', () => {
    // Due at the end of Friday 23 October (Beijing): Wednesday 21 is its third-last working day.
    const dueAt = new Date('2026-10-23T16:00:00Z');
    const light = (now: string, answeredAt: Date | null = null) => fixTaskColour({ dueAt, answeredAt }, cn, new Date(now));
    expect([light('2026-10-20T10:00:00+08:00'), light('2026-10-21T09:00:00+08:00'), light('2026-10-23T23:59:00+08:00')]).toEqual(['green', 'yellow', 'yellow']);
    expect([light('2026-10-24T00:00:00+08:00'), light('2026-11-01T00:00:00Z', dueAt)]).toEqual(['red', null]);
  });

  it('a fix task’s light counts working days: a holiday before the due date gives no more time', () => {
    // Due at the end of Friday 9 October: on Wednesday 30 September only 8 and 9 October are left (1–7 off) — yellow,
    // though nine calendar days are; on Friday 25 September, 28, 29, 30 September, 8 and 9 October — green.
    const dueAt = new Date('2026-10-09T16:00:00Z');
    const light = (now: string) => fixTaskColour({ dueAt, answeredAt: null }, cn, new Date(now));
    expect([light('2026-09-25T10:00:00+08:00'), light('2026-09-29T10:00:00+08:00'), light('2026-09-30T10:00:00+08:00')]).toEqual(['green', 'green', 'yellow']);
  });

  it('an answer says something, within 1,000 characters', () => {
    expect(fixAnswer(' 已约谈承办人 ')).toBe('已约谈承办人');
    expect(() => fixAnswer(' ')).toThrow(InvalidCommandError);
    expect(() => fixAnswer('x'.repeat(1001))).toThrow(InvalidCommandError);
  });
});
