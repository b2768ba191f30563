import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { epochDay, isoDateOf, weekdayOf } from './local-date.js';
import { statutoryHolidays } from './statutory-holidays.js';

const dates = (year: number, filter: (d: { substitute: boolean }) => boolean = () => true) =>
  statutoryHolidays(year)
    .filter(filter)
    .map((d) => d.date);
const isWeekday = (date: string) => ![0, 6].includes(weekdayOf(epochDay(date)));

describe('the statutory holidays of 全国年节及纪念日放假办法 (2024 revision)', () => {
  it('finds the 13 days of 2026 where the 2026 notice has them, lunar dates converted', () => {
    expect(statutoryHolidays(2026).filter((d) => !d.substitute)).toEqual([
      { date: '2026-01-01', holiday: 'new-year', substitute: false },
      { date: '2026-02-16', holiday: 'spring-festival', substitute: false }, // lunar New Year's Eve
      { date: '2026-02-17', holiday: 'spring-festival', substitute: false }, // lunar 1/1
      { date: '2026-02-18', holiday: 'spring-festival', substitute: false },
      { date: '2026-02-19', holiday: 'spring-festival', substitute: false },
      { date: '2026-04-05', holiday: 'qingming', substitute: false },
      { date: '2026-05-01', holiday: 'labour-day', substitute: false },
      { date: '2026-05-02', holiday: 'labour-day', substitute: false },
      { date: '2026-06-19', holiday: 'dragon-boat', substitute: false },
      { date: '2026-09-25', holiday: 'mid-autumn', substitute: false },
      { date: '2026-10-01', holiday: 'national-day', substitute: false },
      { date: '2026-10-02', holiday: 'national-day', substitute: false },
      { date: '2026-10-03', holiday: 'national-day', substitute: false },
    ]);
  });

  it('takes the Spring Festival Eve as the last day of the 12th lunar month, the 29th or the 30th', () => {
    for (const year of [2026, 2027, 2033, 2100]) {
      const eve = statutoryHolidays(year).find((d) => d.holiday === 'spring-festival')?.date ?? '';
      const lunarEve = chineseDays.getLunarDate(eve);
      const lunarNewYear = chineseDays.getLunarDate(isoDateOf(epochDay(eve) + 1));
      expect([lunarEve.lunarMon, lunarEve.lunarDay >= 29, lunarNewYear.lunarMon, lunarNewYear.lunarDay]).toEqual([12, true, 1, 1]);
    }
    expect(chineseDays.getLunarDate('2033-01-30').lunarDay).toBe(30); // a year whose 12th month has 30 days
    expect(dates(2033)).toContain('2033-01-30');
  });

  it('gives each statutory day on a weekend the next free weekday: 2026 Qingming (Sun), 2 May (Sat), 3 Oct (Sat)', () => {
    expect(dates(2026, (d) => d.substitute)).toEqual(['2026-04-06', '2026-05-04', '2026-10-05']);
  });

  it.each([2025, 2026])('estimates no day of %i that the official data makes a working day', (year) => {
    for (const date of dates(year)) expect(chineseDays.isWorkday(date), date).toBe(false);
  });

  it('leaves out only the bridge days the notices buy with make-up days (调休)', () => {
    const notEstimated = (year: number) => {
      const estimated = new Set(dates(year));
      return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`).filter((d) => isWeekday(d) && !estimated.has(d));
    };
    expect(notEstimated(2026)).toEqual(['2026-01-02', '2026-02-20', '2026-02-23', '2026-05-05', '2026-10-06', '2026-10-07']);
    expect(notEstimated(2025)).toEqual(['2025-02-03', '2025-02-04', '2025-05-05', '2025-10-07', '2025-10-08']);
  });

  it('estimates 2027, for which no notice exists: New Year on a Friday, Spring Festival from Friday 5 February', () => {
    expect(dates(2027)).toEqual([
      '2027-01-01',
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', // Eve (Fri), lunar 1/1–1/3 (Sat, Sun, Mon)
      '2027-02-09', '2027-02-10', // substitutes for the Saturday and the Sunday
      '2027-04-05',
      '2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05',
    ]);
    expect(chineseDays.getSolarDateFromLunar('2027-01-01').date).toBe('2027-02-06');
  });

  it('gives a statutory day that coincides with another a substitute too, as the 2020 arrangement did', () => {
    // 2028: Mid-Autumn is 3 October; 1 October is a Sunday.
    expect(statutoryHolidays(2028).filter((d) => d.date.startsWith('2028-10'))).toEqual([
      { date: '2028-10-01', holiday: 'national-day', substitute: false },
      { date: '2028-10-02', holiday: 'national-day', substitute: false },
      { date: '2028-10-03', holiday: 'mid-autumn', substitute: false },
      { date: '2028-10-04', holiday: 'national-day', substitute: true },
      { date: '2028-10-05', holiday: 'national-day', substitute: true },
    ]);
    // 2020: Mid-Autumn on 1 October, and the notice gave 1–8 October (chinese-days' data).
    expect(chineseDays.getHolidaysInRange('2020-10-01', '2020-10-09')).toEqual(['2020-10-01', '2020-10-02', '2020-10-03', '2020-10-04', '2020-10-05', '2020-10-06', '2020-10-07', '2020-10-08']);
  });

  it('makes every substitute a weekday that is no statutory day', () => {
    for (let year = 2025; year <= 2100; year++) {
      const statutory = new Set(dates(year, (d) => !d.substitute));
      for (const date of dates(year, (d) => d.substitute)) expect(isWeekday(date) && !statutory.has(date), date).toBe(true);
      expect(new Set(dates(year)).size, String(year)).toBe(dates(year).length);
    }
  });

  it.each([2024, 2101, 2026.5])('refuses %s: the 2024 revision applies from 2025 and the lunar tables end with 2100', (year) => {
    expect(() => statutoryHolidays(year)).toThrow(RangeError);
  });
});
