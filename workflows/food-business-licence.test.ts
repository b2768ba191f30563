import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../engine/errors.js';
import { actor } from '../test/unit/support/actors.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { endingsOf, movesOf, workflowSuite } from '../test/unit/support/workflow-model.js';
import { foodBusinessLicence } from './food-business-licence.js';

/**
 * Model-based tests of the food business licence, a sequential approval ending in the lead's sign-off.
 * The process is small, so besides the shortest path to every vertex every simple path to a final state
 * is walked (vertices are told apart by the transition into them, so each return loop is on some simple
 * path once), plus one sequence that takes every loop on the way to the licence.
 */
const suite = workflowSuite(foodBusinessLicence, { licenceIssued: (s: ModelSnapshot) => s.matches('issued') });
const { shortest } = suite;
const simple = suite.model.getSimplePaths({ toState: (s) => s.status === 'done' });

describe('food business licence model', () => {
  it('reaches the licence, a refusal from every step and non-acceptance; every return loop is on a simple path', () => {
    const endings = new Set([
      'issued <- signOff:approve',
      'refused <- documentReview:reject',
      'refused <- inspection:reject',
      'refused <- signOff:reject',
      'notAccepted <- acceptance:reject',
    ]);
    expect(endingsOf(shortest)).toEqual(endings);
    expect(endingsOf(simple)).toEqual(endings);
    const moves = new Set(simple.flatMap(movesOf));
    for (const loop of ['acceptance:return', 'documentReview:return', 'inspection:return', 'signOff:return']) expect(moves).toContain(loop);
  });
});

describe('food business licence: shortest paths', () => {
  suite.itReplaysEach(shortest);
});

describe('food business licence: simple paths to final states', () => {
  suite.itReplaysEach(simple);
});

describe('food business licence: loops and sign-off', () => {
  it('takes every return loop and the supplement loop twice on the way to the licence', async () => {
    const moves = [
      'acceptance:return',
      'supplement',
      'acceptance:approve',
      'documentReview:return',
      'supplement',
      'acceptance:approve',
      'documentReview:approve',
      'inspection:return',
      'documentReview:approve',
      'inspection:approve',
      'signOff:return',
      'inspection:approve',
      'signOff:approve',
    ];
    const world = await suite.replayMoves(moves);
    expect(world.case.status).toBe('approved');
    expect(world.licences).toEqual([expect.objectContaining({ licenceType: 'jy', holder: world.case.applicant })]);
    expect([...world.tasks.values()].filter((t) => t.key === 'inspection').map((t) => t.outcome)).toEqual(['return', 'approve', 'approve']);
  });

  it('only the lead of the department signs off; a handler is forbidden', () => {
    const world = CaseWorld.start(foodBusinessLicence);
    for (const key of ['acceptance', 'documentReview', 'inspection']) world.complete(key, 'approve');
    expect(() => world.complete('signOff', 'approve', { by: actor('market', 'handler') })).toThrow(ForbiddenError);
    expect(world.complete('signOff', 'approve', { by: actor('market', 'lead') })).toMatchObject({ status: 'approved', state: 'issued', changed: true });
  });
});
