// The package ships a UMD bundle as `main`: Node's ESM sees only its default export.
import chineseDays from 'chinese-days';
import { epochDay, isoDateOf, weekdayOf } from './local-date.js';

/**
 * The holidays of 《全国年节及纪念日放假办法》 (revised 2024-11-10, in force from 2025-01-01), art. 2:
 * the 13 days off every citizen has.
 */
export const STATUTORY_HOLIDAYS = ['new-year', 'spring-festival', 'qingming', 'labour-day', 'dragon-boat', 'mid-autumn', 'national-day'] as const;
export type StatutoryHoliday = (typeof STATUTORY_HOLIDAYS)[number];

/** One day off the law fixes, or the estimated working day given in its place. */
export interface StatutoryDay {
  readonly date: string;
  readonly holiday: StatutoryHoliday;
  /** The weekday off estimated in place of a statutory day that fell on a Saturday, a Sunday or another statutory day. */
  readonly substitute: boolean;
}

/**
 * The years the estimate can be made for: the 2024 revision applies from 2025 (before it the Spring Festival
 * Eve and the second day of Labour Day were not statutory), and chinese-days' lunar tables end with 2100.
 */
export const STATUTORY_YEARS = { first: 2025, last: 2100 } as const;

/**
 * Names the estimate below; it enters every calendar's version, so a stored derivation that used an estimate
 * names the rule that made it, and changing the rule changes the version.
 */
export const STATUTORY_ESTIMATE = 'cn-2024-revision/next-free-weekday-substitute';

const memo = new Map<number, readonly StatutoryDay[]>();

/**
 * The statutory days off of `year` with their estimated substitutes, in date order: what the engine counts
 * on past a calendar's horizon, where no official arrangement (放假调休 notice) exists yet.
 *
 * The law fixes 13 days (art. 2): New Year's Day (1 Jan); the Spring Festival, 4 days: lunar New Year's Eve
 * (the last day of the 12th lunar month, the 29th or 30th) and lunar 1/1–1/3; Qingming (the day of the
 * Qingming solar term); Labour Day (1–2 May); Dragon Boat (lunar 5/5); Mid-Autumn (lunar 8/15); National
 * Day (1–3 Oct). Art. 6: a day off for everyone that falls on a Saturday or Sunday is made up on a working
 * day. **The substitute is an estimate**: the next Monday–Friday after the day that is neither a statutory
 * day nor already a substitute. A statutory day that coincides with another (Mid-Autumn on 1–3 Oct, as in
 * 2028) gets one too, as the 2020 arrangement gave National Day and Mid-Autumn 8 days. The yearly notice
 * moves days and adds make-up working days (调休) that no rule predicts; it replaces this estimate once
 * imported, and every result that used an estimate is provisional.
 *
 * @example
 * statutoryHolidays(2027).filter((d) => d.holiday === 'labour-day').map((d) => d.date);
 * // ['2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04']: Sat and Sun, then Mon and Tue in their place
 */
export function statutoryHolidays(year: number): readonly StatutoryDay[] {
  if (!Number.isInteger(year) || year < STATUTORY_YEARS.first || year > STATUTORY_YEARS.last) {
    throw new RangeError(`Statutory holidays are estimated for ${STATUTORY_YEARS.first}–${STATUTORY_YEARS.last}, not ${year}`);
  }
  let days = memo.get(year);
  if (!days) {
    days = Object.freeze(estimate(year));
    memo.set(year, days);
  }
  return days;
}

function estimate(year: number): StatutoryDay[] {
  const springFestival = lunar(year, 1, 1);
  const fixed: [number, StatutoryHoliday][] = [
    [epochDay(`${year}-01-01`), 'new-year'],
    [springFestival - 1, 'spring-festival'],
    [springFestival, 'spring-festival'],
    [springFestival + 1, 'spring-festival'],
    [springFestival + 2, 'spring-festival'],
    [epochDay(chineseDays.getSolarTermDate(year, 4, 'pure_brightness')), 'qingming'],
    [epochDay(`${year}-05-01`), 'labour-day'],
    [epochDay(`${year}-05-02`), 'labour-day'],
    [lunar(year, 5, 5), 'dragon-boat'],
    [lunar(year, 8, 15), 'mid-autumn'],
    [epochDay(`${year}-10-01`), 'national-day'],
    [epochDay(`${year}-10-02`), 'national-day'],
    [epochDay(`${year}-10-03`), 'national-day'],
  ];
  fixed.sort((a, b) => a[0] - b[0]);
  const taken = new Set<number>(fixed.map(([day]) => day));
  const seen = new Set<number>();
  const days: { day: number; holiday: StatutoryHoliday; substitute: boolean }[] = [];
  for (const [day, holiday] of fixed) {
    if (!seen.has(day)) days.push({ day, holiday, substitute: false });
    if (isWeekend(day) || seen.has(day)) {
      let substitute = day + 1;
      while (isWeekend(substitute) || taken.has(substitute)) substitute += 1;
      taken.add(substitute);
      days.push({ day: substitute, holiday, substitute: true });
    }
    seen.add(day);
  }
  return days.sort((a, b) => a.day - b.day).map(({ day, holiday, substitute }) => ({ date: isoDateOf(day), holiday, substitute }));
}

/** The law's weekend (art. 6 names Saturday and Sunday), whatever weekend a calendar keeps. */
const isWeekend = (day: number): boolean => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/** Epoch day of a lunar date of lunar year `year` (its regular month, never the leap one). */
function lunar(year: number, month: number, day: number): number {
  const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return epochDay(chineseDays.getSolarDateFromLunar(text).date);
}
