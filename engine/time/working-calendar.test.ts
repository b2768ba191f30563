import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { calendarData, type CalendarSpec } from './calendar-data.js';
import { chinaCalendar } from './china-calendar.js';
import { epochDay, isoDateOf } from './local-date.js';
import { WorkingCalendar } from './working-calendar.js';

/** The `n`-th working day after a local date, as a local date (undefined past what the calendar counts). */
const after = (date: string, n: number) => {
  const day = cn.workingDayAfter(epochDay(date), n);
  return day === undefined ? undefined : isoDateOf(day);
};

// How a budget is counted from a start (cut-off, day of receipt) is deadline()'s: deadline.test.ts.
describe('WorkingCalendar on the mainland China calendar', () => {
  it('knows weekends, holidays and make-up working days (调休)', () => {
    expect(cn.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(cn.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(cn.isWorkingDay('2026-11-29')).toBe(false); // Sunday
    expect(cn.isWorkingDay('2026-10-01')).toBe(false); // National Day, Thursday
    expect(cn.isWorkingDay('2026-10-10')).toBe(true); // make-up Saturday
    expect(cn.isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday before Spring Festival
    expect(cn.isWorkingDay('2026-02-16')).toBe(false); // Spring Festival, Monday
    expect(cn.isWorkingDay('2026-02-28')).toBe(true); // make-up Saturday after it
  });

  it('finds the n-th working day after a day, skipping weekends and holidays, counting make-up days', () => {
    expect(after('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(after('2026-11-27', 3)).toBe('2026-12-02');
    expect(after('2026-11-28', 1)).toBe('2026-11-30'); // from a Saturday
    expect(after('2026-09-30', 1)).toBe('2026-10-08'); // over National Day
    expect(after('2026-09-30', 3)).toBe('2026-10-10'); // the make-up Saturday
  });

  it('turns instants into local dates and times of day at +08:00, whatever the UTC date', () => {
    expect(cn.localDate(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30'); // 00:30 Monday in Beijing
    expect(cn.localDate(new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-11-29');
    expect(cn.localTimeOfDay(beijing('2026-11-30T17:05'))).toBe((17 * 60 + 5) * 60_000);
  });

  it('ends a local day at local midnight (+08:00) starting the next', () => {
    expect(cn.endOfDay(epochDay('2026-12-01')).toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });

  it('works in another offset with its own days', () => {
    const utc = new WorkingCalendar(
      calendarData({ code: 'utc', timeZone: 'UTC', utcOffsetMinutes: 0, holidays: ['2026-12-01'], makeUpWorkdays: ['2026-12-05'], since: '2026-01-01', horizon: '2026-12-31', source: 'test' }),
    );
    expect(utc.localDate(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11-30');
    expect(isoDateOf(utc.workingDayAfter(epochDay('2026-11-30'), 2) ?? Number.NaN)).toBe('2026-12-03'); // 1 December off
    expect(isoDateOf(utc.workingDayAfter(epochDay('2026-12-04'), 1) ?? Number.NaN)).toBe('2026-12-05'); // a working Saturday
    expect(utc.endOfDay(epochDay('2026-12-05'))).toEqual(new Date('2026-12-06T00:00:00Z'));
  });

  it('knows its data: from 2024 to the horizon 2026-12-31, from chinese-days, under a version', () => {
    expect([cn.code, cn.timeZone, cn.utcOffsetMinutes, cn.since, cn.horizon, cn.source]).toEqual(['cn', 'Asia/Shanghai', 480, '2024-01-01', '2026-12-31', 'chinese-days 1.5.7']);
    expect(cn.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('past the horizon, keeps the statutory holidays and their estimated substitutes off (no make-up days)', () => {
    expect(cn.isWorkingDay('2027-01-01')).toBe(false); // New Year's Day, Friday
    expect(cn.isWorkingDay('2027-01-04')).toBe(true);
    expect(cn.isWorkingDay('2027-02-09')).toBe(false); // substitute for Saturday 6 February, lunar 1/1
    expect(cn.isWorkingDay('2027-02-20')).toBe(false); // a Saturday stays off: no make-up day is guessed
    expect(after('2026-12-30', 2)).toBe('2027-01-04'); // 31 December, then Monday 4 January
  });

  it('refuses dates outside what it can count: before its data, or past 2100', () => {
    expect(() => cn.isWorkingDay('2023-12-29')).toThrow(RangeError);
    expect(() => cn.isWorkingDay('2101-01-03')).toThrow(RangeError);
    expect(after('2100-12-30', 5)).toBeUndefined();
  });
});

describe('a calendar that extends another (a region on the national calendar)', () => {
  const national = chinaCalendar(2024, 2026);
  const region = (own: Partial<CalendarSpec> = {}) =>
    calendarData({ code: 'xz', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, holidays: [], makeUpWorkdays: [], since: '2025-01-01', horizon: '2027-12-31', source: 'regional notice', parent: national, ...own });

  it("adds its own days off to the parent's and keeps the parent's make-up days", () => {
    const cal = new WorkingCalendar(region({ holidays: ['2026-03-03'] }));
    expect(cal.isWorkingDay('2026-03-03')).toBe(false); // its own day off, a Tuesday
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // the parent's
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // the parent's make-up Saturday
  });

  it("lets its own entry win over the parent's where the two differ", () => {
    const cal = new WorkingCalendar(region({ holidays: ['2026-10-10'], makeUpWorkdays: ['2026-10-04'] }));
    expect(cal.isWorkingDay('2026-10-10')).toBe(false); // off here although the nation works
    expect(cal.isWorkingDay('2026-10-04')).toBe(true); // a Sunday of the Golden Week worked here
  });

  it("covers only what both cover: the later since, the earlier horizon", () => {
    const cal = new WorkingCalendar(region());
    expect([cal.since, cal.horizon]).toEqual(['2025-01-01', '2026-12-31']);
  });

  it("has a version of its own that changes with its data and with its parent's", () => {
    const base = region().version;
    expect(region().version).toBe(base);
    expect(region({ holidays: ['2026-03-03'] }).version).not.toBe(base);
    expect(region({ parent: chinaCalendar(2025, 2026) }).version).not.toBe(base);
    expect(region({ source: 'another notice' }).version).toBe(base); // where it comes from decides no date
  });
});

describe('calendarData', () => {
  it('refuses a fixed offset that is not the time zone’s, or a zone with daylight saving', () => {
    const spec = { code: 'x', holidays: [], makeUpWorkdays: [], since: '2026-01-01', horizon: '2026-12-31', source: 'test' };
    expect(() => calendarData({ ...spec, timeZone: 'Asia/Shanghai', utcOffsetMinutes: 0 })).toThrow(RangeError);
    expect(() => calendarData({ ...spec, timeZone: 'Europe/Berlin', utcOffsetMinutes: 60 })).toThrow(/Europe\/Berlin is GMT\+02:00/);
    expect(() => calendarData({ ...spec, timeZone: 'Mars/Olympus', utcOffsetMinutes: 0 })).toThrow(RangeError);
    expect(calendarData({ ...spec, timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480 }).weekendDays).toEqual([0, 6]);
  });
});
