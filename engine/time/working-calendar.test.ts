import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { calendarData, type CalendarSpec } from './calendar-data.js';
import { chinaCalendar } from './china-calendar.js';
import { WorkingCalendar } from './working-calendar.js';

/** Due instant of `days` working days started at a Beijing local time, as a Beijing local time. */
const due = (start: string, days: number) => cn.addWorkingDays(beijing(start), days);

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

  it('does not count the start day and skips weekends: Friday + 3 is due when Wednesday ends', () => {
    expect(due('2026-11-27T10:00', 3)).toEqual(beijing('2026-12-03T00:00'));
    expect(due('2026-11-27T10:00', 1)).toEqual(beijing('2026-12-01T00:00'));
    // Started on a Saturday: Monday is the first day counted.
    expect(due('2026-11-28T10:00', 1)).toEqual(beijing('2026-12-01T00:00'));
  });

  it('counts from the local start date, whatever the hour or the UTC date', () => {
    expect(due('2026-11-30T00:00', 1)).toEqual(beijing('2026-12-02T00:00'));
    expect(due('2026-11-30T23:59', 1)).toEqual(beijing('2026-12-02T00:00'));
    // 07:00 on Monday in Beijing is still Sunday in UTC; Sunday 23:30 in Beijing is Sunday.
    expect(cn.addWorkingDays(new Date('2026-11-29T23:00:00Z'), 1)).toEqual(beijing('2026-12-02T00:00'));
    expect(due('2026-11-29T23:30', 1)).toEqual(beijing('2026-12-01T00:00'));
    expect(cn.localDate(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30');
  });

  it('is due at local midnight (+08:00) closing the last working day', () => {
    expect(due('2026-11-30T09:00', 1).toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });

  it('skips the National Day week and counts the make-up Saturday 10 October 2026', () => {
    const start = '2026-09-30T10:00'; // Wednesday before the holiday
    expect(due(start, 1)).toEqual(beijing('2026-10-09T00:00')); // Thursday 8 October, first day back
    expect(due(start, 2)).toEqual(beijing('2026-10-10T00:00')); // Friday 9
    expect(due(start, 3)).toEqual(beijing('2026-10-11T00:00')); // Saturday 10, a working day
    expect(due(start, 4)).toEqual(beijing('2026-10-13T00:00')); // Monday 12
    // Started inside the holiday: the first working day after it is the first one counted.
    expect(due('2026-10-03T10:00', 1)).toEqual(beijing('2026-10-09T00:00'));
  });

  it('skips Spring Festival 2026 (15–23 February) and counts the make-up Saturdays 14 and 28 February', () => {
    const start = '2026-02-13T15:00'; // Friday
    expect(due(start, 1)).toEqual(beijing('2026-02-15T00:00')); // Saturday 14, a working day
    expect(due(start, 2)).toEqual(beijing('2026-02-25T00:00')); // Tuesday 24, first day after the holiday
    expect(due(start, 6)).toEqual(beijing('2026-03-01T00:00')); // 24, 25, 26, 27 and Saturday 28
    expect(due(start, 7)).toEqual(beijing('2026-03-03T00:00')); // Monday 2 March
  });

  it('gives zero working days the end of the start day, even on a holiday', () => {
    expect(due('2026-11-30T09:00', 0)).toEqual(beijing('2026-12-01T00:00'));
    expect(due('2026-10-01T09:00', 0)).toEqual(beijing('2026-10-02T00:00'));
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a budget of %s working days', (days) => {
    expect(() => cn.addWorkingDays(beijing('2026-11-30T09:00'), days)).toThrow(RangeError);
  });

  it('works in another offset with its own days', () => {
    const utc = new WorkingCalendar(
      calendarData({ code: 'utc', timeZone: 'UTC', utcOffsetMinutes: 0, holidays: ['2026-12-01'], makeUpWorkdays: ['2026-12-05'], since: '2026-01-01', horizon: '2026-12-31', source: 'test' }),
    );
    expect(utc.addWorkingDays(new Date('2026-11-30T23:30:00Z'), 2)).toEqual(new Date('2026-12-04T00:00:00Z'));
    expect(utc.addWorkingDays(new Date('2026-12-04T12:00:00Z'), 1)).toEqual(new Date('2026-12-06T00:00:00Z'));
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
    // The transitional addWorkingDays counts on the same days: 31 December, then Monday 4 January.
    expect(due('2026-12-30T10:00', 2)).toEqual(beijing('2027-01-05T00:00'));
  });

  it('refuses dates outside what it can count: before its data, or past 2100', () => {
    expect(() => cn.isWorkingDay('2023-12-29')).toThrow(RangeError);
    expect(() => cn.isWorkingDay('2101-01-03')).toThrow(RangeError);
    expect(() => cn.addWorkingDays(beijing('2100-12-30T10:00'), 5)).toThrow(RangeError);
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
