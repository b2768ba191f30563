import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { deadline } from './deadline.js';
import { explainDueDate } from './due-date-explanation.js';

describe('explainDueDate', () => {
  it('lists the days counted, the days skipped and the make-up days used across National Day 2026', () => {
    const explained = explainDueDate(cn, beijing('2026-09-30T10:00'), 3, DEFAULT_COUNTING_RULE);
    expect(explained).toMatchObject({ receivedOn: '2026-09-30', dueDate: '2026-10-10', due: '2026-10-10T16:00:00.000Z', provisional: false, horizon: '2026-12-31' });
    expect(explained.counted).toEqual([
      { date: '2026-10-08', n: 1 },
      { date: '2026-10-09', n: 2 },
      { date: '2026-10-10', n: 3 },
    ]);
    // The notice's range 1–7 October, its weekend dates included, is the holiday.
    expect(explained.skipped).toEqual(['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, reason: 'holiday' })));
    expect(explained.makeUpDaysUsed).toEqual(['2026-10-10']);
  });

  it('skips the start’s own day off and the weekend before the day of receipt', () => {
    const explained = explainDueDate(cn, beijing('2026-11-28T10:00'), 2, DEFAULT_COUNTING_RULE);
    expect(explained.skipped).toEqual([
      { date: '2026-11-28', reason: 'weekend' },
      { date: '2026-11-29', reason: 'weekend' },
    ]);
    expect(explained.receivedOn).toBe('2026-11-30');
    expect(explained.counted.map((c) => c.date)).toEqual(['2026-12-01', '2026-12-02']);
  });

  it('names the estimated days past the horizon: the December 2026 case skips New Year’s Day 2027', () => {
    const explained = explainDueDate(cn, beijing('2026-12-15T10:00'), 20, DEFAULT_COUNTING_RULE);
    expect(explained).toMatchObject({ dueDate: '2027-01-13', provisional: true });
    expect(explained.skipped).toContainEqual({ date: '2027-01-01', reason: 'statutory-holiday-estimate' });
    expect(explained.skipped.filter((s) => s.reason !== 'weekend')).toEqual([{ date: '2027-01-01', reason: 'statutory-holiday-estimate' }]);
    expect(explained.makeUpDaysUsed).toEqual([]);
  });

  it('agrees with deadline and serializes as it is', () => {
    const start = beijing('2026-02-13T18:00');
    const explained = explainDueDate(cn, start, 7, DEFAULT_COUNTING_RULE);
    const { due, derivation } = deadline(cn, start, 7, DEFAULT_COUNTING_RULE);
    expect(explained).toMatchObject({ ...derivation, due: due.toISOString() });
    expect(explained.makeUpDaysUsed).toEqual(['2026-02-28']); // received Saturday the 14th, a make-up day, which is day 0
    expect(JSON.parse(JSON.stringify(explained))).toEqual(explained);
  });
});
