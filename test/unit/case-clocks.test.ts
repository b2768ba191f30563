import { describe, expect, it } from 'vitest';
import { deadline } from '../../engine/time/deadline.js';
import { clockStatus } from '../../engine/time/legal-clock.js';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { foodBusinessLicence, foodBusinessLicenceItem } from '../../workflows/food-business-licence.js';
import { beijing, chinaWorkingCalendar as cn, MONDAY_MORNING } from './support/calendar.js';
import { CaseWorld } from './support/case-world.js';

/** The case's clocks (issue 11): started with the case, paused while the applicant supplements (art. 32). */
describe("a case's clocks", () => {
  const statuses = (world: CaseWorld, at: Date) => world.case.clocks.map((c) => ({ id: c.id, ...clockStatus(c, cn, at) }));

  it('start with the case: legal and committed, on its counting rule, extensible as its item allows (joint: +15 once; single department: +10 once)', () => {
    const permit = CaseWorld.start(constructionPermit);
    expect(permit.case.clocks.map((c) => [c.id, c.budgetWorkingDays, c.extensionPolicy, c.start, c.rule])).toEqual([
      ['legal', constructionPermitItem.legalLimitDays, { maxWorkingDays: 15, maxTimes: 1 }, MONDAY_MORNING.toISOString(), constructionPermitItem.countingRule],
      ['committed', constructionPermitItem.committedLimitDays, { maxWorkingDays: 15, maxTimes: 1 }, MONDAY_MORNING.toISOString(), constructionPermitItem.countingRule],
    ]);
    expect(statuses(permit, MONDAY_MORNING).map((s) => [s.id, s.state, s.remaining])).toEqual([['legal', 'running', 15], ['committed', 'running', 10]]);
    // The committed clock is due when the case's own deadline is.
    expect(statuses(permit, MONDAY_MORNING)[1]?.due?.due).toEqual(permit.case.dueAt);

    const food = CaseWorld.start(foodBusinessLicence);
    expect(food.case.clocks.map((c) => [c.id, c.budgetWorkingDays, c.extensionPolicy])).toEqual([
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
    expect(world.case.clocks.map((c) => c.pauses.map((p) => [p.reason.kind, p.until]))).toEqual([[['supplement', null]], [['supplement', null]]]);

    world.clock.advance({ days: 1 });
    world.submitSupplement();
    expect(statuses(world, world.clock.now()).map((s) => [s.id, s.state])).toEqual([['legal', 'running'], ['committed', 'running']]);
    expect(world.case.clocks.every((c) => c.pauses.length === 1 && c.pauses[0]?.until === world.clock.now().toISOString())).toBe(true);
  });

  it('accepted without a supplement, the clocks never pause', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    expect(world.case.clocks.every((c) => c.pauses.length === 0)).toBe(true);
    expect(world.lastCommit?.effects.some((e) => e.type === 'case.clocks')).toBe(false);
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
    for (const [i, clock] of world.case.clocks.entries()) {
      const moved = deadline(cn, start, clock.budgetWorkingDays + 3, clock.rule);
      expect(after[i]).toMatchObject({ state: 'running', pauses: [{ reason: { kind: 'supplement' }, workingDaysNotCounted: 3 }] });
      expect(after[i]?.due?.derivation).toMatchObject({ pausedWorkingDays: 3, dueDate: moved.derivation.dueDate });
      expect(after[i]?.due?.due).toEqual(moved.due);
      expect(before[i]?.due?.derivation.dueDate).toBe(deadline(cn, start, clock.budgetWorkingDays, clock.rule).derivation.dueDate);
    }
    expect(after.map((s) => s.due?.derivation.dueDate)).not.toEqual(before.map((s) => s.due?.derivation.dueDate));
  });
});
