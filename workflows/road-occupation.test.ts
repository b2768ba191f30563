import { describe, expect, it } from 'vitest';
import { CommandNotAcceptedError, ForbiddenError, WithdrawalNotAllowedError } from '../engine/errors.js';
import { workerFor } from '../test/unit/support/actors.js';
import { beijing } from '../test/unit/support/calendar.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { expectRefused } from '../test/unit/support/refusals.js';
import { endingsOf, movesOf, workflowSuite } from '../test/unit/support/workflow-model.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from './road-occupation.js';

/**
 * Model-based tests of the temporary road occupation: the traffic police and the municipal road office review in
 * parallel; a split review climbs the dispute ladder (the dissenter reconsiders, urban management coordinates, a
 * joint meeting decides); either deputy director signs it off (或签). The shortest path to every vertex (a
 * countersign in progress is a vertex per count of its votes), then the ladder, the or-sign and the return to
 * the window as targeted sequences, and the moves the engine refuses.
 */
const suite = workflowSuite(roadOccupation, { licenceIssued: (s: ModelSnapshot) => s.matches('issued') });
const { shortest } = suite;
const [DEPUTY_A, DEPUTY_B] = ROAD_OCCUPATION_DEPUTIES.map((person) => `signOff.${person}`) as [string, string];
const split = ['acceptance:approve', 'review.traffic-police:reject', 'review.municipal-roads:approve'];
const keysOf = (world: CaseWorld, status: string) => [...world.tasks.values()].filter((t) => t.status === status).map((t) => t.key).sort();

describe('road occupation model', () => {
  it('ends by either deputy’s signature, by the meeting, by both members’ rejections, or at the window', () => {
    expect(endingsOf(shortest)).toEqual(
      new Set([
        `issued <- ${DEPUTY_A}:approve`,
        `issued <- ${DEPUTY_B}:approve`,
        `refused <- ${DEPUTY_A}:reject`,
        `refused <- ${DEPUTY_B}:reject`,
        'refused <- jointReview.meeting:reject',
        'refused <- review.traffic-police:reject',
        'refused <- review.municipal-roads:reject',
        'notAccepted <- acceptance:reject',
      ]),
    );
    const moves = new Set(shortest.flatMap(movesOf));
    for (const member of ['traffic-police', 'municipal-roads']) {
      for (const to of ['acceptance', 'correction']) expect(moves).toContain(`review.${member}:return>${to}`);
    }
  });
});

describe('road occupation: shortest paths', () => {
  suite.itReplaysEach(shortest);
});

describe('the dispute ladder (意见分歧)', () => {
  it('climbs every rung: the dissenter reconsiders, urban management coordinates, the joint meeting decides', async () => {
    const toMeeting = [...split, 'jointReviewReconsideration.traffic-police:reject', 'jointReview.lead:reject'];
    const atMeeting = await suite.replayMoves(toMeeting);
    expect(atMeeting.openTasks().map((t) => [t.key, t.kind, t.departmentCode])).toEqual([['jointReview.meeting', 'decision', 'urban-management']]);
    const rungs = [...atMeeting.tasks.values()].filter((t) => t.key.startsWith('jointReview')).map((t) => [t.key, t.departmentCode, t.outcome]);
    expect(rungs).toEqual([
      ['jointReviewReconsideration.traffic-police', 'traffic-police', 'reject'],
      ['jointReview.lead', 'urban-management', 'reject'],
      ['jointReview.meeting', 'urban-management', null],
    ]);

    const settled = await suite.replayMoves([...toMeeting, 'jointReview.meeting:approve', `${DEPUTY_A}:approve`]);
    expect(settled.case.status).toBe('approved');
    const refused = await suite.replayMoves([...toMeeting, 'jointReview.meeting:reject']);
    expect(refused.case.status).toBe('refused');
    // The refusal tells the applicant every reason given on the way up.
    expect(refused.notifications.filter((n) => n.template === 'case.refused').map((n) => (n.data['reasons'] as { department: string }[]).map((r) => r.department))).toEqual([
      ['traffic-police', 'traffic-police', 'urban-management', 'urban-management'],
    ]);
  });

  it('settles on the first rung when the dissenter comes round', async () => {
    const world = await suite.replayMoves([...split, 'jointReviewReconsideration.traffic-police:approve']);
    expect(world.case.stateLabel).toBe('signOff');
  });

  it('a member takes its review back while the dissenter has not reconsidered, and no more once the dispute climbed', async () => {
    const early = await suite.replayMoves([...split, 'review.traffic-police:withdraw']);
    expect(early.openTasks().map((t) => t.key)).toEqual(['review.traffic-police']);
    expect(keysOf(early, 'cancelled')).toEqual(['jointReviewReconsideration.traffic-police']);

    const world = CaseWorld.start(roadOccupation);
    world.complete('acceptance', 'approve');
    world.complete('review.traffic-police', 'reject');
    world.complete('review.municipal-roads', 'approve');
    world.complete('jointReviewReconsideration.traffic-police', 'reject');
    // The dissent's own completion opened nothing; the machine refuses it at the coordination rung.
    expectRefused(world, () => world.withdraw('review.traffic-police'), CommandNotAcceptedError);
    // The completion that opened the reconsideration: its task has been acted on.
    expectRefused(world, () => world.withdraw('review.municipal-roads'), WithdrawalNotAllowedError);
  });
});

describe('sign-off by either deputy director (或签)', () => {
  it('opens a task for each, claimed by them; the first to sign decides, the other’s task is cancelled and named', async () => {
    const signing = await suite.replayMoves(['acceptance:approve', 'review.traffic-police:approve', 'review.municipal-roads:approve']);
    expect(signing.openTasks().map((t) => [t.key, t.status, t.assigneeId])).toEqual(ROAD_OCCUPATION_DEPUTIES.map((p) => [`signOff.${p}`, 'claimed', p]));

    const world = await suite.replayMoves(['acceptance:approve', 'review.traffic-police:approve', 'review.municipal-roads:approve', `${DEPUTY_B}:approve`]);
    expect(world.case.status).toBe('approved');
    expect(keysOf(world, 'cancelled')).toEqual([DEPUTY_A]);
    const cancelled = [...world.tasks.values()].find((t) => t.key === DEPUTY_A);
    expect(world.audit.at(-1)).toMatchObject({ type: 'task.approved', actorId: ROAD_OCCUPATION_DEPUTIES[1], data: { task: DEPUTY_B, cancelledTasks: [cancelled?.id] } });
    expect(world.context.countersigns?.['signOff']?.outcome).toBe('approved');
  });

  it('a named signer’s task is theirs: nobody releases it', () => {
    const world = CaseWorld.start(roadOccupation);
    for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
    const task = world.openTask(DEPUTY_A);
    expectRefused(world, () => world.execute({ type: 'task.release', actor: workerFor(task), taskId: task.id }), ForbiddenError);
  });
});

describe('back to the window: approvals asked again, clocks started anew', () => {
  it('the reviews reopen on new clocks of three working days from the new acceptance, the approval given before forgotten', () => {
    const world = CaseWorld.start(roadOccupation, { now: beijing('2026-11-02T10:00') });
    world.complete('acceptance', 'approve');
    world.clock.set(beijing('2026-11-03T10:00'));
    world.complete('review.traffic-police', 'approve');
    world.clock.set(beijing('2026-11-04T10:00'));
    world.complete('review.municipal-roads', 'return', { returnTo: 'acceptance' });
    expect(world.context.outcomes['review.traffic-police']).toBeUndefined();
    for (const r of ['review.traffic-police', 'review.municipal-roads']) expect(world.readClock(`task:${r}`)?.state).toBe('stopped');
    world.clock.set(beijing('2026-11-06T10:00'));
    world.complete('acceptance', 'approve');
    for (const r of ['review.traffic-police', 'review.municipal-roads']) {
      // Friday's reception counts from Monday: Monday, Tuesday, Wednesday.
      expect({ review: r, due: world.openTask(r).dueAt, clock: world.readClock(`task:${r}`) }).toEqual({
        review: r,
        due: beijing('2026-11-12T00:00'),
        clock: expect.objectContaining({ state: 'running', remaining: 3 }),
      });
    }
  });

  it('replayed against the model', async () => {
    const world = await suite.replayMoves(['acceptance:approve', 'review.traffic-police:approve', 'review.municipal-roads:return>acceptance', 'acceptance:approve']);
    expect(world.openTasks().map((t) => t.key).sort()).toEqual(['review.municipal-roads', 'review.traffic-police']);
  });
});
