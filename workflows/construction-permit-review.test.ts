import { describe, expect, it } from 'vitest';
import { CommandNotAcceptedError, ReturnNotAllowedError, WithdrawalNotAllowedError } from '../engine/errors.js';
import { actor, leadOf } from '../test/unit/support/actors.js';
import { beijing } from '../test/unit/support/calendar.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { expectRefused } from '../test/unit/support/refusals.js';
import { workflowSuite } from '../test/unit/support/workflow-model.js';
import { CONSTRUCTION_PERMIT_REVIEWS, constructionPermit } from './construction-permit.js';

/**
 * The construction permit's joint review (the engine's joint-review block) in targeted sequences: what each
 * return does as declared, withdrawals (撤回), the lead's change of members, optional members by the
 * application's answers, closing after a rejection — each replayed against the model with the invariants
 * checked at every step — and, where time must pass to tell a continued clock from a new one, the same moves on
 * a case whose clock is moved between them. Last, the moves the engine refuses, each leaving the case as it was.
 */
const suite = workflowSuite(constructionPermit, { licenceIssued: (s: ModelSnapshot) => s.matches('issued') });
const departments = CONSTRUCTION_PERMIT_REVIEWS.map((r) => r.department);
const reviews = departments.map((d) => `review.${d}`);
const allApproved = ['acceptance:approve', ...reviews.map((r) => `${r}:approve`)];
const keysOf = (world: CaseWorld, status: string) => [...world.tasks.values()].filter((t) => t.status === status).map((t) => t.key).sort();
const lastAudit = (world: CaseWorld) => world.audit.at(-1);

/** A case accepted on Monday 2 November 2026 at 10:00: each review has five working days, due when Monday 9 November ends. */
function acceptedOnMonday(): CaseWorld {
  const world = CaseWorld.start(constructionPermit, { now: beijing('2026-11-02T10:00') });
  world.complete('acceptance', 'approve');
  return world;
}
const MONDAY_9_ENDS = beijing('2026-11-10T00:00');
/** Paused from Wednesday 4 to Friday 6 November, a review loses Thursday and Friday: due when Wednesday 11 ends. */
const WEDNESDAY_11_ENDS = beijing('2026-11-12T00:00');

describe('returns, each as the definition declares it', () => {
  it('back to the lead for correction: the other reviews stay open and running, only the returner’s branch corrects', async () => {
    const world = await suite.replayMoves(['acceptance:approve', 'review.planning:approve', 'review.fire:return>correction']);
    expect(world.openTasks().map((t) => t.key).sort()).toEqual(['correction.fire', 'review.civil-air-defence', 'review.ecology', 'review.water']);
    expect(world.openTask('correction.fire')).toMatchObject({ kind: 'correction', departmentCode: 'housing' });
    expect(keysOf(world, 'cancelled')).toEqual([]);
    for (const r of ['review.ecology', 'review.civil-air-defence', 'review.water']) expect(world.readClock(`task:${r}`)?.state).toBe('running');
    expect(world.readClock('task:review.fire')?.state).toBe('paused');
  });

  it('back to the lead for correction, with time passing: the review reopens on its clock with what it had left', () => {
    const world = acceptedOnMonday();
    expect(world.openTask('review.fire').dueAt).toEqual(MONDAY_9_ENDS);
    world.clock.set(beijing('2026-11-04T10:00'));
    world.complete('review.fire', 'return', { returnTo: 'correction' });
    world.clock.set(beijing('2026-11-06T10:00'));
    world.complete('correction.fire', 'approve');
    expect(world.openTask('review.fire').dueAt).toEqual(WEDNESDAY_11_ENDS);
    expect(world.readClock('task:review.fire')).toMatchObject({ state: 'running', consumed: 2, remaining: 3 });
    // The others went on meanwhile: their due is where it was.
    expect(world.openTask('review.ecology').dueAt).toEqual(MONDAY_9_ENDS);
  });

  it('back to the window: the open reviews are cancelled, approvals stand; accepted again, only the others reopen', async () => {
    const moves = ['acceptance:approve', 'review.planning:approve', 'review.fire:return>acceptance'];
    const returned = await suite.replayMoves(moves);
    expect(returned.openTasks().map((t) => t.key)).toEqual(['acceptance']);
    expect(keysOf(returned, 'cancelled')).toEqual(['review.civil-air-defence', 'review.ecology', 'review.water']);
    // The audit event names the reviews the return took back.
    const cancelled = [...returned.tasks.values()].filter((t) => t.status === 'cancelled').map((t) => t.id);
    expect(lastAudit(returned)?.data).toMatchObject({ returnTo: 'acceptance', cancelledTasks: expect.arrayContaining(cancelled) });
    expect(lastAudit(returned)?.data['cancelledTasks']).toHaveLength(3);
    expect(returned.context.outcomes['review.planning']?.outcome).toBe('approve');

    const reaccepted = await suite.replayMoves([...moves, 'acceptance:approve']);
    expect(reaccepted.openTasks().map((t) => t.key).sort()).toEqual(['review.civil-air-defence', 'review.ecology', 'review.fire', 'review.water']);
  });

  it('back to the window, with time passing: the reviews that reopen continue their clocks', () => {
    const world = acceptedOnMonday();
    world.clock.set(beijing('2026-11-03T10:00'));
    world.complete('review.planning', 'approve');
    world.clock.set(beijing('2026-11-04T10:00'));
    world.complete('review.fire', 'return', { returnTo: 'acceptance' });
    for (const r of ['review.fire', 'review.ecology', 'review.civil-air-defence', 'review.water']) expect(world.readClock(`task:${r}`)?.state).toBe('paused');
    world.clock.set(beijing('2026-11-06T10:00'));
    world.complete('acceptance', 'approve');
    for (const r of ['review.fire', 'review.ecology', 'review.civil-air-defence', 'review.water']) {
      expect({ review: r, due: world.openTask(r).dueAt, remaining: world.readClock(`task:${r}`)?.remaining }).toEqual({ review: r, due: WEDNESDAY_11_ENDS, remaining: 3 });
    }
  });

  it('the joint decision back to the joint review: every member reviews again', async () => {
    const world = await suite.replayMoves([...allApproved, 'decision:return>jointReview']);
    expect(world.openTasks().map((t) => t.key).sort()).toEqual([...reviews].sort());
    expect(Object.keys(world.context.outcomes).filter((k) => k.startsWith('review.'))).toEqual([]);
    const issued = await suite.replayMoves([...allApproved, 'decision:return>jointReview', ...allApproved.slice(1), 'decision:approve', 'period:publicNotice']);
    expect(issued.case.status).toBe('approved');
  });
});

describe('withdrawals (撤回)', () => {
  it('a member takes its approval back while the review runs: it reviews again on its own clock, the others carry on', async () => {
    const world = await suite.replayMoves(['acceptance:approve', 'review.ecology:approve', 'review.planning:approve', 'review.planning:withdraw']);
    expect([...world.tasks.values()].filter((t) => t.key === 'review.planning').map((t) => t.status)).toEqual(['withdrawn', 'open']);
    expect(world.context.outcomes['review.planning']).toBeUndefined();
    expect(world.context.outcomes['review.ecology']?.outcome).toBe('approve');
    expect(lastAudit(world)).toMatchObject({ type: 'task.withdrawn', actorId: 'planning.handler', data: { task: 'review.planning', outcome: 'approve' } });
    // Its clock counts again from where it stopped, the time since being the review's own: due as first set.
    expect(world.openTask('review.planning').dueAt).toEqual(world.completedTask('review.ecology').dueAt);
  });

  it('a member takes its approval back from the joint decision: the decision is cancelled, the others’ approvals stand', async () => {
    for (const member of ['review.planning', 'review.water']) {
      const world = await suite.replayMoves([...allApproved, `${member}:withdraw`]);
      expect(world.case.stateLabel).toBe('jointReview');
      expect(world.openTasks().map((t) => t.key)).toEqual([member]);
      expect(keysOf(world, 'cancelled')).toEqual(['decision']);
    }
  });

  it('the window takes the acceptance back while no review has been touched: every review is cancelled', async () => {
    const world = await suite.replayMoves(['acceptance:approve', 'acceptance:withdraw']);
    expect(world.openTasks().map((t) => t.key)).toEqual(['acceptance']);
    expect(keysOf(world, 'cancelled')).toEqual([...reviews].sort());
    expect(world.context.outcomes['acceptance']).toBeUndefined();
  });

  it('once a member acted on its review, the acceptance can no longer be taken back', () => {
    const claimed = acceptedOnMonday();
    claimed.claim('review.fire');
    expectRefused(claimed, () => claimed.withdraw('acceptance'), WithdrawalNotAllowedError);
    const approved = acceptedOnMonday();
    approved.complete('review.fire', 'approve');
    expectRefused(approved, () => approved.withdraw('acceptance'), WithdrawalNotAllowedError);
    // A member that returned and took its return back has acted all the same.
    const undone = acceptedOnMonday();
    undone.complete('review.fire', 'return', { returnTo: 'correction' });
    undone.withdraw('review.fire');
    expectRefused(undone, () => undone.withdraw('acceptance'), WithdrawalNotAllowedError);
  });
});

describe('members decided at run time', () => {
  it('by the application’s answers: civil air defence with underground space, water with a connection to the supply', async () => {
    const openAfterAcceptance = async (answers: Record<string, boolean>) => (await suite.replayMoves(['acceptance:approve'], answers)).openTasks().map((t) => t.key);
    expect(await openAfterAcceptance({})).toEqual(['review.planning', 'review.ecology', 'review.fire']);
    expect(await openAfterAcceptance({ hasUndergroundSpace: true })).toEqual(['review.planning', 'review.ecology', 'review.fire', 'review.civil-air-defence']);
    expect(await openAfterAcceptance({ connectsToWaterSupply: true, hasUndergroundSpace: false })).toEqual(['review.planning', 'review.ecology', 'review.fire', 'review.water']);
  });

  it('the lead adds water at acceptance, with a reason, for an application that said it needs none', async () => {
    const world = await suite.replayMoves(['jointReview:join water', 'acceptance:approve'], { hasUndergroundSpace: true, connectsToWaterSupply: false });
    expect(world.openTasks().map((t) => t.key)).toContain('review.water');
    expect(world.audit.find((a) => a.type === 'review.member-added')).toMatchObject({ actorId: 'housing.lead', data: { review: 'jointReview', department: 'water', reason: expect.stringContaining('water') } });
    expect(world.context.memberChanges).toEqual({ jointReview: { water: { joins: true, reason: expect.any(String) } } });
  });

  it('the lead removes civil air defence: the review goes on without it, to the joint decision', async () => {
    const others = departments.filter((d) => d !== 'civil-air-defence');
    const world = await suite.replayMoves(['jointReview:leave civil-air-defence', 'acceptance:approve', ...others.map((d) => `review.${d}:approve`)]);
    expect([...world.tasks.values()].some((t) => t.key === 'review.civil-air-defence')).toBe(false);
    expect(world.case.stateLabel).toBe('jointDecision');
    expect(world.audit.find((a) => a.type === 'review.member-removed')).toMatchObject({ data: { department: 'civil-air-defence' } });
  });
});

describe('closing the review after a rejection', () => {
  it('the lead closes it: the reviews still open are cancelled and named, the refusal gives the reasons given so far', async () => {
    const world = await suite.replayMoves(['acceptance:approve', 'review.planning:approve', 'review.fire:reject', 'jointReview:close', 'refusal:approve']);
    const closing = world.audit.find((a) => a.type === 'review.closed');
    const cancelled = [...world.tasks.values()].filter((t) => t.status === 'cancelled');
    expect(cancelled.map((t) => t.key).sort()).toEqual(['review.civil-air-defence', 'review.ecology', 'review.water']);
    expect(closing?.data).toMatchObject({ review: 'jointReview', cancelledTasks: expect.arrayContaining(cancelled.map((t) => t.id)) });
    expect(world.notifications.filter((n) => n.template === 'case.refused').map((n) => n.data)).toEqual([
      { reasons: [{ department: 'fire', reason: 'review.fire: reject — reasons given by the department' }] },
    ]);
  });
});

describe('moves the engine refuses, leaving the case as it was', () => {
  it('a return to a target the definition does not declare for the task', () => {
    const world = acceptedOnMonday();
    expectRefused(world, () => world.complete('review.fire', 'return', { returnTo: 'decision' }), ReturnNotAllowedError);
    expectRefused(world, () => world.complete('review.fire', 'return', { returnTo: 'applicant' }), ReturnNotAllowedError);
  });

  it('a withdrawal by anyone but who completed it, or of a task not completed', () => {
    const world = acceptedOnMonday();
    world.complete('review.fire', 'approve');
    expectRefused(world, () => world.withdraw('review.fire', actor('fire', 'handler', 'fire.colleague')), WithdrawalNotAllowedError);
    const open = world.openTask('review.ecology');
    expectRefused(world, () => world.execute({ type: 'task.withdraw', actor: actor('ecology', 'handler'), taskId: open.id, reason: '撤回' }), WithdrawalNotAllowedError);
  });

  it('the withdrawal of the approval that completed the review, once the lead claimed the joint decision', () => {
    const world = acceptedOnMonday();
    for (const r of reviews) world.complete(r, 'approve');
    world.claim('decision');
    expectRefused(world, () => world.withdraw('review.water'), WithdrawalNotAllowedError);
  });

  it('the withdrawal of an earlier approval, which opened nothing, once the lead claimed the joint decision it would cancel', () => {
    const world = acceptedOnMonday();
    for (const r of reviews) world.complete(r, 'approve');
    world.claim('decision');
    expectRefused(world, () => world.withdraw('review.planning'), WithdrawalNotAllowedError);
    world.execute({ type: 'task.release', actor: leadOf('housing'), taskId: world.openTask('decision').id });
    world.withdraw('review.planning');
    expect(world.openTasks().map((t) => t.key)).toEqual(['review.planning']);
  });

  it('a change of a required member, or of any member once the review started', () => {
    const world = CaseWorld.start(constructionPermit);
    const change = (department: string) => () =>
      world.execute({ type: 'review.members.change', actor: leadOf('housing'), caseId: world.case.id, review: 'jointReview', department, joins: false, reason: '不需要' });
    expectRefused(world, change('fire'), CommandNotAcceptedError);
    world.complete('acceptance', 'approve');
    expectRefused(world, change('civil-air-defence'), CommandNotAcceptedError);
  });

  it('closing the review while no member has rejected', () => {
    const world = acceptedOnMonday();
    world.complete('review.fire', 'approve');
    expectRefused(world, () => world.send({ type: 'review.closed', review: 'jointReview' }), CommandNotAcceptedError);
  });
});
