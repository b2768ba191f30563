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
}

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
  const known = parsed.get(rule.cutOffLocalTime);
  if (known !== undefined) return known;
  const match = HH_MM.exec(rule.cutOffLocalTime);
  if (!match) throw new InvalidTimeLimitError(`The cut-off time must be written HH:MM (00:00–23:59), not ${JSON.stringify(rule.cutOffLocalTime)}`, ['rule', 'cutOffLocalTime']);
  const ms = (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  parsed.set(rule.cutOffLocalTime, ms);
  return ms;
}

/** The cut-offs met so far: at most 1,440 of them, and the deadline is computed per task, on the hot path. */
const parsed = new Map<string, number>();
