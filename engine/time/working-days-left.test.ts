import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { pauseClock, startClock, STATUTORY_UNCOUNTED, stopClock } from './legal-clock.js';
import { workingDaysLeft } from './working-days-left.js';

/** 5 working days received Monday 30 November 2026 10:00: day 1 is Tuesday 1 December, day 5 Monday 7 December. */
const clock = (days = 5) =>
  startClock(cn, { id: 'task:review.fire', budgetWorkingDays: days, start: beijing('2026-11-30T10:00'), rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 10, maxTimes: 1 }, uncounted: STATUTORY_UNCOUNTED, ladder: [] });
const left = (at: string, c = clock()) => workingDaysLeft(c, cn, beijing(at));

describe('the working days a clock has left, as an inbox shows them', () => {
  it('counts down while it runs: the day in progress is consumed, so the last day leaves 0', () => {
    expect(left('2026-11-30T11:00')).toEqual({ workingDays: 5, state: 'running', provisional: false });
    expect(left('2026-12-03T10:00')).toEqual({ workingDays: 2, state: 'running', provisional: false });
    expect(left('2026-12-05T10:00').workingDays).toBe(1); // Saturday: Friday was day 4
    expect(left('2026-12-07T23:59')).toEqual({ workingDays: 0, state: 'running', provisional: false });
  });

  it('goes negative past its due: the working days after the due date through today, none on a weekend right after', () => {
    expect(left('2026-12-08T00:00')).toEqual({ workingDays: -1, state: 'expired', provisional: false });
    expect(left('2026-12-09T10:00').workingDays).toBe(-2);
    expect(left('2026-12-12T10:00').workingDays).toBe(-4); // Saturday: 8–11 December
    // Due on Friday 4 December (4 working days): on the Saturday after, expired but no working day overdue yet.
    expect(left('2026-12-05T10:00', clock(4))).toEqual({ workingDays: 0, state: 'expired', provisional: false });
  });

  it('keeps what was left while paused, and what was left (or how late it was) when it stopped', () => {
    const paused = pauseClock(clock(), cn, beijing('2026-12-02T15:00'), { kind: 'supplement', text: '补正' });
    expect(left('2026-12-10T10:00', paused)).toEqual({ workingDays: 3, state: 'paused', provisional: false });
    expect(left('2026-12-15T10:00', stopClock(clock(), beijing('2026-12-03T10:00'))).workingDays).toBe(2);
    expect(left('2026-12-15T10:00', stopClock(clock(), beijing('2026-12-09T10:00')))).toEqual({ workingDays: -2, state: 'stopped', provisional: false });
  });

  it('says when the due date was counted past the calendar horizon (2026 here): provisional', () => {
    expect(left('2026-12-01T10:00', clock(40))).toEqual({ workingDays: 39, state: 'running', provisional: true });
  });
});
