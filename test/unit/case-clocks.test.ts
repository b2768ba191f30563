import { describe, expect, it } from 'vitest';
import { deadline } from '../../engine/time/deadline.js';
import { isCaseClock, PAUSE_NOTICES } from '../../engine/case-clocks.js';
import { clockStatus } from '../../engine/time/legal-clock.js';
import { epochDay } from '../../engine/time/local-date.js';
import { WorkingCalendar } from '../../engine/time/working-calendar.js';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { foodBusinessLicence, foodBusinessLicenceItem } from '../../workflows/food-business-licence.js';
import { beijing, chinaWorkingCalendar as cn, MONDAY_MORNING } from './support/calendar.js';
import { CaseWorld } from './support/case-world.js';
import { testCalendarData } from './support/fictional-calendar-year.js';

/** The case's clocks (issue 11): started with the case, paused while the applicant supplements (art. 32). */
describe("a case's clocks", () => {
  /** The case's own clocks (legal, committed) as read at `at`; the tasks' clocks are read with `taskClock`. */
  const caseClocks = (world: CaseWorld) => world.case.clocks.filter(isCaseClock);
  const statuses = (world: CaseWorld, at: Date) => caseClocks(world).map((c) => ({ id: c.id, ...clockStatus(c, cn, at) }));

  it('start with the case: legal and committed, on its counting rule, extensible as its item allows (joint: +15 once; single department: +10 once)', () => {
    const permit = CaseWorld.start(constructionPermit);
    expect(caseClocks(permit).map((c) => [c.id, c.budgetWorkingDays, c.extensionPolicy, c.start, c.rule])).toEqual([
      ['legal', constructionPermitItem.legalLimitDays, { maxWorkingDays: 15, maxTimes: 1 }, MONDAY_MORNING.toISOString(), constructionPermitItem.countingRule],
      ['committed', constructionPermitItem.committedLimitDays, { maxWorkingDays: 15, maxTimes: 1 }, MONDAY_MORNING.toISOString(), constructionPermitItem.countingRule],
    ]);
    expect(statuses(permit, MONDAY_MORNING).map((s) => [s.id, s.state, s.remaining])).toEqual([['legal', 'running', 15], ['committed', 'running', 10]]);
    // The committed clock is due when the case's own deadline is.
    expect(statuses(permit, MONDAY_MORNING)[1]?.due?.due).toEqual(permit.case.dueAt);

    const food = CaseWorld.start(foodBusinessLicence);
    expect(caseClocks(food).map((c) => [c.id, c.budgetWorkingDays, c.extensionPolicy])).toEqual([
      ['legal', foodBusinessLicenceItem.legalLimitDays, { maxWorkingDays: 10, maxTimes: 1 }],
      ['committed', foodBusinessLicenceItem.committedLimitDays, { maxWorkingDays: 10, maxTimes: 1 }],
    ]);
  });

  it('a construction permit returned for supplement pauses both clocks (reason supplement); submitting the supplement resumes them', () => {
    const world = CaseWorld.start(constructionPermit);
    world.clock.advance({ hours: 2 });
    world.complete('acceptance', 'return');
    expect(world.lastCommit?.effects.filter((e) => e.type === 'case.clocks')).toHaveLength(1);
    expect(statuses(world, world.clock.now()).map((s) => [s.id, s.state, s.due])).toEqual([['legal', 'paused', null], ['committed', 'paused', null]]);
    expect(caseClocks(world).map((c) => c.pauses.map((p) => [p.reason.kind, p.until]))).toEqual([[['supplement', null]], [['supplement', null]]]);
    // The applicant's written notice says why (art. 32), not a placeholder.
    expect(caseClocks(world)[0]?.pauses[0]?.reason.text).toBe(PAUSE_NOTICES.supplement);

    world.clock.advance({ days: 1 });
    world.submitSupplement();
    expect(statuses(world, world.clock.now()).map((s) => [s.id, s.state])).toEqual([['legal', 'running'], ['committed', 'running']]);
    expect(caseClocks(world).every((c) => c.pauses.length === 1 && c.pauses[0]?.until === world.clock.now().toISOString())).toBe(true);
  });

  it('accepted without a supplement, the clocks never pause', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    expect(world.case.clocks.every((c) => c.pauses.length === 0)).toBe(true);
    expect(statuses(world, world.clock.now()).map((s) => s.state)).toEqual(['running', 'running']);
  });

  it('across National Day 2026: returned on 29 Sep, supplemented on 9 Oct, each due date moves by exactly the 3 working days paused (30 Sep, 8 and 9 Oct)', () => {
    const start = beijing('2026-09-21T10:00');
    const world = CaseWorld.start(constructionPermit, { now: start });
    const before = statuses(world, start);

    world.clock.set(beijing('2026-09-29T10:00'));
    world.complete('acceptance', 'return');
    world.clock.set(beijing('2026-10-09T10:00'));
    world.submitSupplement();

    const after = statuses(world, world.clock.now());
    for (const [i, clock] of caseClocks(world).entries()) {
      const moved = deadline(cn, start, clock.budgetWorkingDays + 3, clock.rule);
      expect(after[i]).toMatchObject({ state: 'running', pauses: [{ reason: { kind: 'supplement' }, workingDaysNotCounted: 3 }] });
      expect(after[i]?.due?.derivation).toMatchObject({ pausedWorkingDays: 3, dueDate: moved.derivation.dueDate });
      expect(after[i]?.due?.due).toEqual(moved.due);
      expect(before[i]?.due?.derivation.dueDate).toBe(deadline(cn, start, clock.budgetWorkingDays, clock.rule).derivation.dueDate);
    }
    expect(after.map((s) => s.due?.derivation.dueDate)).not.toEqual(before.map((s) => s.due?.derivation.dueDate));
  });

  describe('the case deadline follows the committed clock', () => {
    const caseDeadlines = (world: CaseWorld) => [...world.timers.values()].filter((t) => t.kind === 'case.deadline');
    const pendingCaseDeadlines = (world: CaseWorld) => world.pendingTimers().filter((t) => t.kind === 'case.deadline');

    it('returned for supplement across National Day 2026: the case.deadline timer is cancelled at the pause; after the resume the dueAt and a new timer are exactly 3 working days later', () => {
      const start = beijing('2026-09-21T10:00');
      const budget = constructionPermitItem.committedLimitDays;
      const unpaused = deadline(cn, start, budget, constructionPermitItem.countingRule);
      const world = CaseWorld.start(constructionPermit, { now: start });
      const [original] = caseDeadlines(world);
      expect(original).toMatchObject({ sendId: 'case.deadline', status: 'pending', dueAt: unpaused.due });
      expect(world.case.dueAt).toEqual(unpaused.due);

      world.clock.set(beijing('2026-09-29T10:00'));
      world.complete('acceptance', 'return');
      expect(world.lastCommit?.effects).toContainEqual({ type: 'timer.cancel', match: { sendId: 'case.deadline' } });
      expect(world.timers.get(original!.id)?.status).toBe('cancelled');
      expect(pendingCaseDeadlines(world)).toEqual([]);
      expect(world.case.dueAt).toEqual(unpaused.due); // the last known due, while the clock says paused
      expect(clockStatus(world.case.clocks[1]!, cn, world.clock.now()).state).toBe('paused');

      world.clock.set(beijing('2026-10-09T10:00'));
      world.submitSupplement();
      const moved = deadline(cn, start, budget + 3, constructionPermitItem.countingRule);
      const [renewed, ...others] = pendingCaseDeadlines(world);
      expect(others).toEqual([]);
      expect(renewed).toMatchObject({ sendId: 'case.deadline', taskId: null, event: { type: 'case.deadline.elapsed' }, dueAt: moved.due });
      expect(renewed?.id).not.toBe(original?.id);
      expect(world.case.dueAt).toEqual(moved.due);
      expect(world.case.dueDerivation).toMatchObject({ dueDate: moved.derivation.dueDate, budgetWorkingDays: budget, pausedWorkingDays: 3 });
      expect(world.case.dueAt).toEqual(clockStatus(world.case.clocks[1]!, cn, world.clock.now()).due?.due);
      expect(cn.workingDaysBetween(epochDay(unpaused.derivation.dueDate), epochDay(moved.derivation.dueDate))).toBe(3);
    });

    it('a case never paused keeps its original case.deadline timer and dueAt', () => {
      const world = CaseWorld.start(constructionPermit);
      const [original] = caseDeadlines(world);
      const dueAt = world.case.dueAt;
      world.complete('acceptance', 'approve');
      expect(caseDeadlines(world)).toEqual([original]);
      expect(pendingCaseDeadlines(world)).toEqual([original]);
      expect(world.case.dueAt).toEqual(dueAt);
      expect(world.lastCommit?.effects.some((e) => e.type === 'timer.cancel' && 'sendId' in e.match && e.match.sendId === 'case.deadline')).toBe(false);
    });

    it('the recompute walk after a calendar import recounts the case deadline on the committed clock, its days paused counted again on the new data', () => {
      const without2027 = new WorkingCalendar(testCalendarData(false));
      const with2027 = new WorkingCalendar(testCalendarData(true));
      const start = beijing('2026-12-28T10:00');
      const rule = constructionPermitItem.countingRule;
      const budget = constructionPermitItem.committedLimitDays;
      const world = CaseWorld.start(constructionPermit, { now: start, calendar: without2027 });
      world.clock.set(beijing('2026-12-31T10:00'));
      world.complete('acceptance', 'return');
      world.clock.set(beijing('2027-01-05T10:00'));
      world.submitSupplement(); // on the estimate, 4 and 5 January are not counted (1 January is off)
      const before = clockStatus(world.case.clocks[1]!, without2027, world.clock.now());
      expect(before.due?.derivation).toMatchObject({ pausedWorkingDays: 2, provisional: true });
      expect(world.case.dueAt).toEqual(before.due?.due);

      world.calendar = with2027; // the fictional 2027 has Monday 4 January off: the pause spans one working day
      world.clock.advance({ minutes: 1 });
      world.execute({ type: 'deadlines.recompute', caseId: world.case.id });

      const recounted = clockStatus(world.case.clocks[1]!, with2027, world.clock.now()).due;
      expect(recounted?.derivation).toMatchObject({ pausedWorkingDays: 1, provisional: false, calendarVersion: with2027.version });
      expect(recounted?.due).toEqual(deadline(with2027, start, budget + 1, rule).due);
      // Not the recount of the derivation kept at the resume (budget + 2 paused days on the estimate).
      expect(recounted?.due).not.toEqual(deadline(with2027, start, budget + 2, rule).due);
      expect(world.case.dueAt).toEqual(recounted?.due);
      expect(world.case.dueDerivation).toMatchObject({ dueDate: recounted?.derivation.dueDate, pausedWorkingDays: 1 });
      expect(pendingCaseDeadlines(world).map((t) => [t.dueAt, t.dueDerivation?.dueDate])).toEqual([[recounted?.due, recounted?.derivation.dueDate]]);
    });
  });
});
