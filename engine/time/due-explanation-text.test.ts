import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { deadline } from './deadline.js';
import { dueExplanation } from './due-explanation-text.js';

/** `because` of N working days received at a Beijing local time, as stored and shown. */
const because = (start: string, workingDays: number, cutOffLocalTime = '17:00') => {
  const { due, derivation } = deadline(cn, beijing(start), workingDays, { cutOffLocalTime });
  return dueExplanation(due, derivation).because;
};

describe('dueExplanation: why a stored due date is due, in a clerk’s words', () => {
  it('shows a receipt after the cut-off in local time and the day it is counted from', () => {
    expect(because('2026-12-11T18:05', 20)).toBe(
      `due at the end of 2027-01-12: 20 working days on calendar cn (data ${cn.version.slice(0, 15)}…); ` +
        'received Friday 2026-12-11 18:05 (after 17:00): counted from Monday 2026-12-14, day 1 the working day after it; ' +
        "past the calendar's horizon 2026-12-31 statutory holidays are estimated — provisional",
    );
  });

  it('counts a receipt before the cut-off from that day', () => {
    expect(because('2026-11-30T09:00', 1)).toContain('received Monday 2026-11-30 09:00 (before 17:00): counted from that day, day 1 the working day after it;');
    expect(because('2026-11-30T09:00', 1)).toContain("within the calendar's official data (to 2026-12-31)");
  });

  it('says a receipt at the cut-off, or on a day off, counts from the next working day', () => {
    expect(because('2026-11-30T17:00', 1)).toContain('received Monday 2026-11-30 17:00 (at 17:00, the cut-off): counted from Tuesday 2026-12-01');
    expect(because('2026-10-01T09:30', 1)).toContain('received Thursday 2026-10-01 09:30 (a day off): counted from Thursday 2026-10-08');
    expect(because('2026-11-30T12:30', 1, '12:00')).toContain('(after 12:00): counted from Tuesday 2026-12-01');
  });

  it('reads the local date, not the UTC one: 00:30 Monday in Beijing is Sunday in UTC', () => {
    expect(because('2026-11-30T00:30', 1)).toContain('received Monday 2026-11-30 00:30 (before 17:00)');
  });

  it('still renders a derivation stored before the offset was kept, with the start as an instant', () => {
    const { due, derivation } = deadline(cn, beijing('2026-12-11T18:05'), 20, DEFAULT_COUNTING_RULE);
    const { utcOffsetMinutes: _kept, ...old } = derivation;
    expect(dueExplanation(due, old).because).toContain(
      'started 2026-12-11T10:05:00.000Z (a start at or after 17:00 local time or on a day off counts as received on the next working day): counted from Monday 2026-12-14',
    );
  });

  it('says when no derivation is on record', () => {
    expect(dueExplanation(beijing('2026-12-01T00:00'), null)).toMatchObject({ date: null, provisional: false, because: expect.stringContaining('no derivation is on record') });
  });
});
