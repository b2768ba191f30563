import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { clearRungs, clockColour, ledgerName, pendingRungs, reachRungs } from './ladder-rungs.js';
import { DEFAULT_LADDER, validateLadder, worstColour, type Ladder } from './ladder.js';
import { clockStatus, extendClock, pauseClock, PAUSE_REASONS, resumeClock, startClock, stopClock, type LegalClock } from './legal-clock.js';

/** The default ladder whose yellow reminds twice, a working day (8 working hours, 09:00–17:00) apart. */
const REMINDING: Ladder = DEFAULT_LADDER.map((r) => (r.name === 'yellow' ? { ...r, remind: { times: 2, everyWorkingHours: 8 } } : r));
const clockOf = (start: string, days: number, ladder: Ladder = DEFAULT_LADDER) =>
  startClock(cn, { id: 'task:review', budgetWorkingDays: days, start: beijing(start), rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 10, maxTimes: 1 }, uncounted: PAUSE_REASONS, ladder });
const placed = (clock: LegalClock, at: string) => pendingRungs(clock, cn, beijing(at)).map((p) => [p.rung.name, p.at.toISOString()]);
const midnight = (date: string) => beijing(`${date}T00:00`).toISOString();

describe('the default ladder on a clock of 10 working days received Monday 2 November 2026', () => {
  // Day 1 is Tuesday 3 November; day 8 Thursday 12; day 10 (the due) Monday 16; 3 working days later, Thursday 19.
  const clock = clockOf('2026-11-02T10:00', 10);

  it('places yellow at the midnight beginning day 8 (2 left, 80 % consumed), red at the due, red+3 three working days after', () => {
    expect(placed(clock, '2026-11-02T10:00')).toEqual([
      ['yellow', midnight('2026-11-12')],
      ['red', midnight('2026-11-17')],
      ['red+3', midnight('2026-11-20')],
    ]);
  });

  it('reaches each rung once, when it is due, and colours the clock with the highest', () => {
    const early = reachRungs(clock, cn, beijing('2026-11-11T23:59'));
    expect(early.reached).toEqual([]);
    const yellow = reachRungs(clock, cn, beijing('2026-11-12T00:00'));
    expect(yellow.reached.map((r) => r.rung.name)).toEqual(['yellow']);
    expect(clockColour(yellow.clock)).toBe('yellow');
    expect(reachRungs(yellow.clock, cn, beijing('2026-11-12T09:00')).reached).toEqual([]);
    // A worker that was down for a week reaches what fell due meanwhile, in order, once.
    const late = reachRungs(yellow.clock, cn, beijing('2026-11-25T09:00'));
    expect(late.reached.map((r) => r.rung.name)).toEqual(['red', 'red+3']);
    expect(clockColour(late.clock)).toBe('red');
    expect(pendingRungs(late.clock, cn, beijing('2026-11-25T09:00'))).toEqual([]);
  });

  it('climbs nothing while paused, and moves what is left by the working days paused', () => {
    // Paused Thursday 5 November (day 3, counted) to Tuesday 10: Friday 6, Monday 9 and Tuesday 10 not counted.
    const paused = pauseClock(clock, cn, beijing('2026-11-05T10:00'), { kind: 'expert-review', text: '专家评审' });
    expect(placed(paused, '2026-11-06T10:00')).toEqual([]);
    const resumed = resumeClock(paused, cn, beijing('2026-11-10T16:00'));
    expect(placed(resumed, '2026-11-10T16:00')).toEqual([
      ['yellow', midnight('2026-11-17')],
      ['red', midnight('2026-11-20')],
      ['red+3', midnight('2026-11-25')],
    ]);
  });

  it('climbs nothing once stopped', () => {
    expect(placed(stopClock(clock, beijing('2026-11-05T10:00')), '2026-11-20T10:00')).toEqual([]);
  });

  it('an extension (granted before the due, art. 42) that moves the clock back before a rung reached takes it off', () => {
    const yellow = reachRungs(clock, cn, beijing('2026-11-12T09:00')).clock;
    expect(clockColour(yellow)).toBe('yellow');
    const extended = extendClock(yellow, cn, { workingDays: 2, approver: 'lead', reason: '现场核查', legalBasis: '第四十二条', at: beijing('2026-11-12T09:00') });
    const { clock: settled, cleared } = clearRungs(extended, cn, beijing('2026-11-12T09:00'));
    // 12 working days: 2 left from day 10 (Monday 16), due Wednesday 18.
    expect(cleared.map((r) => r.name)).toEqual(['yellow']);
    expect(clockColour(settled)).toBe('green');
    expect(placed(settled, '2026-11-12T09:00')).toEqual([
      ['yellow', midnight('2026-11-16')],
      ['red', midnight('2026-11-19')],
      ['red+3', midnight('2026-11-24')],
    ]);
    // Still past it (a short extension): it stays reached.
    const short = extendClock(reachRungs(clock, cn, beijing('2026-11-13T09:00')).clock, cn, { workingDays: 1, approver: 'lead', reason: '现场核查', legalBasis: '第四十二条', at: beijing('2026-11-13T09:00') });
    expect(clearRungs(short, cn, beijing('2026-11-13T09:00')).cleared).toEqual([]);
  });
});

describe('rungs before the due', () => {
  it('are never reached on the day of receipt: a 1-day step is yellow when its day begins', () => {
    expect(placed(clockOf('2026-11-02T10:00', 1), '2026-11-02T10:00')[0]).toEqual(['yellow', midnight('2026-11-03')]);
  });

  it('a rung the clock moved past while nobody looked is due at once', () => {
    const resumedLate = resumeClock(pauseClock(clockOf('2026-11-02T10:00', 10), cn, beijing('2026-11-12T10:00'), { kind: 'testing', text: '检测' }), cn, beijing('2026-11-13T10:00'));
    expect(placed(resumedLate, '2026-11-13T10:00')[0]).toEqual(['yellow', beijing('2026-11-13T10:00').toISOString()]);
  });
});

describe('ladders', () => {
  it('refuses a rung named twice, without triggers, or with days that are not whole', () => {
    const rung = DEFAULT_LADDER[0]!;
    expect(() => validateLadder([rung, rung])).toThrow(/named twice/);
    expect(() => validateLadder([{ ...rung, when: [] }])).toThrow(/no trigger/);
    expect(() => validateLadder([{ ...rung, when: [{ remainingWorkingDays: 1.5 }] }])).toThrow(/whole number/);
    expect(() => validateLadder([{ ...rung, when: [{ consumedPercent: 0 }] }])).toThrow(/whole number from 1/);
    expect(validateLadder(DEFAULT_LADDER)).toBe(DEFAULT_LADDER);
  });

  it('a case is as late as its latest clock', () => {
    expect(worstColour([])).toBe('green');
    expect(worstColour(['green', 'red', 'yellow'])).toBe('red');
  });
});

describe('reminders', () => {
  it('come at most the times asked, every so many working hours after the rung was reached', () => {
    // Yellow at midnight beginning Thursday 12 November: 8 working hours from the 09:00 opening, 17:00; 8 more, Friday 17:00.
    const clock = clockOf('2026-11-02T10:00', 10, REMINDING);
    expect(placed(clock, '2026-11-02T10:00').slice(0, 3)).toEqual([
      ['yellow', midnight('2026-11-12')],
      ['yellow', beijing('2026-11-12T17:00').toISOString()],
      ['yellow', beijing('2026-11-13T17:00').toISOString()],
    ]);
    const yellow = reachRungs(clock, cn, beijing('2026-11-12T00:00')).clock;
    // A worker down over the weekend reaches both reminders at once (they count from when yellow was reached).
    const reached = reachRungs(yellow, cn, beijing('2026-11-16T09:00'));
    expect(reached.reached.map((r) => ledgerName(r.rung, r.reminder))).toEqual(['yellow#1', 'yellow#2']);
    expect(clockColour(reached.clock)).toBe('yellow');
    expect(pendingRungs(reached.clock, cn, beijing('2026-11-16T09:00')).map((p) => ledgerName(p.rung, p.reminder))).toEqual(['red', 'red+3']);
  });
});

describe('for any budget, start and pause', () => {
  const starts = fc.date({ min: beijing('2025-01-02T00:00'), max: beijing('2026-10-31T00:00'), noInvalidDate: true });

  it('reaches every rung exactly once, never before its instant, and yellow before red before red+3', () => {
    fc.assert(
      fc.property(starts, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10 }), (start, days, pauseAfterDays, pauseDays) => {
        let clock = startClock(cn, { id: 'c', budgetWorkingDays: days, start, rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 0, maxTimes: 0 }, uncounted: PAUSE_REASONS, ladder: REMINDING });
        const reachedAt = new Map<string, number>();
        const pauseAt = start.getTime() + pauseAfterDays * 86_400_000;
        const resumeAt = pauseAt + pauseDays * 86_400_000;
        for (let t = start.getTime(); t <= start.getTime() + 90 * 86_400_000; t += 6 * 3_600_000) {
          const now = new Date(t);
          if (pauseDays > 0 && t >= pauseAt && clock.pauses.length === 0 && clockStatus(clock, cn, now).state === 'running') {
            clock = pauseClock(clock, cn, now, { kind: 'testing', text: '' });
          }
          if (clock.pauses.at(-1)?.until === null && t >= resumeAt) clock = resumeClock(clock, cn, now);
          const pending = pendingRungs(clock, cn, now);
          const step = reachRungs(clock, cn, now);
          for (const occurrence of step.reached) {
            const name = ledgerName(occurrence.rung, occurrence.reminder);
            expect(reachedAt.has(name)).toBe(false);
            expect(pending.find((p) => ledgerName(p.rung, p.reminder) === name)!.at.getTime()).toBeLessThanOrEqual(t);
            reachedAt.set(name, t);
          }
          clock = step.clock;
        }
        expect([...reachedAt.keys()].sort()).toEqual(['red', 'red+3', 'yellow', 'yellow#1', 'yellow#2']);
        expect(reachedAt.get('yellow')!).toBeLessThanOrEqual(reachedAt.get('red')!);
        expect(reachedAt.get('yellow')!).toBeLessThan(reachedAt.get('yellow#1')!);
        // Reminders due while the clock was paused come together when it resumes (told once: reach-rungs.ts).
        expect(reachedAt.get('yellow#1')!).toBeLessThanOrEqual(reachedAt.get('yellow#2')!);
        expect(reachedAt.get('red')!).toBeLessThanOrEqual(reachedAt.get('red+3')!);
      }),
      { numRuns: 60 },
    );
    // 60 clocks walked over 90 days each: under 2 s alone, several times that on a machine busy with other suites.
  }, 20_000);
});

describe('rungs reached together', () => {
  it('go on the ledger in the ladder’s order, whatever instants they were placed at', () => {
    // Fired long after the due: yellow (moved past, placed at now) and red (at the due) are reached at once.
    const late = reachRungs(clockOf('2026-11-02T10:00', 10), cn, beijing('2026-11-18T09:00'));
    expect(late.clock.warnings?.map((w) => w.rung)).toEqual(['yellow', 'red']);
  });
});
