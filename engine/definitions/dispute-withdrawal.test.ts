import { describe, expect, it } from 'vitest';
import { CommandNotAcceptedError } from '../errors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { roadOccupationItem } from '../../workflows/road-occupation.js';
import { INTAKE_DEPARTMENT } from './case-machine.js';
import { onOutcome, taskState } from './definition-parts.js';
import { grantedState, refusedState } from './final-states.js';
import { jointReview, type JointReviewDeclaration } from './joint-review.js';
import type { ProcessDefinition } from './process-definition.js';

/**
 * A member's completion taken back on a dispute's first rung: allowed while nobody has acted there, refused once
 * a dissenter has reconsidered — with three members, the one whose approval opened nothing (it finished first)
 * would otherwise cancel the reconsideration another dissenter still owes, after one has already voted.
 */
const REVIEW: JointReviewDeclaration = {
  name: 'panel',
  machineId: 'three-members',
  members: ['a', 'b', 'c'].map((department) => ({ department, title: `Review ${department}`, workingDays: 3 })),
  onRejection: 'finish',
  returns: [],
  dispute: [
    { rung: 'handling', title: 'Reconsider', workingDays: 2 },
    { rung: 'meeting', title: 'Meeting', workingDays: 2 },
  ],
  approved: 'granted',
  refused: 'refused',
};

const threeMembers: ProcessDefinition = {
  key: 'three-members',
  version: 1,
  title: 'Three members',
  machine: {
    id: 'three-members',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState({ task: 'acceptance', kind: 'intake', title: 'Acceptance', department: INTAKE_DEPARTMENT, workingDays: 1 }, { 'task.approved': onOutcome('acceptance', 'panel') }),
      ...jointReview(REVIEW),
      granted: grantedState('case.granted'),
      refused: refusedState(),
    },
  },
};

describe('a withdrawal on a dispute’s first rung', () => {
  const split = () => {
    const world = CaseWorld.start(threeMembers, { serviceItem: { ...roadOccupationItem, code: 'three-members', definitionKey: 'three-members' } });
    world.complete('acceptance', 'approve');
    world.complete('review.c', 'approve');
    world.complete('review.a', 'reject');
    world.complete('review.b', 'reject');
    expect(world.openTasks().map((t) => t.key).sort()).toEqual(['panelReconsideration.a', 'panelReconsideration.b']);
    return world;
  };

  it('takes the member back into the review while no dissenter has reconsidered', () => {
    const world = split();
    world.withdraw('review.c');
    expect(world.case.stateLabel).toBe('panel');
    expect(world.openTasks().map((t) => t.key)).toEqual(['review.c']);
  });

  it('is refused once a dissenter has voted, and nothing is written', () => {
    const world = split();
    world.complete('panelReconsideration.a', 'approve');
    expectRefused(world, () => world.withdraw('review.c'), CommandNotAcceptedError);
    world.complete('panelReconsideration.b', 'approve');
    expect(world.case.status).toBe('approved');
  });
});
