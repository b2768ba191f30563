import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { afterWorkingHours } from './working-hours.js';

const after = (from: string, hours: number, rule = DEFAULT_COUNTING_RULE) => afterWorkingHours(cn, beijing(from), hours, rule).toISOString();

describe('working hours: the window’s, 09:00 to the cut-off, on working days', () => {
  it('run within a day, and on from the next opening', () => {
    expect(after('2026-07-20T10:00', 3)).toBe(beijing('2026-07-20T13:00').toISOString());
    expect(after('2026-07-20T16:00', 2)).toBe(beijing('2026-07-21T10:00').toISOString());
    expect(after('2026-07-20T20:00', 1)).toBe(beijing('2026-07-21T10:00').toISOString());
    expect(after('2026-07-20T07:00', 8)).toBe(beijing('2026-07-20T17:00').toISOString());
  });

  it('skip the weekend, and National Day 2026, and count the make-up Saturday', () => {
    expect(after('2026-07-17T16:00', 2)).toBe(beijing('2026-07-20T10:00').toISOString());
    // Wednesday 30 September works; 1–7 October are off: on Thursday 8 October.
    expect(after('2026-09-30T16:00', 2)).toBe(beijing('2026-10-08T10:00').toISOString());
    // Saturday 10 October is a working day (调休).
    expect(after('2026-10-09T16:00', 2)).toBe(beijing('2026-10-10T10:00').toISOString());
  });

  it('follow the item’s own window', () => {
    expect(after('2026-07-20T08:00', 1, { cutOffLocalTime: '17:30', openingLocalTime: '08:30' })).toBe(beijing('2026-07-20T09:30').toISOString());
    expect(after('2026-07-20T17:00', 1, { cutOffLocalTime: '17:30', openingLocalTime: '08:30' })).toBe(beijing('2026-07-21T09:00').toISOString());
  });

  it('refuse hours that are not whole, and a window that closes before it opens', () => {
    expect(() => after('2026-07-20T10:00', 0)).toThrow(/whole number/);
    expect(() => after('2026-07-20T10:00', 1.5)).toThrow(/whole number/);
    expect(() => after('2026-07-20T10:00', 1, { cutOffLocalTime: '08:00' })).toThrow(/must open/);
  });
});
