import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
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
    const utc = new WorkingCalendar({ code: 'utc', utcOffsetMinutes: 0, holidays: ['2026-12-01'], makeUpWorkdays: ['2026-12-05'] });
    expect(utc.addWorkingDays(new Date('2026-11-30T23:30:00Z'), 2)).toEqual(new Date('2026-12-04T00:00:00Z'));
    expect(utc.addWorkingDays(new Date('2026-12-04T12:00:00Z'), 1)).toEqual(new Date('2026-12-06T00:00:00Z'));
  });
});
