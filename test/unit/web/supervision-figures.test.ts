import { describe, expect, it } from 'vitest';
import { percent, trendSeries, weekLabels, worstFirst, type TrendWeek } from '../../../web/src/lib/supervision-figures.js';

const week = (name: string, cases: Partial<TrendWeek['cases']>, steps: Partial<TrendWeek['steps']> = {}): TrendWeek => {
  const none = { opened: 0, overdueNow: 0, finishedOnTime: 0, finishedLate: 0, onTimeRate: null };
  return { week: name, start: '', cases: { ...none, ...cases }, steps: { ...none, averageWorkingDays: null, ...steps } };
};

describe('the dashboard figures', () => {
  it('lists the departments with something yellow or red, the most red first, then the most yellow, then by code', () => {
    const rows = [
      { code: 'water', yellow: 3, red: 0 },
      { code: 'fire', yellow: 1, red: 2 },
      { code: 'tax', yellow: 0, red: 0 },
      { code: 'ecology', yellow: 1, red: 2 },
      { code: 'police', yellow: 5, red: 0 },
    ];
    expect(worstFirst(rows, (r) => r.code).map((r) => r.code)).toEqual(['ecology', 'fire', 'police', 'water']);
  });

  it('says rates as percentages in the reader’s language, and nothing when there is no rate', () => {
    expect(percent(0.875, 'en')).toBe('87.5%');
    expect(percent(1, 'zh-CN')).toBe('100%');
    expect(percent(0.66666, 'en')).toBe('66.7%');
    expect(percent(null, 'en')).toBeNull();
  });

  it('draws the trend of cases or steps week by week, a gap where nothing finished', () => {
    const weeks = [
      week('2026-W52', { opened: 2, finishedOnTime: 1, finishedLate: 1, onTimeRate: 0.5 }),
      week('2026-W53', { opened: 1, overdueNow: 1 }, { opened: 4, finishedOnTime: 3, onTimeRate: 1 }),
      week('2027-W01', { finishedLate: 2, onTimeRate: 0 }),
    ];
    expect(trendSeries(weeks, 'cases')).toEqual({
      labels: ['2026-W52', 'W53', '2027-W01'],
      opened: [2, 1, 0],
      finishedOnTime: [1, 0, 0],
      finishedLate: [1, 0, 2],
      overdueNow: [0, 1, 0],
      onTimePercent: [50, null, 0],
    });
    expect(trendSeries(weeks, 'steps')).toMatchObject({ opened: [0, 4, 0], onTimePercent: [null, 100, null] });
    expect(weekLabels(['2026-W50', '2026-W51'])).toEqual(['2026-W50', 'W51']);
  });
});
