import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { STATUTORY_ESTIMATE } from './statutory-holidays.js';

/**
 * A jurisdiction's working days (工作日历) as data: weekends, public holidays and make-up working days (调休)
 * up to its horizon. Dates are local calendar dates written `YYYY-MM-DD`. Build one with {@link calendarData}
 * (or `calendarFromYears`, `chinaCalendar`), which fills in `version`.
 */
export interface CalendarData {
  readonly code: string;
  /** IANA time zone (`Asia/Shanghai`), kept for display and to check `utcOffsetMinutes` against. */
  readonly timeZone: string;
  /**
   * Offset of local time from UTC in minutes. A fixed offset is exact for mainland China: Asia/Shanghai has
   * kept +08:00 all year since daylight saving ended in 1991, so no date the engine counts has another one,
   * and fixed arithmetic keeps the hot path free of time-zone lookups. {@link calendarData} refuses a zone
   * whose offset differs from it in the years the data covers.
   */
  readonly utcOffsetMinutes: number;
  /** Days of the week that are not working days, 0 = Sunday … 6 = Saturday. */
  readonly weekendDays: readonly number[];
  /** Local dates off (weekend dates inside a holiday may be listed too: they are off either way). */
  readonly holidays: readonly string[];
  /** Local weekend dates that are working days (调休上班). */
  readonly makeUpWorkdays: readonly string[];
  /** First date the official data covers. */
  readonly since: string;
  /** Last date the official data covers; past it dates are estimated and results provisional. */
  readonly horizon: string;
  /** Where the data comes from, e.g. `chinese-days 1.5.7`; not part of the version. */
  readonly source: string;
  /**
   * The calendar this one extends (a province's or autonomous region's extra days on the national ones).
   * A date's own entry wins over the parent's: the child's holiday or make-up day decides, then the
   * parent's; the regional arrangement is made knowing the national one, so where they differ it is the
   * one that applies there. The calendar covers only the dates both cover (the later `since`, the earlier
   * `horizon`).
   */
  readonly parent?: CalendarData;
  /**
   * `sha256:` of the canonical JSON of everything that decides a date (all fields but `source` and
   * `version`, the parent by its version) and of the estimate rule used past the horizon, so that a stored
   * derivation names exactly the data it was computed on.
   */
  readonly version: string;
}

/** What {@link calendarData} needs: the data without its version; weekends default to Saturday and Sunday. */
export type CalendarSpec = Omit<CalendarData, 'version' | 'weekendDays'> & { readonly weekendDays?: readonly number[] };

/**
 * Completes calendar data with its default weekend and its version, after checking that the fixed offset is
 * the time zone's in the years covered.
 *
 * @example
 * calendarData({ code: 'cn', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, holidays: ['2026-10-01'],
 *   makeUpWorkdays: ['2026-10-10'], since: '2026-01-01', horizon: '2026-12-31', source: 'notice 2025-11-04' });
 */
export function calendarData(spec: CalendarSpec): CalendarData {
  const weekendDays = [...new Set(spec.weekendDays ?? [0, 6])].sort((a, b) => a - b);
  for (const date of [spec.since, spec.horizon]) assertOffset(spec.timeZone, spec.utcOffsetMinutes, date);
  const decisive = {
    code: spec.code,
    timeZone: spec.timeZone,
    utcOffsetMinutes: spec.utcOffsetMinutes,
    weekendDays,
    holidays: [...new Set(spec.holidays)].sort(),
    makeUpWorkdays: [...new Set(spec.makeUpWorkdays)].sort(),
    since: spec.since,
    horizon: spec.horizon,
    parent: spec.parent?.version,
    estimate: STATUTORY_ESTIMATE,
  };
  const version = `sha256:${createHash('sha256').update(canonicalJson(decisive)).digest('hex')}`;
  const { parent, ...own } = decisive;
  return { ...own, source: spec.source, version, ...(spec.parent ? { parent: spec.parent } : {}) };
}

/** Refuses a fixed offset that is not the zone's in January and July (daylight saving) of the date's year. */
function assertOffset(timeZone: string, offsetMinutes: number, isoDate: string): void {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  for (const month of ['01', '07']) {
    const name = format.formatToParts(new Date(`${isoDate.slice(0, 4)}-${month}-15T12:00:00Z`)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const [, sign, hours, minutes] = /^GMT(?:([+-])(\d\d):(\d\d))?$/.exec(name) ?? [];
    const zoneOffset = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) : name === 'GMT' ? 0 : Number.NaN;
    if (zoneOffset !== offsetMinutes) {
      throw new RangeError(`Time zone ${timeZone} is ${name || 'unknown'} in ${isoDate.slice(0, 4)}-${month}, not a fixed UTC offset of ${offsetMinutes} minutes`);
    }
  }
}
