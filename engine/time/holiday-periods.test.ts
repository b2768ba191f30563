import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { explainDueDate } from './due-date-explanation.js';
import { holidayPeriods } from './holiday-periods.js';
import { epochDay } from './local-date.js';

/** The holiday periods the explainer names for a count of `workingDays` from a Beijing local time. */
const periods = (start: string, workingDays: number) => explainDueDate(cn, beijing(start), workingDays, DEFAULT_COUNTING_RULE).holidays;
const range = (from: string, days: number) => Array.from({ length: days }, (_, i) => new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10));

describe('holiday periods: the skipped holidays grouped and named', () => {
  it('names the 2026 National Day week, its weekend dates included, from the law’s days 1–3 October', () => {
    expect(periods('2026-09-30T10:00', 3)).toEqual([{ holidays: ['national-day'], dates: range('2026-10-01', 7), estimated: false }]);
  });

  it('names a period the count only sees the end of: the law’s days lie before the start', () => {
    expect(periods('2026-10-05T10:00', 2)).toEqual([{ holidays: ['national-day'], dates: range('2026-10-05', 3), estimated: false }]);
  });

  it('keeps two holidays apart when working days lie between them (Mid-Autumn, then National Day, 2026)', () => {
    expect(periods('2026-09-21T10:00', 12)).toEqual([
      { holidays: ['mid-autumn'], dates: range('2026-09-25', 3), estimated: false },
      { holidays: ['national-day'], dates: range('2026-10-01', 7), estimated: false },
    ]);
  });

  it('names the nine days of the 2026 Spring Festival as one period', () => {
    expect(periods('2026-02-13T18:00', 7)).toEqual([{ holidays: ['spring-festival'], dates: range('2026-02-15', 9), estimated: false }]);
  });

  it('marks the statutory estimate past the horizon: New Year’s Day 2027', () => {
    expect(periods('2026-12-15T10:00', 20)).toEqual([{ holidays: ['new-year'], dates: ['2027-01-01'], estimated: true }]);
  });

  it('names both holidays of one run when they meet (Mid-Autumn falls on 3 October 2028), in date order', () => {
    expect(periods('2028-09-28T10:00', 5)).toEqual([{ holidays: ['national-day', 'mid-autumn'], dates: range('2028-10-01', 5), estimated: true }]);
  });

  it('leaves a period unnamed where no statutory days are computed (before the 2024 revision took effect)', () => {
    expect(periods('2024-09-30T10:00', 3)).toEqual([{ holidays: [], dates: range('2024-10-01', 7), estimated: false }]);
  });

  it('has no period for a count over weekends only, nor for no days at all', () => {
    expect(periods('2026-11-27T10:00', 3)).toEqual([]);
    expect(holidayPeriods(cn, [])).toEqual([]);
  });

  it('groups the days it is given by the days off between them', () => {
    const days = ['2026-05-01', '2026-05-05', '2026-06-19'].map(epochDay);
    expect(holidayPeriods(cn, days).map((p) => [p.holidays, p.dates])).toEqual([
      [['labour-day'], ['2026-05-01', '2026-05-05']],
      [['dragon-boat'], ['2026-06-19']],
    ]);
  });
});
