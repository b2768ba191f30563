import { describe, expect, it } from 'vitest';
import { beijing, chinaWorkingCalendar as cn } from '../../test/unit/support/calendar.js';
import { ClockExtensionRefusedError, ClockStateError, EngineError, InvalidTimeLimitError } from '../errors.js';
import { DEFAULT_COUNTING_RULE } from './counting-rule.js';
import { deadline } from './deadline.js';
import { clockStatus, extendClock, PAUSE_REASONS, pauseClock, resumeClock, startClock, STATUTORY_UNCOUNTED, stopClock, type LegalClock } from './legal-clock.js';
import { epochDay } from './local-date.js';

/** A clock of `days` working days started at a Beijing local time; art. 42 ¶1: extensible once by 10. */
const clockOf = (start: string, days = 20, extensionPolicy = { maxWorkingDays: 10, maxTimes: 1 }) =>
  startClock(cn, { id: 'case-1/legal', budgetWorkingDays: days, start: beijing(start), rule: DEFAULT_COUNTING_RULE, extensionPolicy, uncounted: PAUSE_REASONS, ladder: [] });
const supplement = { kind: 'supplement', text: '补正通知：消防设计文件' } as const;
const pause = (clock: LegalClock, at: string) => pauseClock(clock, cn, beijing(at), supplement);
const resume = (clock: LegalClock, at: string) => resumeClock(clock, cn, beijing(at));
const status = (clock: LegalClock, at: string) => clockStatus(clock, cn, beijing(at));
const dueDate = (clock: LegalClock, at: string) => status(clock, at).due?.derivation.dueDate;
const extension = (workingDays: number, at: string) => ({ workingDays, approver: 'head-of-bureau', reason: '现场核查未完成', legalBasis: '行政许可法第四十二条第一款', at: beijing(at) });
/** What a command threw: code and status of an engine error, or 'accepted'. */
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof EngineError ? { name: error.name, code: error.code, status: error.status } : error;
  }
  return 'accepted';
};

describe('a supplement across National Day 2026 (Mid-Autumn 25–27 Sep, National Day 1–7 Oct off; Sat 10 Oct works)', () => {
  // 20 working days received Monday 21 September: day 1 is the 22nd; unpaused, day 20 is Monday 26 October.
  const started = clockOf('2026-09-21T10:00');
  const paused = pause(started, '2026-09-29T10:00');
  const resumed = resume(paused, '2026-10-09T15:00');

  it('counts the day the notice is served, and nothing while paused', () => {
    expect(dueDate(started, '2026-09-21T10:00')).toBe('2026-10-26');
    expect(status(paused, '2026-09-29T10:00')).toMatchObject({ state: 'paused', consumed: 5, remaining: 15, due: null }); // 22, 23, 24, 28, 29 Sep
    expect(status(paused, '2026-10-20T10:00')).toMatchObject({ state: 'paused', consumed: 5, remaining: 15, due: null });
  });

  it('moves the due date by exactly the working days paused: 30 Sep, 8 and 9 Oct', () => {
    const paused = cn.workingDaysBetween(epochDay('2026-09-29'), epochDay('2026-10-09'));
    expect([paused, cn.workingDaysBetween(epochDay('2026-09-30'), epochDay('2026-10-09')), cn.workingDaysBetween(epochDay('2026-10-09'), epochDay('2026-09-29'))]).toEqual([3, 2, 0]);
    const { due } = status(resumed, '2026-10-09T15:00');
    expect(due?.derivation).toMatchObject({ dueDate: '2026-10-29', workingDays: 23, budgetWorkingDays: 20, extensionWorkingDays: 0, pausedWorkingDays: 3, receivedOn: '2026-09-21', provisional: false });
    expect(due?.due).toEqual(deadline(cn, beijing('2026-09-21T10:00'), 20 + paused, DEFAULT_COUNTING_RULE).due);
    expect(due?.due).toEqual(beijing('2026-10-30T00:00'));
  });

  it('resumes on the make-up Saturday 10 October with the remaining budget', () => {
    expect(status(resumed, '2026-10-09T15:00')).toMatchObject({ state: 'running', consumed: 5, remaining: 15 });
    expect(status(resumed, '2026-10-10T09:00')).toMatchObject({ consumed: 6, remaining: 14 });
    expect(status(resumed, '2026-10-12T09:00')).toMatchObject({ consumed: 7, remaining: 13 });
    expect(status(resumed, '2026-10-12T09:00').pauses).toEqual([{ from: '2026-09-29T02:00:00.000Z', until: '2026-10-09T07:00:00.000Z', reason: supplement, workingDaysNotCounted: 3 }]);
  });
});

describe('pauses that cost nothing', () => {
  const started = clockOf('2026-11-02T10:00', 10); // Monday; day 10 is Monday 16 November

  it('a pause begun and ended on one day, whatever the hours', () => {
    for (const until of ['2026-11-04T10:01', '2026-11-04T16:59', '2026-11-04T23:59']) {
      expect(dueDate(resume(pause(started, '2026-11-04T10:00'), until), until)).toBe('2026-11-16');
    }
  });

  it('a pause over Spring Festival 2026 (15–23 February), begun on the make-up Saturday 14 February', () => {
    const clock = clockOf('2026-02-09T10:00', 10); // Monday; 10, 11, 12, 13, Sat 14, 24, 25, 26, 27, Sat 28
    expect(dueDate(clock, '2026-02-09T10:00')).toBe('2026-02-28');
    const overHoliday = resume(pause(clock, '2026-02-14T11:00'), '2026-02-23T16:00');
    expect(status(overHoliday, '2026-02-24T09:00')).toMatchObject({ consumed: 6, remaining: 4, due: { derivation: { dueDate: '2026-02-28', pausedWorkingDays: 0 } } });
    // Begun a day earlier it keeps the make-up Saturday from the count: one working day.
    expect(dueDate(resume(pause(clock, '2026-02-13T11:00'), '2026-02-23T16:00'), '2026-02-24T09:00')).toBe('2026-03-02');
  });

  it('a pause on the day of receipt (art. 32: the supplement asked on the spot) consumes nothing', () => {
    const clock = resume(pause(started, '2026-11-02T10:30'), '2026-11-03T10:00');
    expect(status(clock, '2026-11-03T10:00')).toMatchObject({ consumed: 0, remaining: 10, due: { derivation: { dueDate: '2026-11-17', pausedWorkingDays: 1 } } });
  });
});

describe('extensions (延期, art. 42): at most what the service item allows, once unless it says otherwise', () => {
  const started = clockOf('2026-11-02T10:00', 10);

  it('adds the working days granted', () => {
    const extended = extendClock(started, cn, extension(10, '2026-11-12T10:00'));
    expect(status(extended, '2026-11-12T10:00')).toMatchObject({ extensionWorkingDays: 10, consumed: 8, remaining: 12, due: { derivation: { dueDate: '2026-11-30', extensionWorkingDays: 10 } } });
    expect(extended.extensions).toEqual([{ workingDays: 10, approver: 'head-of-bureau', reason: '现场核查未完成', legalBasis: '行政许可法第四十二条第一款', at: '2026-11-12T02:00:00.000Z' }]);
  });

  it('refuses more than the maximum, and a second extension, with 409 and nothing changed', () => {
    const before = JSON.stringify(started);
    expect(refusal(() => extendClock(started, cn, extension(11, '2026-11-12T10:00')))).toEqual({ name: 'ClockExtensionRefusedError', code: 'TB-CLOCK-EXTENSION-REFUSED', status: 409 });
    expect(JSON.stringify(started)).toBe(before);
    const once = extendClock(started, cn, extension(5, '2026-11-12T10:00'));
    expect(refusal(() => extendClock(once, cn, extension(5, '2026-11-13T10:00')))).toMatchObject({ code: 'TB-CLOCK-EXTENSION-REFUSED' });
  });

  it('allows several while their total stays within the maximum when the item says so', () => {
    const twice = clockOf('2026-11-02T10:00', 10, { maxWorkingDays: 15, maxTimes: 2 });
    const first = extendClock(twice, cn, extension(10, '2026-11-05T10:00'));
    expect(() => extendClock(first, cn, extension(6, '2026-11-06T10:00'))).toThrow(ClockExtensionRefusedError);
    expect(status(extendClock(first, cn, extension(5, '2026-11-06T10:00')), '2026-11-06T10:00').extensionWorkingDays).toBe(15);
  });

  it('extends a paused clock, even one paused on its last day, which then has days to resume with', () => {
    const lastDay = pause(started, '2026-11-16T10:00');
    expect(status(lastDay, '2026-11-16T10:00')).toMatchObject({ consumed: 10, remaining: 0 });
    expect(status(resume(lastDay, '2026-11-20T10:00'), '2026-11-20T10:00')).toMatchObject({ state: 'expired', due: { derivation: { dueDate: '2026-11-16', pausedWorkingDays: 0 } } });
    const extended = resume(extendClock(lastDay, cn, extension(2, '2026-11-18T10:00')), '2026-11-20T10:00');
    expect(status(extended, '2026-11-20T10:00')).toMatchObject({ state: 'running', consumed: 10, remaining: 2, due: { derivation: { dueDate: '2026-11-24', pausedWorkingDays: 4 } } });
  });

  it('refuses an extension of no whole working days, or without a reason', () => {
    expect(refusal(() => extendClock(started, cn, extension(0, '2026-11-12T10:00')))).toMatchObject({ code: 'TB-TIME-LIMIT-INVALID' });
    expect(refusal(() => extendClock(started, cn, { ...extension(2, '2026-11-12T10:00'), reason: ' ' }))).toMatchObject({ code: 'TB-COMMAND-INVALID' });
  });
});

describe('state, expiry and stopping', () => {
  const started = clockOf('2026-11-02T10:00', 10);

  it('expires at the end of its last working day', () => {
    expect(status(started, '2026-11-16T23:59')).toMatchObject({ state: 'running', consumed: 10, remaining: 0 });
    expect(status(started, '2026-11-17T00:00')).toMatchObject({ state: 'expired', consumed: 10, remaining: 0 });
  });

  it('freezes the count when stopped', () => {
    const stopped = stopClock(started, beijing('2026-11-05T11:00'));
    expect(status(stopped, '2026-12-30T10:00')).toMatchObject({ state: 'stopped', consumed: 3, remaining: 7, due: { derivation: { dueDate: '2026-11-16' } } });
    expect(status(stopClock(pause(started, '2026-11-04T10:00'), beijing('2026-11-09T10:00')), '2026-12-01T10:00')).toMatchObject({ state: 'stopped', consumed: 2, due: null });
  });

  it.each([
    ['pausing a paused clock', () => pause(pause(started, '2026-11-03T10:00'), '2026-11-04T10:00')],
    ['resuming a running clock', () => resume(started, '2026-11-04T10:00')],
    ['pausing an expired clock', () => pause(started, '2026-11-17T10:00')],
    ['extending an expired clock', () => extendClock(started, cn, extension(1, '2026-11-17T10:00'))],
    ['resuming a stopped clock', () => resume(stopClock(pause(started, '2026-11-03T10:00'), beijing('2026-11-04T10:00')), '2026-11-05T10:00')],
    ['stopping a stopped clock', () => stopClock(stopClock(started, beijing('2026-11-04T10:00')), beijing('2026-11-05T10:00'))],
  ])('refuses %s (409)', (_, run) => {
    expect(refusal(run)).toEqual({ name: ClockStateError.name, code: 'TB-CLOCK-STATE', status: 409 });
  });

  it('refuses an entry earlier than the last one, an unknown pause reason and another calendar', () => {
    expect(refusal(() => resume(pause(started, '2026-11-04T10:00'), '2026-11-04T09:59'))).toMatchObject({ code: 'TB-TIME-LIMIT-INVALID' });
    expect(refusal(() => stopClock(started, beijing('2026-11-02T09:00')))).toMatchObject({ code: 'TB-TIME-LIMIT-INVALID' });
    expect(refusal(() => pauseClock(started, cn, beijing('2026-11-04T10:00'), { kind: 'lunch' as 'other', text: '' }))).toMatchObject({ code: 'TB-COMMAND-INVALID' });
    expect(() => clockStatus({ ...started, calendarCode: 'xz' }, cn, beijing('2026-11-04T10:00'))).toThrow(InvalidTimeLimitError);
  });
});

describe('what the law leaves out of the count', () => {
  const statutory = startClock(cn, { id: 'legal', budgetWorkingDays: 20, start: beijing('2026-11-02T10:00'), rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 10, maxTimes: 1 }, uncounted: STATUTORY_UNCOUNTED, ladder: [] });

  it('pauses for a supplement and the procedures of art. 45, and refuses a public notice its item does not leave out (409, nothing changed)', () => {
    for (const kind of ['supplement', 'hearing', 'tender', 'testing', 'expert-review'] as const) {
      expect(pauseClock(statutory, cn, beijing('2026-11-04T10:00'), { kind, text: '' }).pauses).toHaveLength(1);
    }
    expect(refusal(() => pauseClock(statutory, cn, beijing('2026-11-04T10:00'), { kind: 'public-notice', text: '公示' }))).toEqual({ name: 'ClockPauseRefusedError', code: 'TB-CLOCK-PAUSE-REFUSED', status: 409 });
    expect(statutory.pauses).toEqual([]);
  });

  it('a clock stored before the list was kept pauses for every reason', () => {
    const { uncounted: _, ...stored } = statutory;
    expect(pauseClock(stored, cn, beijing('2026-11-04T10:00'), { kind: 'public-notice', text: '公示' }).pauses).toHaveLength(1);
  });

  it('refuses a list naming an unknown reason', () => {
    expect(refusal(() => startClock(cn, { ...statutory, start: beijing('2026-11-02T10:00'), uncounted: ['lunch' as 'other'], ladder: [] }))).toMatchObject({ code: 'TB-TIME-LIMIT-INVALID' });
  });
});

describe('the stored form', () => {
  it('restores from JSON and continues as if it had never stopped', () => {
    const steps = [
      (c: LegalClock) => pause(c, '2026-09-29T10:00'),
      (c: LegalClock) => resume(c, '2026-10-09T15:00'),
      (c: LegalClock) => extendClock(c, cn, extension(10, '2026-10-20T10:00')),
      (c: LegalClock) => pauseClock(c, cn, beijing('2026-10-22T10:00'), { kind: 'expert-review', text: '专家评审 10 个工作日' }),
      (c: LegalClock) => resume(c, '2026-11-05T10:00'),
    ];
    const live = steps.reduce((c, step) => step(c), clockOf('2026-09-21T10:00'));
    const restored = steps.reduce((c, step) => step(JSON.parse(JSON.stringify(c)) as LegalClock), clockOf('2026-09-21T10:00'));
    expect(restored).toEqual(live);
    expect(status(restored, '2026-11-06T10:00')).toEqual(status(live, '2026-11-06T10:00'));
    expect(status(live, '2026-11-06T10:00').due?.derivation).toMatchObject({ budgetWorkingDays: 20, extensionWorkingDays: 10, pausedWorkingDays: 13 });
  });
});

describe('past the horizon (2026-12-31)', () => {
  it('is provisional while its count reaches the statutory estimate', () => {
    const clock = clockOf('2026-12-15T10:00', 20);
    expect(status(clock, '2026-12-15T10:00')).toMatchObject({ provisional: true, due: { derivation: { dueDate: '2027-01-13', provisional: true, horizon: '2026-12-31' } } });
    expect(status(pause(clock, '2026-12-16T10:00'), '2026-12-20T10:00')).toMatchObject({ state: 'paused', provisional: false });
    expect(status(pause(clock, '2027-01-05T10:00'), '2027-01-06T10:00')).toMatchObject({ state: 'paused', provisional: true });
  });
});
