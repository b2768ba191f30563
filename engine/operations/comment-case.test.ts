import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import type { Actor } from '../access/actor.js';
import type { OpinionVisibility } from '../case-command.js';
import { CaseClosedError, CaseNotFoundError, InvalidCommandError, PermissionDeniedError } from '../errors.js';
import { MAX_COMMENT_LENGTH } from './comment-case.js';

const FIRE = actor('fire', 'handler');
const HOUSING_LEAD = actor('housing', 'lead');

function inJointReview(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
}

const comment = (world: CaseWorld, by: Actor, text = '请牵头部门关注消防车道 mind the fire lane', visibility: OpinionVisibility = 'internal') =>
  world.execute({ type: 'case.comment', actor: by, caseId: world.case.id, text, visibility });

describe('commenting on a case (批注)', () => {
  it('a participant comments: the comment kept with its department and visibility, audited without its text, the version kept', () => {
    const world = inJointReview();
    const version = world.case.version;
    expect(comment(world, FIRE, '  请牵头部门关注消防车道  ', 'public')).toMatchObject({ changed: true, version });
    expect(world.comments).toEqual([
      { id: expect.any(String), caseId: world.case.id, authorId: 'fire.handler', departmentCode: 'fire', text: '请牵头部门关注消防车道', visibility: 'public', at: world.clock.now() },
    ]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'case.commented', actorId: 'fire.handler', data: { commentId: world.comments[0]?.id, visibility: 'public' } });
  });

  it('the window, the lead department and a supervisor comment too, and on a suspended case', () => {
    const world = inJointReview();
    comment(world, actor('window', 'intake_clerk', 'window.clerk'));
    comment(world, actor('supervision', 'supervisor'));
    world.execute({ type: 'case.suspend', actor: HOUSING_LEAD, caseId: world.case.id, reason: '诉讼未决', legalBasis: '《某省行政审批条例》第二十条' });
    expect(world.case.status).toBe('suspended');
    comment(world, HOUSING_LEAD);
    expect(world.comments.map((c) => c.departmentCode)).toEqual(['window', 'supervision', 'housing']);
  });

  it.each([
    ['an empty text', FIRE, '   ', InvalidCommandError],
    ['a text too long', FIRE, 'x'.repeat(MAX_COMMENT_LENGTH + 1), InvalidCommandError],
    ['a department outside the case', actor('tax', 'handler'), 'hello', CaseNotFoundError],
    ['a department system', actor('fire', 'department_system'), 'hello', PermissionDeniedError],
    ['a designer', actor('fire', 'designer'), 'hello', PermissionDeniedError],
  ])('%s: refused, nothing written', (_, by, text, error) => {
    const world = inJointReview();
    expectRefused(world, () => comment(world, by, text), error);
  });

  it('a decided case takes no comment', () => {
    const world = inJointReview();
    world.execute({ type: 'case.withdraw', actor: actor('window', 'intake_clerk', 'window.clerk'), caseId: world.case.id, reason: '申请人撤回' });
    expectRefused(world, () => comment(world, HOUSING_LEAD), CaseClosedError);
  });
});
