import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE, type CountingRule } from './counting-rule.js';
import { deadline } from './deadline.js';
import { explainDueDate } from './due-date-explanation.js';
import { epochDay, isoDateOf } from './local-date.js';

/** Minutes of a local day, often right at the cut-offs drawn below or a minute before them. */
const minuteOfDay = fc.oneof(fc.constantFrom(0, 539, 540, 719, 720, 1019, 1020, 1439), fc.integer({ min: 0, max: 24 * 60 - 1 }));
/** Instants from 2024 (the test calendar's first year) to 2030, four years past its horizon. */
const instant = fc
  .tuple(fc.integer({ min: epochDay('2024-01-01'), max: epochDay('2030-12-31') }), minuteOfDay, fc.integer({ min: 0, max: 59_999 }))
  .map(([day, minute, ms]) => new Date(beijing(`${isoDateOf(day)}T00:00`).getTime() + minute * 60_000 + (ms % 3 === 0 ? 0 : ms)));
const workingDays = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 3650 }));
const rule: fc.Arbitrary<CountingRule> = minuteOfDay.map((m) => ({ cutOffLocalTime: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` }));
const dueDate = (start: Date, n: number, r: CountingRule) => deadline(cn, start, n, r).derivation.dueDate;

describe('deadline, for any start, budget and cut-off', () => {
  it('is due at the end of a working day', () => {
    fc.assert(
      fc.property(instant, workingDays, rule, (start, n, r) => {
        const { due, derivation } = deadline(cn, start, n, r);
        expect(cn.isWorkingDay(derivation.dueDate)).toBe(true);
        expect(due).toEqual(beijing(`${isoDateOf(epochDay(derivation.dueDate) + 1)}T00:00`));
      }),
    );
  });

  it('agrees with counting day by day: receipt by the rule, then N working days after it', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), rule, (start, n, r) => {
        const [h, m] = r.cutOffLocalTime.split(':').map(Number) as [number, number];
        let day = epochDay(cn.localDate(start));
        if (!cn.isWorkingDay(isoDateOf(day)) || cn.localTimeOfDay(start) >= (h * 60 + m) * 60_000) {
          do day += 1;
          while (!cn.isWorkingDay(isoDateOf(day)));
        }
        for (let left = n; left > 0; ) if (cn.isWorkingDay(isoDateOf(++day))) left -= 1;
        expect(dueDate(start, n, r)).toBe(isoDateOf(day));
      }),
    );
  });

  it('adds N then M as N + M: M working days received on day N end where N + M do', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), rule, (start, n, m, r) => {
        // Received on day N: its local midnight, before the (default) cut-off of a working day.
        const dayN = beijing(`${dueDate(start, n, r)}T00:00`);
        expect(dueDate(dayN, m, DEFAULT_COUNTING_RULE)).toBe(dueDate(start, n + m, r));
      }),
    );
  });

  it('is monotone in the start', () => {
    fc.assert(
      fc.property(instant, instant, workingDays, rule, (a, b, n, r) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(deadline(cn, early, n, r).due.getTime()).toBeLessThanOrEqual(deadline(cn, late, n, r).due.getTime());
      }),
    );
  });

  it('counts N distinct working days in order after the day of receipt, skipping only days off', () => {
    fc.assert(
      fc.property(instant, workingDays, rule, (start, n, r) => {
        const explained = explainDueDate(cn, start, n, r);
        const counted = explained.counted.map((c) => c.date);
        expect(explained.counted.map((c) => c.n)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(counted.every((date, i) => date > (i === 0 ? explained.receivedOn : (counted[i - 1] as string)))).toBe(true);
        expect(counted.at(-1)).toBe(explained.dueDate);
        const countedSet = new Set(counted);
        expect(explained.skipped.every((s) => !cn.isWorkingDay(s.date) && !countedSet.has(s.date))).toBe(true);
      }),
    );
  });

  it('is provisional exactly when the count passes the horizon', () => {
    fc.assert(
      fc.property(instant, workingDays, rule, (start, n, r) => {
        const explained = explainDueDate(cn, start, n, r);
        const looked = [cn.localDate(start), explained.receivedOn, ...explained.counted.map((c) => c.date), ...explained.skipped.map((s) => s.date)];
        expect(explained.provisional).toBe(looked.some((date) => date > cn.horizon));
        // Estimates are made past the horizon only, and official holidays come from the data before it.
        expect(explained.skipped.filter(({ date, reason }) => reason !== 'weekend' && (reason === 'statutory-holiday-estimate') !== date > cn.horizon)).toEqual([]);
      }),
    );
  });
});
