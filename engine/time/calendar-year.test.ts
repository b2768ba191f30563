import { describe, expect, it } from 'vitest';
import { calendarFromYears, validateCalendarYear, type CalendarYear } from './calendar-year.js';
import { CHINA_CALENDAR_BASE, chineseDaysYears } from './china-calendar.js';
import { statutoryHolidays } from './statutory-holidays.js';
import { WorkingCalendar } from './working-calendar.js';

/** A plausible arrangement for 2027: the statutory days and their substitutes, no make-up day. */
const year2027: CalendarYear = {
  year: 2027,
  holidays: statutoryHolidays(2027).map((d) => d.date),
  makeUpWorkdays: [],
  source: 'test notice for 2027',
};
const packageYears = chineseDaysYears(2024, 2026);
const paths = (problems: readonly { path: string }[]) => problems.map((p) => p.path);

describe('validateCalendarYear', () => {
  it("accepts every year of chinese-days' data after the ones before it", () => {
    const all = chineseDaysYears();
    all.forEach((year, i) => expect(validateCalendarYear(year, all.slice(0, i)), String(year.year)).toEqual([]));
  });

  it('accepts the next year after the existing ones, weekend days inside a holiday included', () => {
    expect(validateCalendarYear(year2027, packageYears)).toEqual([]);
  });

  it('refuses dates that are malformed, not real, outside the year or listed twice', () => {
    const problems = validateCalendarYear({ ...year2027, holidays: [...year2027.holidays, '2027-2-01', '2027-02-30', '2028-01-03', '2027-10-01'] });
    expect(problems.map((p) => [p.path, p.problem])).toEqual([
      ['holidays[19]', '"2027-2-01" is not a date written YYYY-MM-DD'],
      ['holidays[20]', '"2027-02-30" is not a date written YYYY-MM-DD'],
      ['holidays[21]', '2028-01-03 is not in 2027'],
      ['holidays[22]', '2027-10-01 is listed twice'],
    ]);
  });

  it('refuses a make-up day on a weekday, or one that is also a holiday', () => {
    const problems = validateCalendarYear({ ...year2027, makeUpWorkdays: ['2027-01-04', '2027-02-06', '2027-02-20'] });
    expect(problems.map((p) => [p.path, p.problem])).toEqual([
      ['makeUpWorkdays[0]', '2027-01-04 is a working Monday: only a day off can be made a working day'],
      ['makeUpWorkdays[1]', '2027-02-06 is also listed as a holiday: a day is either off or working'],
    ]);
    // Another weekend (a calendar working on Saturdays) moves what a make-up day can be.
    expect(paths(validateCalendarYear({ ...year2027, makeUpWorkdays: ['2027-02-20'] }, [], { weekendDays: [0] }))).toEqual(['makeUpWorkdays[0]']);
  });

  it('refuses an arrangement that leaves a statutory holiday a working day', () => {
    const problems = validateCalendarYear({ ...year2027, holidays: year2027.holidays.filter((d) => d !== '2027-10-01') });
    expect(problems).toEqual([{ path: 'holidays', problem: '2027-10-01 (national-day) is a statutory holiday (全国年节及纪念日放假办法 art. 2) but is not a day off here' }]);
    const worked = validateCalendarYear({ ...year2027, holidays: year2027.holidays.filter((d) => d !== '2027-05-01'), makeUpWorkdays: ['2027-05-01'] });
    expect(worked.map((p) => p.problem)).toEqual([expect.stringContaining('2027-05-01 (labour-day) is a statutory holiday')]);
  });

  it('refuses a year already final unless told to replace it', () => {
    const again = { ...packageYears[2], source: 'notice re-typed' } as CalendarYear;
    expect(validateCalendarYear(again, packageYears)).toEqual([{ path: 'year', problem: '2026 is already final (from chinese-days 1.5.7); import it with replace to replace it' }]);
    expect(validateCalendarYear(again, packageYears, { replace: true })).toEqual([]);
  });

  it('refuses a year that would leave a gap after or before the existing run', () => {
    expect(validateCalendarYear({ ...year2027, year: 2028, holidays: statutoryHolidays(2028).map((d) => d.date) }, packageYears)).toEqual([
      { path: 'year', problem: "the calendar's data covers 2024–2026: import 2027 first" },
    ]);
    expect(paths(validateCalendarYear({ year: 2022, holidays: [], makeUpWorkdays: [], source: 'x' }, packageYears))).toEqual(['year']);
  });

  describe("a region's year on its parent (the national calendar)", () => {
    const national = new WorkingCalendar(calendarFromYears(CHINA_CALENDAR_BASE, packageYears));
    const regional = (own: Partial<CalendarYear>): CalendarYear => ({ year: 2026, holidays: [], makeUpWorkdays: [], source: 'regional notice', ...own });

    it("lists only its own days: the parent's holidays and make-up days count without being repeated", () => {
      expect(validateCalendarYear(regional({ holidays: ['2026-03-03'] }), [], { parent: national })).toEqual([]);
      // Without the parent the same year misses every statutory day.
      expect(validateCalendarYear(regional({ holidays: ['2026-03-03'] })).filter((p) => p.path === 'holidays').length).toBeGreaterThan(0);
    });

    it("may make a day the parent has off a working day, but not a statutory holiday, nor a day the parent works", () => {
      expect(validateCalendarYear(regional({ makeUpWorkdays: ['2026-10-04'] }), [], { parent: national })).toEqual([]); // a Sunday of the Golden Week
      expect(validateCalendarYear(regional({ makeUpWorkdays: ['2026-10-01'] }), [], { parent: national })).toEqual([
        { path: 'holidays', problem: '2026-10-01 (national-day) is a statutory holiday (全国年节及纪念日放假办法 art. 2) but is not a day off here' },
      ]);
      expect(validateCalendarYear(regional({ makeUpWorkdays: ['2026-10-10'] }), [], { parent: national })).toEqual([
        { path: 'makeUpWorkdays[0]', problem: '2026-10-10 is a working Saturday on calendar cn: only a day off can be made a working day' },
      ]);
    });

    it("counts the parent's statutory estimate past its horizon", () => {
      expect(validateCalendarYear(regional({ year: 2027, holidays: ['2027-03-03'] }), [], { parent: national })).toEqual([]);
    });
  });

  it('refuses a year out of range and a missing source', () => {
    expect(paths(validateCalendarYear({ ...year2027, year: 2101 }))).toEqual(['year']);
    expect(paths(validateCalendarYear({ ...year2027, source: ' ' }))).toEqual(['source']);
  });
});

describe('calendarFromYears', () => {
  it('merges the years and ends the horizon with the last one', () => {
    const data = calendarFromYears(CHINA_CALENDAR_BASE, [...packageYears, year2027]);
    expect([data.since, data.horizon, data.source]).toEqual(['2024-01-01', '2027-12-31', 'chinese-days 1.5.7; test notice for 2027']);
    expect(data.holidays).toContain('2027-10-05');
    expect(data.makeUpWorkdays).toContain('2026-10-10');
  });

  it('stops the horizon at the first gap and leaves the years after it out', () => {
    const data = calendarFromYears(CHINA_CALENDAR_BASE, [packageYears[0], packageYears[2]] as CalendarYear[]);
    expect([data.since, data.horizon]).toEqual(['2024-01-01', '2024-12-31']);
    expect(data.holidays.some((d) => d.startsWith('2026'))).toBe(false);
  });

  it('lets a later listing of a year replace an earlier one', () => {
    const replaced = { year: 2026, holidays: ['2026-01-01'], makeUpWorkdays: [], source: 'replacement' };
    const data = calendarFromYears(CHINA_CALENDAR_BASE, [...packageYears, replaced]);
    expect(data.holidays.filter((d) => d.startsWith('2026'))).toEqual(['2026-01-01']);
    expect(data.version).not.toBe(calendarFromYears(CHINA_CALENDAR_BASE, packageYears).version);
  });

  it('needs a year', () => {
    expect(() => calendarFromYears(CHINA_CALENDAR_BASE, [])).toThrow(RangeError);
  });
});
