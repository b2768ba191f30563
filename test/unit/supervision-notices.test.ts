import { describe, expect, it } from 'vitest';
import { noticeClockId } from '../../engine/case-clocks.js';
import type { CaseCommand } from '../../engine/operations/decide-command.js';
import { NOTICE_LADDER } from '../../engine/supervision-notice.js';
import { deadline } from '../../engine/time/deadline.js';
import { clockColour } from '../../engine/time/ladder-rungs.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { actor, WINDOW_CLERK } from './support/actors.js';
import { beijing, chinaWorkingCalendar } from './support/calendar.js';
import { CaseWorld } from './support/case-world.js';

/** Issue 12, 督办: a supervisor's notice on a case or a task, its own clock and ladder, answered or closed. */

const SUPERVISOR = actor('supervision', 'supervisor', 'supervisor');
const HOUSING_LEAD = actor('housing', 'lead');
const FIRE_HANDLER = actor('fire', 'handler');

/** A construction permit in joint review (housing leads; five reviews of 5 working days from Tuesday 3 November 2026). */
const inReview = () => {
  const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
  world.clock.set(beijing('2026-11-02T11:00'));
  world.complete('acceptance', 'approve');
  return world;
};

/** Issues a notice as the supervisor; returns its id. */
const issue = (world: CaseWorld, options: { taskKey?: string; days?: number; message?: string } = {}): string => {
  const taskId = options.taskKey === undefined ? undefined : world.openTask(options.taskKey).id;
  const result = world.execute({
    type: 'supervision-notice.issue',
    actor: SUPERVISOR,
    caseId: world.case.id,
    ...(taskId ? { taskId } : {}),
    message: options.message ?? '请说明该件办理进度及延误原因',
    responseWorkingDays: options.days ?? 3,
  });
  expect(result.noticeId).toEqual(expect.any(String));
  return result.noticeId!;
};

const noticeClock = (world: CaseWorld, id: string) => world.case.clocks.find((c) => c.id === noticeClockId(id));
const pendingOf = (world: CaseWorld, id: string) => world.pendingTimers().filter((t) => t.event['clock'] === noticeClockId(id));
const noticesSent = (world: CaseWorld, template: string) => world.notifications.filter((n) => n.template === template);

/** Everything a refused command could have changed. */
const footprint = (world: CaseWorld) =>
  structuredClone({ case: world.case, notices: [...world.notices.values()], timers: [...world.timers.values()], notifications: world.notifications, audit: world.audit.length });

describe('a supervision notice issued', () => {
  it('on the case: its lead department holds it, told; its own clock of the working days given, with the notice ladder; audited; the case version stays', () => {
    const world = inReview();
    const version = world.case.version;
    const id = issue(world, { days: 3 });

    const due = deadline(chinaWorkingCalendar, world.clock.now(), 3, world.case.countingRule).due;
    expect(world.notices.get(id)).toMatchObject({ caseId: world.case.id, taskId: null, departmentCode: 'housing', status: 'open', responseWorkingDays: 3, issuedBy: 'supervisor', dueAt: due });
    expect(noticeClock(world, id)).toMatchObject({ budgetWorkingDays: 3, ladder: NOTICE_LADDER, holder: 'housing', stoppedAt: null });
    // Only a rung timer: its red rung marks the due, and no `clock.expired` of a notice is sent into the process.
    expect(pendingOf(world, id).map((t) => t.kind)).toEqual(['clock.rung']);
    expect(noticesSent(world, 'supervision-notice.issued')).toEqual([
      expect.objectContaining({ audience: { departmentCode: 'housing' }, data: expect.objectContaining({ noticeId: id, responseWorkingDays: 3, dueAt: due.toISOString() }) }),
    ]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'supervision-notice.issued', actorId: 'supervisor', data: { noticeId: id, department: 'housing', responseWorkingDays: 3 } });
    expect(world.case.version).toBe(version);
  });

  it("on a task: the task's department holds it", () => {
    const world = inReview();
    const id = issue(world, { taskKey: 'review.fire' });
    expect(world.notices.get(id)).toMatchObject({ taskId: world.openTask('review.fire').id, departmentCode: 'fire' });
    expect(noticeClock(world, id)?.holder).toBe('fire');
    expect(noticesSent(world, 'supervision-notice.issued').map((n) => n.audience)).toEqual([{ departmentCode: 'fire' }]);
  });

  it('climbs its ladder: yellow with one working day left (the department told), red at the due (the department, its lead, the supervisors); the case keeps its own colour', () => {
    const world = inReview();
    const id = issue(world, { days: 3 }); // Monday 2 November, 11:00: counted days Tue 3, Wed 4, Thu 5
    const [yellow] = pendingOf(world, id);
    expect(yellow?.dueAt).toEqual(beijing('2026-11-04T00:00'));
    world.fire(yellow!);
    expect(clockColour(noticeClock(world, id)!)).toBe('yellow');
    expect(world.caseColour).toBe('green');
    expect(noticesSent(world, 'warning.reached').filter((n) => n.data['clock'] === noticeClockId(id))).toEqual([
      expect.objectContaining({ audience: { departmentCode: 'housing' }, data: expect.objectContaining({ rung: 'yellow', colour: 'yellow' }) }),
    ]);

    const [red] = pendingOf(world, id);
    expect(red?.dueAt).toEqual(world.notices.get(id)?.dueAt);
    world.fire(red!); // the reviews' yellow rungs (Thursday 00:00) fall due with it
    expect(clockColour(noticeClock(world, id)!)).toBe('red');
    // The reviews are yellow; the overdue notice is the notice's red, not the case's.
    expect(world.caseColour).toBe('yellow');
    const reds = noticesSent(world, 'warning.reached').filter((n) => n.data['clock'] === noticeClockId(id) && n.data['rung'] === 'red');
    expect(reds.map((n) => [n.audience, n.data['for'] ?? null])).toEqual([
      [{ departmentCode: 'housing' }, null],
      [{ departmentCode: 'housing' }, 'lead'],
      [{ supervisors: true }, null],
    ]);
    expect(pendingOf(world, id)).toEqual([]);
    expect(world.notices.get(id)?.status).toBe('open');
  });

  it("on another department's task, tells that department at its rungs, not the case's lead department", () => {
    const world = inReview();
    const id = issue(world, { taskKey: 'review.fire', days: 3 });
    const [yellow] = pendingOf(world, id);
    world.fire(yellow!);
    expect(noticesSent(world, 'warning.reached').filter((n) => n.data['clock'] === noticeClockId(id)).map((n) => n.audience)).toEqual([{ departmentCode: 'fire' }]);
  });

  it('runs on while the case waits: a special procedure does not pause it, and it cannot be extended', () => {
    const world = inReview();
    const id = issue(world);
    const [rung] = pendingOf(world, id);
    world.clock.set(beijing('2026-11-03T10:00'));
    world.execute({ type: 'special-procedure.start', actor: HOUSING_LEAD, caseId: world.case.id, kind: 'expert-review', notice: '专家评审' });
    expect(noticeClock(world, id)?.pauses).toEqual([]);
    expect(pendingOf(world, id)).toEqual([rung]);
    const before = footprint(world);
    const extend: CaseCommand = { type: 'clock.extend', actor: HOUSING_LEAD, caseId: world.case.id, clock: noticeClockId(id), workingDays: 2, reason: '请求延期', legalBasis: '第四十二条' };
    expect(() => world.execute(extend)).toThrow(expect.objectContaining({ code: 'TB-CLOCK-EXTENSION-REFUSED' }));
    expect(footprint(world)).toEqual(before);
  });
});

describe('a supervision notice answered or closed', () => {
  it("answered by the holding department: its clock stops, its rung timer is cancelled, the supervisors are told; audited; the case version stays", () => {
    const world = inReview();
    const id = issue(world, { taskKey: 'review.fire' });
    const [rung] = pendingOf(world, id);
    const version = world.case.version;
    world.clock.set(beijing('2026-11-03T15:00'));

    const result = world.execute({ type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: id, response: '  已安排现场核查，本周内办结  ' });

    expect(result).toMatchObject({ changed: true, version });
    expect(world.notices.get(id)).toMatchObject({ status: 'answered', response: '已安排现场核查，本周内办结', respondedBy: 'fire.handler', respondedAt: beijing('2026-11-03T15:00') });
    expect(noticeClock(world, id)?.stoppedAt).toBe(beijing('2026-11-03T15:00').toISOString());
    expect(world.timers.get(rung!.id)?.status).toBe('cancelled');
    expect(pendingOf(world, id)).toEqual([]);
    expect(noticesSent(world, 'supervision-notice.answered')).toEqual([
      expect.objectContaining({ audience: { supervisors: true }, data: expect.objectContaining({ noticeId: id, department: 'fire', late: false, response: '已安排现场核查，本周内办结' }) }),
    ]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'supervision-notice.answered', actorId: 'fire.handler', actingFor: 'fire', data: { noticeId: id, late: false } });
  });

  it('answered late: said so', () => {
    const world = inReview();
    const id = issue(world, { days: 1 });
    world.fire(pendingOf(world, id)[0]!);
    world.fire(pendingOf(world, id)[0]!); // red
    world.clock.set(beijing('2026-11-04T09:00'));
    world.execute({ type: 'supervision-notice.respond', actor: HOUSING_LEAD, noticeId: id, response: '已督促承办人' });
    expect(world.audit.at(-1)).toMatchObject({ type: 'supervision-notice.answered', data: { late: true } });
  });

  it('closed by a supervisor: its clock stops, its timer is cancelled, the department is told it need not answer; audited', () => {
    const world = inReview();
    const id = issue(world);
    const [rung] = pendingOf(world, id);
    world.execute({ type: 'supervision-notice.close', actor: SUPERVISOR, noticeId: id });
    expect(world.notices.get(id)).toMatchObject({ status: 'closed', closedBy: 'supervisor', closedAt: world.clock.now(), response: null });
    expect(noticeClock(world, id)?.stoppedAt).not.toBeNull();
    expect(world.timers.get(rung!.id)?.status).toBe('cancelled');
    expect(noticesSent(world, 'supervision-notice.closed').map((n) => n.audience)).toEqual([{ departmentCode: 'housing' }]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'supervision-notice.closed', actorId: 'supervisor' });
  });

  it('answered, then closed by a supervisor: settled, its answer kept; the department told it had answered; audited', () => {
    const world = inReview();
    const id = issue(world, { taskKey: 'review.fire' });
    world.execute({ type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: id, response: '已办理' });
    const stoppedAt = noticeClock(world, id)?.stoppedAt;
    world.clock.set(beijing('2026-11-04T09:00'));
    world.execute({ type: 'supervision-notice.close', actor: SUPERVISOR, noticeId: id });
    expect(world.notices.get(id)).toMatchObject({ status: 'closed', response: '已办理', respondedBy: 'fire.handler', closedBy: 'supervisor', closedAt: beijing('2026-11-04T09:00') });
    expect(noticeClock(world, id)?.stoppedAt).toBe(stoppedAt); // stopped by the answer, not again
    expect(noticesSent(world, 'supervision-notice.closed')).toEqual([
      expect.objectContaining({ audience: { departmentCode: 'fire' }, data: expect.objectContaining({ noticeId: id, answered: true, closedBy: 'supervisor' }) }),
    ]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'supervision-notice.closed', actorId: 'supervisor', data: { noticeId: id, answered: true } });
  });

  it('outlives its case: the decision stops its clock and timers, and it is still answered', () => {
    const world = inReview();
    const id = issue(world);
    world.complete('review.fire', 'reject');
    for (const d of ['planning', 'ecology', 'civil-air-defence', 'water']) world.complete(`review.${d}`, 'approve');
    world.complete('refusal', 'approve');
    expect(world.case.status).toBe('refused');
    expect(noticeClock(world, id)?.stoppedAt).not.toBeNull();
    expect(pendingOf(world, id)).toEqual([]);
    world.execute({ type: 'supervision-notice.respond', actor: HOUSING_LEAD, noticeId: id, response: '已办结' });
    expect(world.notices.get(id)?.status).toBe('answered');
  });
});

describe('refused, changing nothing', () => {
  const refusals: [string, (world: CaseWorld, id: string) => CaseCommand, string][] = [
    ['a handler issuing', (w) => ({ type: 'supervision-notice.issue', actor: FIRE_HANDLER, caseId: w.case.id, message: '督办', responseWorkingDays: 2 }), 'TB-PERMISSION'],
    ['an empty message', (w) => ({ type: 'supervision-notice.issue', actor: SUPERVISOR, caseId: w.case.id, message: '   ', responseWorkingDays: 2 }), 'TB-COMMAND-INVALID'],
    ['no working day to answer in', (w) => ({ type: 'supervision-notice.issue', actor: SUPERVISOR, caseId: w.case.id, message: '督办', responseWorkingDays: 0 }), 'TB-COMMAND-INVALID'],
    ['half a working day', (w) => ({ type: 'supervision-notice.issue', actor: SUPERVISOR, caseId: w.case.id, message: '督办', responseWorkingDays: 1.5 }), 'TB-COMMAND-INVALID'],
    ['a task that is closed', (w) => ({ type: 'supervision-notice.issue', actor: SUPERVISOR, caseId: w.case.id, taskId: [...w.tasks.values()].find((t) => t.key === 'acceptance')!.id, message: '督办', responseWorkingDays: 2 }), 'TB-TASK-STATE'],
    ['a supervisor answering', (_, id) => ({ type: 'supervision-notice.respond', actor: SUPERVISOR, noticeId: id, response: '答复' }), 'TB-PERMISSION'],
    ['another department of the case answering', (_, id) => ({ type: 'supervision-notice.respond', actor: actor('water', 'handler'), noticeId: id, response: '答复' }), 'TB-NOTICE-404'],
    ['a department outside the case answering', (_, id) => ({ type: 'supervision-notice.respond', actor: actor('market', 'lead'), noticeId: id, response: '答复' }), 'TB-NOTICE-404'],
    ['an empty response', (_, id) => ({ type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: id, response: ' ' }), 'TB-COMMAND-INVALID'],
    ['an unknown notice', () => ({ type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: '00000000-0000-4000-8000-000000000000', response: '答复' }), 'TB-NOTICE-404'],
    ['a handler closing', (_, id) => ({ type: 'supervision-notice.close', actor: FIRE_HANDLER, noticeId: id }), 'TB-PERMISSION'],
  ];

  it.each(refusals)('%s', (_, command, code) => {
    const world = inReview();
    const id = issue(world, { taskKey: 'review.fire' });
    const before = footprint(world);
    expect(() => world.execute(command(world, id))).toThrow(expect.objectContaining({ code }));
    expect(footprint(world)).toEqual(before);
  });

  it('an answered notice takes no other answer, a closed one nothing more (409)', () => {
    const world = inReview();
    const answered = issue(world, { taskKey: 'review.fire' });
    world.execute({ type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: answered, response: '已办理' });
    const closed = issue(world);
    world.execute({ type: 'supervision-notice.close', actor: SUPERVISOR, noticeId: closed });
    const before = footprint(world);
    for (const command of [
      { type: 'supervision-notice.respond', actor: FIRE_HANDLER, noticeId: answered, response: '再次答复' },
      { type: 'supervision-notice.respond', actor: HOUSING_LEAD, noticeId: closed, response: '答复' },
      { type: 'supervision-notice.close', actor: SUPERVISOR, noticeId: closed },
    ] satisfies CaseCommand[]) {
      expect(() => world.execute(command)).toThrow(expect.objectContaining({ code: 'TB-NOTICE-STATE', status: 409 }));
    }
    expect(footprint(world)).toEqual(before);
  });

  it('a case that has ended takes no new notice (409)', () => {
    const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
    world.complete('acceptance', 'reject', { by: WINDOW_CLERK });
    expect(world.case.status).not.toBe('running');
    const before = footprint(world);
    expect(() => issue(world)).toThrow(expect.objectContaining({ code: 'TB-CASE-CLOSED' }));
    expect(footprint(world)).toEqual(before);
  });
});
