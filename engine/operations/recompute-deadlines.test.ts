import { describe, expect, it } from 'vitest';
import { beijing } from '../../test/unit/support/calendar.js';
import { CaseWorld, serviceItemOf } from '../../test/unit/support/case-world.js';
import { testCalendarData } from '../../test/unit/support/fictional-calendar-year.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import { WorkingCalendar } from '../time/working-calendar.js';
import type { RecountedDeadline } from './recompute-deadlines.js';

const before2027 = new WorkingCalendar(testCalendarData(false));
const with2027 = new WorkingCalendar(testCalendarData(true));
const item = { ...serviceItemOf(foodBusinessLicence), calendarCode: 'test-cn', committedLimitDays: 20 };

/** A food licence received on Thursday 31 December 2026, 09:00, counted on the test calendar without 2027. */
function lastDayOf2026(): CaseWorld {
  return CaseWorld.start(foodBusinessLicence, { now: beijing('2026-12-31T09:00'), calendar: before2027, serviceItem: item });
}

/** The case after the fictional 2027 is imported: its commands now count on the new data. */
function afterImport(world: CaseWorld): CaseWorld {
  world.calendar = with2027;
  return world;
}

describe('deadlines.recompute', () => {
  it('estimates New Year 2027 past the horizon and marks the due dates provisional', () => {
    const world = lastDayOf2026();
    const acceptance = world.openTask('acceptance');

    // Day 1 after receipt on 31 December: 1 January is New Year's Day (estimated), so Monday 4 January.
    expect(acceptance.dueDerivation).toMatchObject({ receivedOn: '2026-12-31', dueDate: '2027-01-04', provisional: true, horizon: '2026-12-31' });
    expect(acceptance.dueAt).toEqual(beijing('2027-01-05T00:00'));
    expect(world.case.dueDerivation).toMatchObject({ workingDays: 20, provisional: true, calendarVersion: before2027.version });
  });

  it('moves every deadline the import changes, with its timer, and audits old and new due date', () => {
    const world = afterImport(lastDayOf2026());
    const acceptance = world.openTask('acceptance');
    const caseDueBefore = world.case.dueAt;

    const result = world.execute({ type: 'deadlines.recompute', caseId: world.case.id });

    expect(result).toMatchObject({ changed: true, version: 1 }); // due dates move; what a handler acts on does not
    const moved = world.tasks.get(acceptance.id);
    expect(moved?.dueDerivation).toMatchObject({ dueDate: '2027-01-05', provisional: false, calendarVersion: with2027.version });
    expect(moved?.dueAt).toEqual(beijing('2027-01-06T00:00'));
    const deadlineTimer = world.pendingTimers().find((t) => t.taskId === acceptance.id);
    expect(deadlineTimer?.dueAt).toEqual(beijing('2027-01-06T00:00'));
    // 20 working days: Friday 29 January on the estimate; with 4 January off the 20th is Monday 1 February.
    expect(caseDueBefore).toEqual(beijing('2027-01-30T00:00'));
    expect(world.case.dueAt).toEqual(beijing('2027-02-02T00:00'));
    expect(world.case.dueDerivation).toMatchObject({ dueDate: '2027-02-01', provisional: false });
    expect(world.pendingTimers().find((t) => t.kind === 'case.deadline')?.dueAt).toEqual(world.case.dueAt);

    const event = world.audit.at(-1);
    expect(event?.type).toBe('deadline.recomputed');
    const listed = event?.data['deadlines'] as RecountedDeadline[];
    expect(listed.map((d) => d.what).sort()).toEqual(['case', 'case.deadline', 'clock.deadline', 'task', 'task.deadline']);
    expect(listed.find((d) => d.what === 'task')).toEqual({
      what: 'task',
      id: acceptance.id,
      old: { dueAt: beijing('2027-01-05T00:00').toISOString(), dueDate: '2027-01-04', provisional: true },
      new: { dueAt: beijing('2027-01-06T00:00').toISOString(), dueDate: '2027-01-05', provisional: false },
      moved: true,
      reason: `calendar test-cn data ${before2027.version} → ${with2027.version}`,
    });
  });

  it('updates the derivation of a deadline the import leaves where it was, and says it did not move', () => {
    // Received Monday 14 December: the acceptance task is due Tuesday 15, far from 2027.
    const world = CaseWorld.start(foodBusinessLicence, { now: beijing('2026-12-14T09:00'), calendar: before2027, serviceItem: item });
    const acceptance = world.openTask('acceptance');
    const recounted = afterImport(world);

    recounted.execute({ type: 'deadlines.recompute', caseId: world.case.id });

    expect(recounted.tasks.get(acceptance.id)).toMatchObject({ dueAt: acceptance.dueAt, dueDerivation: { calendarVersion: with2027.version } });
    const listed = recounted.audit.at(-1)?.data['deadlines'] as RecountedDeadline[];
    expect(listed.find((d) => d.id === acceptance.id)).toMatchObject({ moved: false, old: { provisional: false }, new: { provisional: false } });
    // 20 working days from 14 December reach January 2027: 12 January on the estimate, 13 January with 4 January off.
    expect(listed.find((d) => d.what === 'case')).toMatchObject({ moved: true, old: { dueDate: '2027-01-12', provisional: true }, new: { dueDate: '2027-01-13', provisional: false } });
  });

  it('changes nothing when every deadline was counted on the current data', () => {
    const world = lastDayOf2026();
    expect(world.decide({ type: 'deadlines.recompute', caseId: world.case.id })).toMatchObject({ commit: null, result: { changed: false } });

    const recounted = afterImport(world);
    recounted.execute({ type: 'deadlines.recompute', caseId: world.case.id });
    expect(recounted.decide({ type: 'deadlines.recompute', caseId: world.case.id }).commit).toBeNull();
  });
});
