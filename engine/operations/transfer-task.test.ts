import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../../workflows/road-occupation.js';
import type { Actor, Role } from '../access/actor.js';
import { CaseVersionConflictError, ForbiddenError, InvalidCommandError, PermissionDeniedError, TaskNotFoundError, TransferNotAllowedError } from '../errors.js';
import { departmentCode, userId } from '../ids.js';
import type { TransferTarget, TransferTask } from './transfer-task.js';

const HOLDER = actor('fire', 'handler', 'fire.away');
const COLLEAGUE = actor('fire', 'handler', 'fire.colleague');
const FIRE_LEAD = actor('fire', 'lead');
const HOUSING_LEAD = actor('housing', 'lead');

/** A person as the API finds them in the users table. */
const person = (department: string, id: string, roles: Role[] = ['handler']): TransferTarget => ({ userId: userId(id), departmentCode: departmentCode(department), roles });
const office = (department: string): TransferTarget => ({ departmentCode: departmentCode(department) });

/** A construction permit in joint review whose fire review is claimed by a handler about to go away. */
function claimedByHolder(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  world.claim('review.fire', HOLDER);
  return world;
}

const transferOf = (world: CaseWorld, by: Actor, to: TransferTarget, key = 'review.fire'): TransferTask => ({
  type: 'task.transfer',
  actor: by,
  taskId: world.openTask(key).id,
  to,
  reason: '承办人出差 the handler is away',
});

describe('transferring a task within the department (转办)', () => {
  it('the holder hands it to a colleague: same task, due instant and timers, claimed by them; the department told; audited with both sides', () => {
    const world = claimedByHolder();
    const before = world.openTask('review.fire');
    const timers = world.pendingTimers();
    const { commit, result } = world.decide(transferOf(world, HOLDER, person('fire', 'fire.colleague')));
    expect(result).toMatchObject({ version: world.case.version + 1, changed: true, state: 'jointReview' });
    expect(commit?.effects).toEqual([
      { type: 'task.transfer', taskId: before.id, departmentCode: 'fire', assigneeId: 'fire.colleague' },
      {
        type: 'notification.send',
        notification: expect.objectContaining({ audience: { departmentCode: 'fire' }, template: 'task.transferred', data: { taskId: before.id, title: before.title, to: 'fire.colleague' } }),
      },
    ]);
    expect(commit?.audits).toEqual([
      expect.objectContaining({
        type: 'task.transferred',
        actorId: 'fire.away',
        data: {
          taskId: before.id,
          task: 'review.fire',
          from: { departmentCode: 'fire', assigneeId: 'fire.away' },
          to: { departmentCode: 'fire', assigneeId: 'fire.colleague' },
          reason: '承办人出差 the handler is away',
        },
      }),
    ]);
    if (commit) world.apply(commit);
    expect(world.openTask('review.fire')).toEqual({ ...before, assigneeId: 'fire.colleague', status: 'claimed' });
    expect(world.pendingTimers()).toEqual(timers);
    expect(() => world.complete('review.fire', 'approve', { by: HOLDER })).toThrow(expect.objectContaining({ code: 'TB-TASK-CLAIMED' }));
    world.complete('review.fire', 'approve', { by: COLLEAGUE });
  });

  it('the department’s lead transfers a task nobody holds, or someone else holds', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    world.execute(transferOf(world, FIRE_LEAD, person('fire', 'fire.colleague')));
    expect(world.openTask('review.fire')).toMatchObject({ status: 'claimed', assigneeId: 'fire.colleague' });
    world.execute(transferOf(world, FIRE_LEAD, person('fire', 'fire.away')));
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.transferred', data: { from: { assigneeId: 'fire.colleague' }, to: { assigneeId: 'fire.away' } } });
  });

  it('transferring to whoever holds it already changes nothing', () => {
    const world = claimedByHolder();
    expect(world.decide(transferOf(world, HOLDER, person('fire', 'fire.away')))).toMatchObject({ commit: null, result: { changed: false } });
  });

  it.each([
    ['a colleague who does not hold it', COLLEAGUE, person('fire', 'fire.other'), ForbiddenError],
    ['the lead of another department', actor('water', 'lead'), person('fire', 'fire.other'), TaskNotFoundError],
    ['a supervisor', actor('supervision', 'supervisor'), person('fire', 'fire.other'), PermissionDeniedError],
    ['a department system', actor('fire', 'department_system'), person('fire', 'fire.other'), PermissionDeniedError],
    ['anyone, to a person of another department', FIRE_LEAD, person('water', 'water.handler'), InvalidCommandError],
    ['anyone, to a person whose roles do not handle reviews', FIRE_LEAD, person('fire', 'fire.clerk', ['intake_clerk']), InvalidCommandError],
    ['the fire lead, to another department (not the lead department)', FIRE_LEAD, office('water'), ForbiddenError],
  ])('%s: refused, nothing written', (_, by, to, error) => {
    const world = claimedByHolder();
    expectRefused(world, () => world.execute(transferOf(world, by, to)), error);
  });

  it('a named signer’s task stays with them, even at the lead’s request', () => {
    const world = CaseWorld.start(roadOccupation);
    for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
    const key = `signOff.${ROAD_OCCUPATION_DEPUTIES[0]}`;
    expect(world.openTask(key).signerId).toBe(ROAD_OCCUPATION_DEPUTIES[0]);
    expectRefused(world, () => world.execute(transferOf(world, actor('urban-management', 'lead'), person('urban-management', 'urban-management.deputy-c', ['lead']), key)), TransferNotAllowedError);
  });
});

describe('transferring a task to another department (lead department agrees)', () => {
  it('the lead department’s lead sends a review to another office: unclaimed in its inbox, which is told and then sees and handles it', () => {
    const world = claimedByHolder();
    const before = world.openTask('review.fire');
    world.execute(transferOf(world, HOUSING_LEAD, office('ecology')));
    expect(world.openTask('review.fire')).toEqual({ ...before, departmentCode: 'ecology', assigneeId: null, status: 'open' });
    expect(world.notifications.at(-1)).toMatchObject({ audience: { departmentCode: 'ecology' }, template: 'task.transferred', data: { to: null } });
    expect(world.audit.at(-1)).toMatchObject({ actorId: 'housing.lead', data: { from: { departmentCode: 'fire', assigneeId: 'fire.away' }, to: { departmentCode: 'ecology', assigneeId: null } } });
    expectRefused(world, () => world.complete('review.fire', 'approve', { by: HOLDER }), TaskNotFoundError);
    world.claim('review.fire', actor('ecology', 'handler'));
    world.complete('review.fire', 'approve', { by: actor('ecology', 'handler') });
    expect(world.context.outcomes['review.fire']).toMatchObject({ outcome: 'approve', department: 'ecology' });
  });

  it.each([
    ['a handler of the lead department', actor('housing', 'handler'), office('ecology'), 'review.fire', ForbiddenError],
    ['the lead, to the department that holds it', HOUSING_LEAD, office('fire'), 'review.fire', InvalidCommandError],
    ['the lead, an intake task', HOUSING_LEAD, office('ecology'), 'acceptance', TransferNotAllowedError],
  ])('%s: refused, nothing written', (_, by, to, key, error) => {
    const world = CaseWorld.start(constructionPermit);
    if (key !== 'acceptance') world.complete('acceptance', 'approve');
    expectRefused(world, () => world.execute(transferOf(world, by, to, key)), error);
  });

  it('a decision stays in its department; a completed task and a stale version are refused', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    const fire = world.openTask('review.fire');
    for (const review of world.openTasks().map((t) => t.key)) world.complete(review, 'approve');
    expectRefused(world, () => world.execute(transferOf(world, HOUSING_LEAD, office('ecology'), 'decision')), TransferNotAllowedError);
    const late = { type: 'task.transfer', actor: FIRE_LEAD, taskId: fire.id, to: person('fire', 'fire.colleague'), reason: '转办' } as const;
    expectRefused(world, () => world.execute(late), TransferNotAllowedError);
    expectRefused(world, () => world.execute({ ...transferOf(world, HOUSING_LEAD, person('housing', 'housing.deputy', ['lead']), 'decision'), expectedVersion: world.case.version - 1 }), CaseVersionConflictError);
  });
});
