import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import type { Actor } from '../access/actor.js';
import type { ReleaseTask } from './release-task.js';
import { ForbiddenError, PermissionDeniedError, TaskNotActionableError, TaskNotFoundError } from '../errors.js';

const HOLDER = actor('fire', 'handler', 'fire.away');
const COLLEAGUE = actor('fire', 'handler', 'fire.colleague');
const LEAD = actor('fire', 'lead');

/** A construction permit in joint review whose fire review is claimed by a handler who then goes away. */
function claimedByHolder(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  world.claim('review.fire', HOLDER);
  return world;
}

const releaseOf = (world: CaseWorld, by: Actor, key = 'review.fire'): ReleaseTask => ({
  type: 'task.release',
  actor: by,
  taskId: [...world.tasks.values()].filter((t) => t.key === key).at(-1)?.id ?? ('' as never),
});

describe('releasing a claim (释放)', () => {
  it('the holder gives their claim back: the task is open to the department again, which is told; audited, version + 1', () => {
    const world = claimedByHolder();
    const task = world.openTask('review.fire');
    const before = world.case;
    const { commit, result } = world.decide(releaseOf(world, HOLDER));
    expect(result).toMatchObject({ version: before.version + 1, changed: true, state: 'jointReview' });
    expect(commit?.effects).toEqual([
      { type: 'task.release', taskId: task.id },
      { type: 'notification.send', notification: expect.objectContaining({ audience: { departmentCode: 'fire' }, template: 'task.released' }) },
    ]);
    expect(commit?.audits).toEqual([
      expect.objectContaining({ type: 'task.released', actorId: 'fire.away', actingFor: 'fire', data: { taskId: task.id, task: 'review.fire', releasedClaimOf: 'fire.away' } }),
    ]);
    if (commit) world.apply(commit);
    expect(world.openTask('review.fire')).toMatchObject({ status: 'open', assigneeId: null });
    expect(world.claim('review.fire', COLLEAGUE).changed).toBe(true);
    world.complete('review.fire', 'approve', { by: COLLEAGUE });
  });

  it('the department’s lead releases a claim someone else holds, and the audit event names whose it was', () => {
    const world = claimedByHolder();
    world.execute(releaseOf(world, LEAD));
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.released', actorId: 'fire.lead', data: { releasedClaimOf: 'fire.away' } });
    expect(world.openTask('review.fire').assigneeId).toBeNull();
  });

  it.each([
    ['a colleague of the same department', COLLEAGUE, ForbiddenError],
    ['the lead of another department', actor('water', 'lead'), TaskNotFoundError],
    ['the lead department’s lead', actor('housing', 'lead'), TaskNotFoundError],
    ['a supervisor', actor('supervision', 'supervisor'), PermissionDeniedError],
  ])('%s may not release it; nothing changes', (_, who, error) => {
    const world = claimedByHolder();
    const before = { case: world.case, task: world.openTask('review.fire'), audit: world.audit.length };
    expect(() => world.execute(releaseOf(world, who))).toThrow(error);
    expect({ case: world.case, task: world.openTask('review.fire'), audit: world.audit.length }).toEqual(before);
  });

  it('releasing a task nobody holds changes nothing; a completed task cannot be released', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    expect(world.decide(releaseOf(world, LEAD))).toMatchObject({ commit: null, result: { changed: false } });
    world.complete('review.fire', 'approve');
    expect(() => world.decide(releaseOf(world, LEAD))).toThrow(expect.objectContaining({ taskStatus: 'completed' }));
    expect(() => world.decide(releaseOf(world, LEAD))).toThrow(TaskNotActionableError);
  });

  it('a stale expectedVersion is a version conflict', () => {
    const world = claimedByHolder();
    expect(() => world.execute({ ...releaseOf(world, HOLDER), expectedVersion: world.case.version - 1 })).toThrow(expect.objectContaining({ status: 409 }));
  });
});
