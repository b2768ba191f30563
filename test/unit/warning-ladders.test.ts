import { describe, expect, it } from 'vitest';
import type { CaseCommand } from '../../engine/operations/decide-command.js';
import { caseId } from '../../engine/ids.js';
import { clockColour } from '../../engine/time/ladder-rungs.js';
import { pendingRungs } from '../../engine/time/ladder-rungs.js';
import { WorkingCalendar } from '../../engine/time/working-calendar.js';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { definitionProblems } from '../../engine/definitions/definition-validation.js';
import { DEFAULT_LADDER } from '../../engine/time/ladder.js';
import { testCalendarData } from './support/fictional-calendar-year.js';
import { actor } from './support/actors.js';
import { beijing } from './support/calendar.js';
import { CaseWorld } from './support/case-world.js';

/** Issue 12, ladders: the rungs of a case's clocks reached through the engine, once each. */

const LEAD = actor('housing', 'lead');
/** A construction permit in joint review: five reviews of 5 working days from Tuesday 3 November 2026. */
const inReview = () => {
  const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
  world.clock.set(beijing('2026-11-02T11:00'));
  world.complete('acceptance', 'approve');
  return world;
};
const rungTimerOf = (world: CaseWorld, clock: string) => world.pendingTimers().filter((t) => t.kind === 'clock.rung' && t.event['clock'] === clock);
const clockOf = (world: CaseWorld, id: string) => world.case.clocks.find((c) => c.id === id)!;

describe('a review climbing its ladder', () => {
  it('turns yellow at the midnight beginning its 3rd counted day, once: its department told, task and case yellow', () => {
    const world = inReview();
    const [timer, ...more] = rungTimerOf(world, 'task:review.fire');
    expect(more).toEqual([]);
    // 5 working days from Mon 2 Nov: 2 left after day 3 (Thursday 5 November) begins.
    expect(timer?.dueAt).toEqual(beijing('2026-11-05T00:00'));
    world.fire(timer!);
    const fire = world.openTask('review.fire');
    expect(world.warnings.get(fire.id)).toBe('yellow');
    expect(world.caseColour).toBe('yellow');
    expect(world.notifications.filter((n) => n.template === 'warning.reached' && n.data['taskId'] === fire.id)).toEqual([
      expect.objectContaining({ audience: { departmentCode: 'fire' }, data: expect.objectContaining({ clock: 'task:review.fire', rung: 'yellow', colour: 'yellow' }) }),
    ]);
    // The five reviews' rung timers fell due together and fired in one command, each with its audit event.
    expect(world.audit.filter((a) => a.type === 'warning.reached' && a.data['clock'] === 'task:review.fire')).toEqual([
      expect.objectContaining({ actorId: 'system', data: expect.objectContaining({ rungs: ['yellow'], colour: 'yellow' }) }),
    ]);
    // The next rung waits at the due; delivered again, the fired timer changes nothing.
    expect(rungTimerOf(world, 'task:review.fire').map((t) => t.dueAt)).toEqual([fire.dueAt]);
    expect(world.decide({ type: 'timer.fire', timerId: timer!.id }).commit).toBeNull();
  });

  it('climbs nothing while an expert review pauses it, and goes on from where it was after', () => {
    const world = inReview();
    world.clock.set(beijing('2026-11-04T10:00'));
    const start: CaseCommand = { type: 'special-procedure.start', actor: LEAD, caseId: caseId(world.case.id), kind: 'expert-review', notice: '专家评审' };
    world.execute(start);
    expect(rungTimerOf(world, 'task:review.fire')).toEqual([]);
    world.clock.set(beijing('2026-11-09T10:00'));
    world.execute({ type: 'special-procedure.end', actor: LEAD, caseId: caseId(world.case.id), kind: 'expert-review' });
    // 5, 6 and 9 November not counted: yellow moves from the 5th to the 10th.
    expect(rungTimerOf(world, 'task:review.fire').map((t) => t.dueAt)).toEqual([beijing('2026-11-10T00:00')]);
  });

  it('an extension granted while yellow takes the colour off again, and says so', () => {
    const world = inReview();
    world.fire(rungTimerOf(world, 'task:review.fire')[0]!);
    world.clock.set(beijing('2026-11-05T09:00'));
    world.execute({ type: 'clock.extend', actor: LEAD, caseId: caseId(world.case.id), clock: 'task:review.fire', workingDays: 3, reason: '补充检测', legalBasis: '第四十二条' });
    const fire = world.openTask('review.fire');
    expect(clockColour(clockOf(world, 'task:review.fire'))).toBe('green');
    expect(world.warnings.get(fire.id)).toBe('green');
    // The four other reviews, yellow since the same midnight, keep the case yellow.
    expect(world.caseColour).toBe('yellow');
    expect(world.audit.at(-1)).toMatchObject({ type: 'clock.extended', data: { cleared: ['yellow'] } });
    // Yellow waits again: 8 working days, 2 left after day 6 (Tuesday 10 November) begins.
    expect(rungTimerOf(world, 'task:review.fire').map((t) => t.dueAt)).toEqual([beijing('2026-11-10T00:00')]);
  });

  it('one late review makes the case red while its own limits are on time (环节超时)', () => {
    const world = inReview();
    const fire = world.openTask('review.fire');
    world.clock.set(fire.dueAt);
    world.fire(rungTimerOf(world, 'task:review.fire')[0]!);
    expect(world.warnings.get(fire.id)).toBe('red');
    expect(clockColour(clockOf(world, 'committed'))).toBe('green');
    expect(world.caseColour).toBe('red');
    // The review done, the case is as late as its clocks still counting.
    for (const d of ['planning', 'ecology', 'fire', 'civil-air-defence', 'water']) world.complete(`review.${d}`, 'approve');
    expect(world.caseColour).toBe('green');
  });

  it('a clock stored before ladders climbs none: its task turns red at the deadline as before', () => {
    const world = inReview();
    // As stored before issue 12: no ladder, no warnings, and no rung timer (an urge writes the case row back).
    const fire = world.openTask('review.fire');
    world.caseClocks = world.case.clocks.map(({ ladder: _, warnings: __, ...c }) => c);
    world.execute({ type: 'task.urge', actor: LEAD, taskId: fire.id, message: '请加快' });
    expect(world.case.clocks.every((c) => c.ladder === undefined)).toBe(true);
    for (const t of world.pendingTimers().filter((x) => x.kind === 'clock.rung')) world.timers.set(t.id, { ...t, status: 'cancelled' });
    world.fire(world.pendingTimers().find((t) => t.kind === 'task.deadline' && t.taskId === fire.id)!);
    expect(world.warnings.get(fire.id)).toBe('red');
    expect(world.notifications.map((n) => n.template)).toEqual(expect.arrayContaining(['task.overdue', 'escalation.overdue']));
  });

  it('a calendar import moves the rung timers with the days it takes off (the recompute walk)', () => {
    const without2027 = new WorkingCalendar(testCalendarData(false));
    const with2027 = new WorkingCalendar(testCalendarData(true));
    // Received Monday 28 December 2026: the committed 10 days run into January, where the fictional 2027 has Monday 4 off.
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-12-28T10:00'), calendar: without2027 });
    const [before] = rungTimerOf(world, 'committed');
    expect(before?.dueAt).toEqual(pendingRungs(clockOf(world, 'committed'), without2027, world.clock.now())[0]?.at);
    world.calendar = with2027;
    world.clock.advance({ minutes: 1 });
    world.execute({ type: 'deadlines.recompute', caseId: world.case.id });
    const [after, ...more] = rungTimerOf(world, 'committed');
    expect(more).toEqual([]);
    expect(after?.dueAt).toEqual(pendingRungs(clockOf(world, 'committed'), with2027, world.clock.now())[0]?.at);
    expect(with2027.workingDaysBetween(with2027.localDay(before!.dueAt), with2027.localDay(after!.dueAt))).toBe(1);
    expect(world.timers.get(before!.id)?.status).toBe('cancelled');
  });
});

describe('视为同意: a step deemed decided on a rung of the service item’s ladder', () => {
  const TACIT_BASIS = '《工程建设项目审批制度改革实施办法》：逾期未回复视为同意 (test basis)';
  const tacitItem = {
    ...constructionPermitItem,
    ladder: DEFAULT_LADDER.map((r) => (r.name === 'red' ? { ...r, tacit: { outcome: 'approve' as const, legalBasis: TACIT_BASIS } } : r)),
  };
  const inTacitReview = () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00'), serviceItem: tacitItem });
    world.clock.set(beijing('2026-11-02T11:00'));
    world.complete('acceptance', 'approve');
    for (const d of ['planning', 'ecology', 'civil-air-defence', 'water']) world.complete(`review.${d}`, 'approve');
    return world;
  };

  it('a review not answered by its due is deemed approved: completed by the system, the opinion says why, the case moves on', () => {
    const world = inTacitReview();
    const fire = world.openTask('review.fire');
    world.clock.set(fire.dueAt);
    world.fire(rungTimerOf(world, 'task:review.fire')[0]!);
    expect(world.tasks.get(fire.id)).toMatchObject({ status: 'completed', outcome: 'approve' });
    expect(world.opinions.filter((o) => o.taskId === fire.id)).toEqual([
      expect.objectContaining({ authorId: 'system', outcome: 'approve', visibility: 'internal', text: expect.stringContaining(TACIT_BASIS) }),
    ]);
    expect(world.audit.find((a) => a.type === 'task.deemed-approved')).toMatchObject({ actorId: 'system', data: { task: 'review.fire', outcome: 'approve', legalBasis: TACIT_BASIS, rungs: ['yellow', 'red'] } });
    expect(world.case.stateLabel).toBe('jointDecision');
    // Its clock stopped with it and no rung timer is left for the task.
    expect(clockOf(world, 'task:review.fire').stoppedAt).not.toBeNull();
    expect(world.pendingTimers().filter((t) => t.taskId === fire.id)).toEqual([]);
  });

  it('not a decision task: the lead signs the joint decision itself, late or not', () => {
    const world = inTacitReview();
    world.complete('review.fire', 'approve');
    const decision = world.openTask('decision');
    world.clock.set(decision.dueAt);
    world.fire(rungTimerOf(world, 'task:decision')[0]!);
    expect(world.tasks.get(decision.id)?.status).toBe('open');
    expect(world.warnings.get(decision.id)).toBe('red');
  });

  it('a definition cannot grant it: a task ladder with a tacit rung is refused at publish', () => {
    const machine = { ...constructionPermit.machine, states: { only: { entry: [{ type: 'openTask', params: { task: 't', kind: 'review', title: 'T', department: 'fire', workingDays: 2, ladder: tacitItem.ladder } }] } } };
    expect(definitionProblems(machine).map((p) => `${p.path}: ${p.problem}`).join('\n')).toMatch(/ladder.*has no param tacit/);
  });
});

describe('reminders through the engine', () => {
  it('a yellow review is reminded 8 working hours later; a worker back after days tells only the latest reminder', () => {
    const reminding = { ...constructionPermitItem, ladder: DEFAULT_LADDER.map((r) => (r.name === 'yellow' ? { ...r, remind: { times: 2, everyWorkingHours: 8 } } : r)) };
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00'), serviceItem: reminding });
    world.clock.set(beijing('2026-11-02T11:00'));
    world.complete('acceptance', 'approve');
    const fire = world.openTask('review.fire');
    world.fire(rungTimerOf(world, 'task:review.fire')[0]!); // yellow, at midnight beginning Thursday 5 November
    const next = rungTimerOf(world, 'task:review.fire')[0]!;
    expect(next.dueAt).toEqual(beijing('2026-11-05T17:00')); // 8 working hours from the 09:00 opening
    // Fired late, on Monday 9 (both reminders due, and red not yet): one reminder is told, both are kept.
    world.clock.set(beijing('2026-11-09T10:00'));
    world.fire(next);
    const reminders = world.notifications.filter((n) => n.template === 'warning.reminder' && n.data['taskId'] === fire.id);
    expect(reminders.map((n) => n.data['reminder'])).toEqual([2]);
    expect(world.case.clocks.find((c) => c.id === 'task:review.fire')?.warnings?.map((w) => w.rung)).toEqual(['yellow', 'yellow#1', 'yellow#2']);
  });
});
