import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { InvalidTimeLimitError } from '../errors.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { deadline } from './deadline.js';
import { epochDay, isoDateOf } from './local-date.js';

/** The due date and the day of receipt of N working days received at a Beijing local time. */
const count = (start: string, workingDays: number, cutOffLocalTime = '17:00') => {
  const { derivation } = deadline(cn, beijing(start), workingDays, { cutOffLocalTime });
  return { receivedOn: derivation.receivedOn, dueDate: derivation.dueDate };
};
const dueDate = (start: string, workingDays: number) => count(start, workingDays).dueDate;

describe('deadline on the official 2026 arrangement (State Council notice of 2025-11-04)', () => {
  it.each([
    ['2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10']],
    ['2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28']],
    ['2026-05-01', '2026-05-05', ['2026-05-09']],
  ])('keeps %s to %s off and the weekend days %j working', (from, to, makeUp) => {
    for (let day = epochDay(from); day <= epochDay(to); day++) expect(cn.isWorkingDay(isoDateOf(day)), isoDateOf(day)).toBe(false);
    expect(cn.isWorkingDay(isoDateOf(epochDay(to) + 1))).toBe(true);
    for (const date of makeUp) expect(cn.isWorkingDay(date), date).toBe(true);
  });

  it('counts the make-up Sunday 20 September and Saturday 10 October around National Day', () => {
    expect(dueDate('2026-09-18T10:00', 1)).toBe('2026-09-20'); // received Friday: day 1 is the working Sunday
    expect(dueDate('2026-09-30T10:00', 1)).toBe('2026-10-08'); // 1–7 October skipped
    expect(dueDate('2026-09-30T10:00', 3)).toBe('2026-10-10');
    expect(dueDate('2026-09-30T10:00', 4)).toBe('2026-10-12');
  });

  it('counts the make-up Saturdays 14 and 28 February around the Spring Festival (15–23 February)', () => {
    expect(dueDate('2026-02-13T15:00', 1)).toBe('2026-02-14');
    expect(dueDate('2026-02-13T15:00', 2)).toBe('2026-02-24');
    expect(dueDate('2026-02-13T15:00', 6)).toBe('2026-02-28');
    expect(dueDate('2026-02-13T15:00', 7)).toBe('2026-03-02');
  });

  it('skips Labour Day (1–5 May) and counts the make-up Saturday 9 May', () => {
    expect(dueDate('2026-04-30T10:00', 1)).toBe('2026-05-06');
    expect(dueDate('2026-04-30T10:00', 4)).toBe('2026-05-09');
    expect(dueDate('2026-04-30T10:00', 5)).toBe('2026-05-11');
  });

  it('is due at local midnight (+08:00) ending the due date, and names the data it used', () => {
    const { due, derivation } = deadline(cn, beijing('2026-11-30T09:00'), 1, DEFAULT_COUNTING_RULE);
    expect(due.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(derivation).toEqual({
      calendarCode: 'cn',
      calendarVersion: cn.version,
      start: '2026-11-30T01:00:00.000Z',
      workingDays: 1,
      rule: { cutOffLocalTime: '17:00' },
      receivedOn: '2026-11-30',
      dueDate: '2026-12-01',
      provisional: false,
      horizon: '2026-12-31',
      utcOffsetMinutes: 480,
    });
    expect(JSON.parse(JSON.stringify(derivation))).toEqual(derivation);
  });
});

describe('the counting rule: day 1 is the first working day after the day of receipt', () => {
  it('receives on the day itself before the cut-off, on the next working day from the cut-off on', () => {
    expect(count('2026-11-30T16:59', 1)).toEqual({ receivedOn: '2026-11-30', dueDate: '2026-12-01' });
    expect(count('2026-11-30T17:00', 1)).toEqual({ receivedOn: '2026-12-01', dueDate: '2026-12-02' });
    expect(count('2026-11-27T17:30', 1)).toEqual({ receivedOn: '2026-11-30', dueDate: '2026-12-01' }); // Friday evening
  });

  it('takes the cut-off in local time, whatever the UTC date', () => {
    expect(deadline(cn, new Date('2026-11-30T08:59:59.999Z'), 1, DEFAULT_COUNTING_RULE).derivation.receivedOn).toBe('2026-11-30');
    expect(deadline(cn, new Date('2026-11-30T09:00:00Z'), 1, DEFAULT_COUNTING_RULE).derivation.receivedOn).toBe('2026-12-01');
    expect(deadline(cn, new Date('2026-11-29T16:30:00Z'), 1, DEFAULT_COUNTING_RULE).derivation.receivedOn).toBe('2026-11-30'); // 00:30 Monday
  });

  it("follows the service item's cut-off time", () => {
    expect(count('2026-11-30T13:00', 1, '12:00')).toEqual({ receivedOn: '2026-12-01', dueDate: '2026-12-02' });
    expect(count('2026-11-30T11:59', 1, '12:00')).toEqual({ receivedOn: '2026-11-30', dueDate: '2026-12-01' });
  });

  it('receives a weekend application on Monday: Tuesday is day 1', () => {
    expect(count('2026-11-28T10:00', 1)).toEqual({ receivedOn: '2026-11-30', dueDate: '2026-12-01' });
  });

  it('receives a holiday application on the first working day after the holiday', () => {
    expect(count('2026-10-01T09:00', 1)).toEqual({ receivedOn: '2026-10-08', dueDate: '2026-10-09' });
  });

  it('receives on a make-up Saturday (调休) as on any working day', () => {
    expect(count('2026-10-10T09:00', 1)).toEqual({ receivedOn: '2026-10-10', dueDate: '2026-10-12' });
    expect(count('2026-10-10T18:00', 1)).toEqual({ receivedOn: '2026-10-12', dueDate: '2026-10-13' });
  });
});

describe('past the horizon (2026-12-31)', () => {
  it('no longer counts New Year’s Day 2027 for a case started in mid-December 2026, and says it is provisional', () => {
    expect(chineseDays.isWorkday('2027-01-01')).toBe(true); // what the package answers past its data
    const { derivation } = deadline(cn, beijing('2026-12-15T10:00'), 20, DEFAULT_COUNTING_RULE);
    expect(derivation).toMatchObject({ receivedOn: '2026-12-15', dueDate: '2027-01-13', provisional: true, horizon: '2026-12-31' });
  });

  it('is provisional exactly when the due date is past the horizon', () => {
    expect(deadline(cn, beijing('2026-12-15T10:00'), 12, DEFAULT_COUNTING_RULE).derivation).toMatchObject({ dueDate: '2026-12-31', provisional: false });
    expect(deadline(cn, beijing('2026-12-15T10:00'), 13, DEFAULT_COUNTING_RULE).derivation).toMatchObject({ dueDate: '2027-01-04', provisional: true });
  });

  it('skips the estimated Spring Festival 2027 (5–10 February) and counts no make-up day', () => {
    expect(dueDate('2027-02-04T10:00', 1)).toBe('2027-02-11');
    expect(dueDate('2027-02-11T10:00', 2)).toBe('2027-02-15'); // Saturday 13 February is not guessed a working day
  });

  it('counts the longest budget, 3650 working days, into 2041', () => {
    expect(deadline(cn, beijing('2026-11-30T09:00'), 3650, DEFAULT_COUNTING_RULE).derivation).toMatchObject({ dueDate: expect.stringMatching(/^2041-/), provisional: true });
  });
});

describe('bad input', () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error instanceof InvalidTimeLimitError ? { status: error.status, code: error.code, path: error.path } : error;
    }
    return 'accepted';
  };
  const start = beijing('2026-11-30T09:00');

  it.each([0, -1, 3651, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a budget of %s working days (budgets are 1 to 3650)', (days) => {
    expect(refusal(() => deadline(cn, start, days, DEFAULT_COUNTING_RULE))).toEqual({ status: 422, code: 'TB-TIME-LIMIT-INVALID', path: ['workingDays'] });
  });

  it('refuses a start that is no instant, or before the calendar’s data', () => {
    expect(refusal(() => deadline(cn, new Date('nope'), 1, DEFAULT_COUNTING_RULE))).toMatchObject({ path: ['start'] });
    expect(refusal(() => deadline(cn, beijing('2023-12-29T09:00'), 1, DEFAULT_COUNTING_RULE))).toMatchObject({ path: ['start'] });
  });

  it('refuses a count that ends past 2100, where the lunar tables end', () => {
    expect(refusal(() => deadline(cn, beijing('2100-12-20T09:00'), 20, DEFAULT_COUNTING_RULE))).toMatchObject({ path: ['workingDays'] });
    expect(refusal(() => deadline(cn, beijing('2101-01-04T09:00'), 1, DEFAULT_COUNTING_RULE))).toMatchObject({ path: ['start'] });
  });

  it.each(['5pm', '24:00', '17:60', '7:00', ''])('refuses the cut-off time %j', (cutOffLocalTime) => {
    expect(refusal(() => deadline(cn, start, 1, { cutOffLocalTime }))).toMatchObject({ path: ['rule', 'cutOffLocalTime'] });
  });
});
