import { InvalidTimeLimitError } from '../errors.js';

/**
 * How a service item counts its working days, stored with the item. Receipt on a working day before the
 * cut-off time counts that day as the day of receipt; receipt at or after it, or on a day off, counts as
 * received on the next working day. Day 1 is the first working day after the day of receipt (行政许可法
 * art. 82: limits in working days; the day of receipt is not counted, as 民法典 art. 201 counts a period
 * from the next day), and the limit ends with the end of the Nth working day, local time.
 */
export interface CountingRule {
  /** Local time `HH:MM` from which a receipt counts as received on the next working day (window closing time). */
  readonly cutOffLocalTime: string;
  /**
   * Local time `HH:MM` the window opens (`OPENING_LOCAL_TIME` when absent): with the cut-off, the working hours
   * of a working day, in which reminders are counted (`working-hours.ts`).
   */
  readonly openingLocalTime?: string | undefined;
}

/** 09:00 local: the usual opening time of a government-service window. */
export const OPENING_LOCAL_TIME = '09:00';

/** 17:00 local: the usual closing time of a government-service window. */
export const DEFAULT_COUNTING_RULE: CountingRule = Object.freeze({ cutOffLocalTime: '17:00' });

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The cut-off as milliseconds after local midnight.
 *
 * @example
 * cutOffMs({ cutOffLocalTime: '17:00' }); // 61_200_000
 */
export function cutOffMs(rule: CountingRule): number {
  return localTimeMs(rule.cutOffLocalTime, 'cutOffLocalTime');
}

/**
 * The opening as milliseconds after local midnight; refused when it is not before the cut-off.
 *
 * @example
 * openingMs({ cutOffLocalTime: '17:00' }); // 32_400_000 (09:00)
 */
export function openingMs(rule: CountingRule): number {
  const opening = localTimeMs(rule.openingLocalTime ?? OPENING_LOCAL_TIME, 'openingLocalTime');
  if (opening >= cutOffMs(rule)) throw new InvalidTimeLimitError(`The window must open (${rule.openingLocalTime ?? OPENING_LOCAL_TIME}) before its cut-off (${rule.cutOffLocalTime})`, ['rule', 'openingLocalTime']);
  return opening;
}

function localTimeMs(text: string, field: string): number {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const match = HH_MM.exec(text);
  if (!match) throw new InvalidTimeLimitError(`The ${field === 'cutOffLocalTime' ? 'cut-off' : 'opening'} time must be written HH:MM (00:00–23:59), not ${JSON.stringify(text)}`, ['rule', field]);
  const ms = (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  parsed.set(text, ms);
  return ms;
}

/** The local times met so far: at most 1,440 of them, and the deadline is computed per task, on the hot path. */
const parsed = new Map<string, number>();
