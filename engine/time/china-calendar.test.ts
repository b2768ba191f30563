import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { CHINESE_DAYS_SOURCE, CHINESE_DAYS_YEARS, chinaCalendar, chineseDaysYears } from './china-calendar.js';
import { epochDay, isoDateOf } from './local-date.js';
import { WorkingCalendar } from './working-calendar.js';

describe('the mainland China calendar from chinese-days', () => {
  it('reads the years the package has from its data: 2004 to 2026 in 1.5.7', () => {
    expect(CHINESE_DAYS_YEARS).toEqual({ first: 2004, last: 2026 });
    expect(CHINESE_DAYS_SOURCE).toBe('chinese-days 1.5.7');
  });

  it('ends its horizon with the last of them, however far it is asked for', () => {
    expect(chinaCalendar(2024, 2030)).toMatchObject({ code: 'cn', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, since: '2024-01-01', horizon: '2026-12-31', source: 'chinese-days 1.5.7' });
    expect(chineseDaysYears(2025, 2030).map((y) => y.year)).toEqual([2025, 2026]);
  });

  it('answers as the package does for every day of its data', () => {
    const cn = new WorkingCalendar(chinaCalendar());
    const differ: string[] = [];
    for (let day = epochDay('2004-01-01'); day <= epochDay('2026-12-31'); day++) {
      const date = isoDateOf(day);
      if (cn.isWorkingDay(date) !== chineseDays.isWorkday(date)) differ.push(date);
    }
    expect(differ).toEqual([]);
  });

  it('lists a year as the 2026 notice has it, weekend dates inside a holiday included', () => {
    const [y2026] = chineseDaysYears(2026, 2026);
    expect(y2026?.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(y2026?.holidays.filter((d) => d.startsWith('2026-10'))).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
  });
});
