import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { CONSTRUCTION_PERMIT_REVIEWS, constructionPermit } from '../../workflows/construction-permit.js';
import type { Actor } from '../access/actor.js';
import { CaseClosedError, CaseNotFoundError, CaseStatusChangeError, CaseSuspendedError, ForbiddenError, PermissionDeniedError } from '../errors.js';
import { departmentCode, userId } from '../ids.js';
import type { CaseCommand } from './decide-command.js';

const HOUSING_LEAD = actor('housing', 'lead');
const FIRE_LEAD = actor('fire', 'lead');
const FIRE_HANDLER = actor('fire', 'handler');
const SUPERVISOR = actor('supervision', 'supervisor');
const WINDOW = actor('window', 'intake_clerk');

const REASON = '申请人涉及的行政诉讼尚未审结 A lawsuit about the applicant is pending';
const BASIS = '《某省行政审批条例》第二十条 Provincial regulation art. 20';

const suspend = (world: CaseWorld, by: Actor = HOUSING_LEAD): CaseCommand => ({ type: 'case.suspend', actor: by, caseId: world.case.id, reason: REASON, legalBasis: BASIS });
const resume = (world: CaseWorld, by: Actor = HOUSING_LEAD): CaseCommand => ({ type: 'case.resume', actor: by, caseId: world.case.id, reason: '诉讼已审结 The lawsuit ended' });
const terminate = (world: CaseWorld, by: Actor = HOUSING_LEAD): CaseCommand => ({ type: 'case.terminate', actor: by, caseId: world.case.id, reason: '申请人已注销 The applicant was dissolved', legalBasis: BASIS });

/** A construction permit in its joint review: the case's limits and five reviews' clocks counting. */
function inJointReview(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
}

/** Working days later, 10:00 Beijing time (the world starts on a Monday morning; no holiday in that week and the next). */
const daysLater = (world: CaseWorld, days: number) => world.clock.set(new Date(world.clock.now().getTime() + days * 86_400_000));

describe('suspending a case (中止)', () => {
  it('pauses every clock still counting, cancels their timers, tells the applicant and the departments holding its tasks, and is audited', () => {
    const world = inJointReview();
    world.execute(suspend(world));
    expect(world.case.status).toBe('suspended');
    const counting = world.case.clocks.filter((c) => c.stoppedAt === null);
    expect(counting.map((c) => c.id)).toEqual(['legal', 'committed', ...CONSTRUCTION_PERMIT_REVIEWS.map((r) => `task:review.${r.department}`)]);
    for (const clock of counting) {
      expect(world.readClock(clock.id)?.state, clock.id).toBe('paused');
      expect(clock.pauses.at(-1)?.reason).toEqual({ kind: 'suspension', text: `${REASON}（${BASIS}）` });
    }
    // The clocks' deadline and rung timers went with the pause: nothing of the case falls due while it waits.
    expect(world.pendingTimers()).toEqual([]);
    const told = world.lastCommit?.effects.flatMap((e) => (e.type === 'notification.send' ? [e.notification] : [])) ?? [];
    expect(told.map((n) => n.audience)).toEqual([{ applicant: true }, ...CONSTRUCTION_PERMIT_REVIEWS.map((r) => ({ departmentCode: r.department }))]);
    expect(told.every((n) => n.template === 'case.suspended')).toBe(true);
    expect(world.audit.at(-1)).toMatchObject({ type: 'case.suspended', actorId: HOUSING_LEAD.userId, data: { reason: REASON, legalBasis: BASIS, status: 'suspended' } });
  });

  it('refuses every other command on the case until it resumes — claims, completions, transfers, extensions, procedures, supplements — and changes nothing', () => {
    const world = inJointReview();
    world.claim('review.fire', FIRE_HANDLER);
    world.execute(suspend(world));
    const fire = world.openTask('review.fire');
    const refused: CaseCommand[] = [
      { type: 'task.claim', actor: actor('planning', 'handler'), taskId: world.openTask('review.planning').id },
      { type: 'task.complete', actor: FIRE_HANDLER, taskId: fire.id, outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } },
      { type: 'task.release', actor: FIRE_HANDLER, taskId: fire.id },
      { type: 'task.transfer', actor: FIRE_HANDLER, taskId: fire.id, to: { userId: userId('fire.other'), departmentCode: departmentCode('fire'), roles: ['handler'] }, reason: '出差' },
      { type: 'clock.extend', actor: HOUSING_LEAD, caseId: world.case.id, clock: 'legal', workingDays: 5, reason: '复杂', legalBasis: '第四十二条' },
      { type: 'special-procedure.start', actor: HOUSING_LEAD, caseId: world.case.id, kind: 'hearing', notice: '听证' },
      { type: 'task.urge', actor: SUPERVISOR, taskId: fire.id, message: '请加快' },
    ];
    for (const command of refused) {
      expect(() => world.decide(command), command.type).toThrow(CaseSuspendedError);
      expectRefused(world, () => world.execute(command), CaseSuspendedError);
    }
    expectRefused(world, () => world.execute(suspend(world)), CaseStatusChangeError);
  });

  it('the lead of the lead department or a supervisor suspends; a member department, a handler or the window does not', () => {
    expect(inJointReview().execute(suspend(inJointReview(), SUPERVISOR))).toBeDefined();
    const world = inJointReview();
    expectRefused(world, () => world.execute(suspend(world, FIRE_LEAD)), ForbiddenError);
    expectRefused(world, () => world.execute(suspend(world, FIRE_HANDLER)), PermissionDeniedError);
    expectRefused(world, () => world.execute(suspend(world, WINDOW)), PermissionDeniedError);
    expectRefused(world, () => world.execute(suspend(world, actor('transport', 'lead'))), CaseNotFoundError);
  });
});

describe('resuming a suspended case (恢复)', () => {
  it('resumes the clocks the suspension paused with what they had left: due dates move by the working days it lasted', () => {
    const world = inJointReview();
    const dueBefore = world.readClock('task:review.fire')?.due?.derivation.dueDate;
    const legalBefore = world.readClock('legal')?.remaining;
    world.execute(suspend(world));
    daysLater(world, 2);
    world.execute(resume(world));
    expect(world.case.status).toBe('running');
    expect(world.readClock('legal')).toMatchObject({ state: 'running', remaining: legalBefore });
    const dueAfter = world.readClock('task:review.fire')?.due?.derivation.dueDate;
    expect(dueAfter).not.toBe(dueBefore);
    expect(world.openTask('review.fire').dueAt.getTime()).toBeGreaterThan(world.clock.now().getTime());
    expect(world.audit.at(-1)).toMatchObject({ type: 'case.resumed', data: { status: 'running' } });
    // Commands are taken again.
    world.complete('review.fire', 'approve', { by: FIRE_HANDLER });
  });

  it('a clock paused for something else (the public notice) stays paused; the period that ended meanwhile fires once the case resumes', () => {
    const world = inJointReview();
    for (const r of CONSTRUCTION_PERMIT_REVIEWS) world.complete(`review.${r.department}`, 'approve');
    world.complete('decision', 'approve');
    expect(world.case.stateLabel).toBe('publicNotice');
    const [period] = world.pendingTimers();
    expect(period?.kind).toBe('period');
    world.execute(suspend(world));
    expect(world.readClock('legal')?.state).toBe('paused');
    // The notice period ends while the case waits: its timer fires nothing and stays pending.
    if (!period) throw new Error('no period timer');
    world.clock.set(new Date(period.dueAt.getTime() + 60_000));
    expect(world.execute({ type: 'timer.fire', timerId: period.id })).toMatchObject({ changed: false, status: 'suspended' });
    expect(world.pendingTimers()).toEqual([period]);
    world.execute(resume(world));
    expect(world.lastCommit?.effects).toContainEqual({ type: 'timer.relay', timerId: period.id });
    expect(world.case.clocks.find((c) => c.id === 'legal')?.pauses.at(-1)?.reason.kind).toBe('public-notice');
    world.fire(period);
    expect(world.case.stateLabel).toBe('issued');
  });

  it('refuses a case that is not suspended, and a closed one', () => {
    const world = inJointReview();
    expectRefused(world, () => world.execute(resume(world)), CaseStatusChangeError);
    world.execute(terminate(world));
    expectRefused(world, () => world.execute(resume(world)), CaseClosedError);
  });
});

describe('terminating a case (终止)', () => {
  it('closes it as terminated from running or suspended: tasks cancelled, clocks stopped, timers cancelled, everyone told', () => {
    for (const suspended of [false, true]) {
      const world = inJointReview();
      if (suspended) world.execute(suspend(world));
      world.execute(terminate(world));
      expect(world.case.status).toBe('terminated');
      expect(world.openTasks()).toEqual([]);
      expect(world.pendingTimers()).toEqual([]);
      expect(world.case.clocks.every((c) => c.stoppedAt !== null)).toBe(true);
      expect(world.audit.at(-1)).toMatchObject({ type: 'case.terminated', data: { reason: '申请人已注销 The applicant was dissolved', legalBasis: BASIS, status: 'terminated' } });
      expectRefused(world, () => world.execute(terminate(world)), CaseClosedError);
    }
  });

  it('only the lead of the lead department terminates: not a supervisor, not a member department', () => {
    const world = inJointReview();
    expectRefused(world, () => world.execute(terminate(world, SUPERVISOR)), PermissionDeniedError);
    expectRefused(world, () => world.execute(terminate(world, FIRE_LEAD)), ForbiddenError);
  });

  it('the applicant may still withdraw a suspended case (撤件) through the window', () => {
    const world = inJointReview();
    world.execute(suspend(world));
    world.execute({ type: 'case.withdraw', actor: WINDOW, caseId: world.case.id, reason: '申请人放弃申请' });
    expect(world.case.status).toBe('withdrawn');
  });
});
