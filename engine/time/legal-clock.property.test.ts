import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { ClockExtensionRefusedError, ClockStateError } from '../errors.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { deadline } from './deadline.js';
import { clockStatus, extendClock, pauseClock, PAUSE_REASONS, resumeClock, startClock, stopClock, type LegalClock } from './legal-clock.js';
import { epochDay, isoDateOf } from './local-date.js';

const MINUTE = 60_000;
/** A start in 2026, the last year of official data, so that counts often run past the horizon. */
const start = fc.tuple(fc.integer({ min: epochDay('2026-01-01'), max: epochDay('2026-12-31') }), fc.integer({ min: 0, max: 24 * 60 - 1 })).map(([day, minute]) => new Date(beijing(`${isoDateOf(day)}T00:00`).getTime() + minute * MINUTE));
const budget = fc.integer({ min: 1, max: 60 });
/** A command some minutes to some weeks after the one before, often the same day. */
const op = fc.record({
  kind: fc.constantFrom('pause', 'resume', 'resume', 'extend', 'stop'),
  after: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 30 * 24 * 60 })),
  workingDays: fc.integer({ min: 1, max: 10 }),
  reason: fc.constantFrom(...PAUSE_REASONS),
});
const ops = fc.array(op, { maxLength: 12 });
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

const clockOf = (at: Date, days: number) => startClock(cn, { id: 'c', budgetWorkingDays: days, start: at, rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 15, maxTimes: 2 }, uncounted: PAUSE_REASONS, ladder: [] });

/** Applies a command at `at`; one the clock's state or policy refuses leaves it as it was. */
function apply(clock: LegalClock, { kind, workingDays, reason }: Op, at: Date): LegalClock {
  try {
    if (kind === 'pause') return pauseClock(clock, cn, at, { kind: reason, text: reason });
    if (kind === 'resume') return resumeClock(clock, cn, at);
    if (kind === 'extend') return extendClock(clock, cn, { workingDays, approver: 'head', reason: 'r', legalBasis: 'art. 42', at });
    return stopClock(clock, at);
  } catch (error) {
    if (error instanceof ClockStateError || error instanceof ClockExtensionRefusedError) return clock;
    throw error;
  }
}

/** Every clock the commands make, with the instant each was written; `store` passes each through JSON first. */
function run(begin: Date, days: number, commands: readonly Op[], store = (c: LegalClock) => c) {
  const steps = [{ clock: clockOf(begin, days), at: begin }];
  for (const command of commands) {
    const last = steps.at(-1) as (typeof steps)[number];
    const at = new Date(last.at.getTime() + command.after * MINUTE);
    steps.push({ clock: apply(store(last.clock), command, at), at });
  }
  return steps;
}

/** Working days counted through `now`, one day at a time: after the day of receipt, outside every pause's (from, until]. */
function countedByHand(clock: LegalClock, now: Date): number {
  const total = clock.budgetWorkingDays + clock.extensions.reduce((n, e) => n + e.workingDays, 0);
  const received = epochDay(deadline(cn, new Date(clock.start), 1, clock.rule).derivation.receivedOn);
  const end = Math.min(cn.localDay(now), clock.stoppedAt === null ? Infinity : cn.localDay(new Date(clock.stoppedAt)));
  let counted = 0;
  for (let day = received + 1; day <= end && counted < total; day++) {
    const paused = clock.pauses.some((p) => day > cn.localDay(new Date(p.from)) && (p.until === null || day <= cn.localDay(new Date(p.until))));
    if (cn.isWorkingDay(isoDateOf(day)) && !paused) counted += 1;
  }
  return counted;
}

describe('a legal clock, for any start, budget and commands', () => {
  it('keeps consumed + remaining = budget + extensions at every step, consuming as a day-by-day count does', () => {
    fc.assert(
      fc.property(start, budget, ops, fc.integer({ min: 0, max: 20 * 24 * 60 }), (begin, days, commands, later) => {
        for (const { clock, at } of run(begin, days, commands)) {
          for (const now of [at, new Date(at.getTime() + later * MINUTE)]) {
            const s = clockStatus(clock, cn, now);
            expect(s.consumed + s.remaining).toBe(s.budget + s.extensionWorkingDays);
            expect(s.remaining).toBeGreaterThanOrEqual(0);
            expect(s.consumed).toBe(countedByHand(clock, now));
          }
        }
      }),
    );
  });

  it('costs nothing to pause from a working day to the end of a run of days off (a holiday week, a weekend)', () => {
    fc.assert(
      fc.property(start, budget, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 600 }), (begin, days, offset, minute) => {
        // The first day off at least `offset` days after the start, and the last of its run.
        let off = cn.localDay(begin) + offset;
        while (cn.isWorkingDay(isoDateOf(off))) off += 1;
        let lastOff = off;
        while (!cn.isWorkingDay(isoDateOf(lastOff + 1))) lastOff += 1;
        const from = new Date(beijing(`${isoDateOf(off - 1)}T00:00`).getTime() + minute * MINUTE); // may be the start's day, or before it
        const clock = clockOf(begin, days);
        const unpaused = clockStatus(clock, cn, begin).due;
        fc.pre(from >= begin && from < (unpaused?.due ?? begin));
        const resumed = resumeClock(pauseClock(clock, cn, from, { kind: 'public-notice', text: '' }), cn, beijing(`${isoDateOf(lastOff)}T23:00`));
        expect(clockStatus(resumed, cn, beijing(`${isoDateOf(lastOff)}T23:00`)).due?.due).toEqual(unpaused?.due);
      }),
    );
  });

  it('never moves the due date earlier for its pauses, in whatever order the commands come', () => {
    fc.assert(
      fc.property(start, budget, ops, (begin, days, commands) => {
        const { clock, at } = run(begin, days, commands).at(-1) as { clock: LegalClock; at: Date };
        const paused = clockStatus(clock, cn, at).due;
        const unpaused = clockStatus({ ...clock, pauses: [] }, cn, at).due;
        if (paused === null) return;
        expect(paused.due.getTime()).toBeGreaterThanOrEqual(unpaused?.due.getTime() ?? Infinity);
        expect(paused.derivation.pausedWorkingDays).toBe(clockStatus(clock, cn, at).pauses.reduce((n, p) => n + p.workingDaysNotCounted, 0));
      }),
    );
  });

  it('continues from its stored form as if it had never stopped', () => {
    fc.assert(
      fc.property(start, budget, ops, (begin, days, commands) => {
        const live = run(begin, days, commands);
        const restored = run(begin, days, commands, (c) => JSON.parse(JSON.stringify(c)) as LegalClock);
        expect(restored.map((s) => s.clock)).toEqual(live.map((s) => s.clock));
        const { clock, at } = live.at(-1) as (typeof live)[number];
        expect(clockStatus(JSON.parse(JSON.stringify(clock)) as LegalClock, cn, at)).toEqual(clockStatus(clock, cn, at));
      }),
    );
  });
});
