import { describe, expect, it } from 'vitest';
import { deadline } from '../engine/time/deadline.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import { expectInvariants } from '../test/unit/support/model-invariants.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { endingsOf, moveOf, movesOf, pathOf, workflowSuite } from '../test/unit/support/workflow-model.js';
import { CONSTRUCTION_PERMIT_REVIEWS, constructionPermit, constructionPermitItem } from './construction-permit.js';

/**
 * Model-based tests of the construction permit: the definition's machine is the model (`xstate/graph`), the
 * pure engine is the system under test, and every step of every path is checked against the model and the
 * engine's invariants (`expectInvariants`).
 *
 * Which paths: the shortest path to every vertex — one vertex per combination of the five review regions'
 * states, and one per way into each top-level state, so every department's rejection, each of its returns and
 * every way to a refusal (the last review, the lead closing the review) are walked. The graph does not offer the
 * lead's change of members at acceptance: each change would add the 4^4 combinations of the other regions again
 * (some 760 paths instead of some 520); `construction-permit-review.test.ts` walks them as targeted sequences,
 * with the returns, withdrawals and refusals that need a case in a given state. Simple paths are not used: five
 * parallel regions with return loops give far too many. Loops cannot be on a shortest path (it never revisits a
 * vertex), so the correction loop of every department and the supplement loop are targeted sequences below.
 */
const constructionPermitExpectations = { licenceIssued: (s: ModelSnapshot) => s.matches('issued') };
const suite = workflowSuite(constructionPermit, constructionPermitExpectations, { offers: (move) => !/:(join|leave) /.test(move) });
const { shortest } = suite;
const departments = CONSTRUCTION_PERMIT_REVIEWS.map((r) => r.department);

describe('construction permit model', () => {
  it('reaches every final state by every transition into it, and every department rejects and returns both ways somewhere', () => {
    expect(endingsOf(shortest)).toEqual(
      new Set(['issued <- period:publicNotice', 'refused <- decision:reject', 'refused <- refusal:approve', 'notAccepted <- acceptance:reject']),
    );
    const moves = new Set(shortest.flatMap(movesOf));
    for (const d of departments) {
      expect(moves).toContain(`review.${d}:reject`);
      expect(moves).toContain(`review.${d}:return>correction`);
      expect(moves).toContain(`review.${d}:return>acceptance`);
    }
    expect(moves).toContain('acceptance:withdraw');
    // 4^5 combinations of (reviewing, correcting, approved, rejected) are each the end of some path or on one.
    expect(shortest.length).toBeGreaterThan(400);
    expect(shortest.length).toBeLessThan(600);
    // The joint refusal comes when the last review finishes, whatever its outcome (after a rejection the other
    // departments still review), or when the lead closes the review once a rejection is in.
    const intoRefusal = new Set(shortest.flatMap((p) => p.steps.filter((s) => s.state.value === 'jointRefusal').map((s) => moveOf(s.event).split(':')[1])));
    expect(intoRefusal).toEqual(new Set(['approve', 'reject', 'close']));
  });

  it('the invariant check fails on a case that lost a deadline timer or kept a task the model closed', async () => {
    const path = pathOf(constructionPermit, ['acceptance:approve']);
    const world = await suite.replayMoves(['acceptance:approve']);
    const review = world.openTask('review.fire');
    const deadline = world.pendingTimers().find((t) => t.taskId === review.id);
    if (!deadline) throw new Error('no deadline timer');
    world.timers.set(deadline.id, { ...deadline, status: 'cancelled' });
    expect(() => expectInvariants(world, path.state, constructionPermitExpectations)).toThrow();
    const stale = CaseWorld.start(constructionPermit);
    expect(() => expectInvariants(stale, path.state, constructionPermitExpectations)).toThrow();
  });

  it('the invariant check fails on a completion whose opinion or outcome does not match the context', async () => {
    const moves = ['acceptance:approve', 'review.fire:approve'];
    const world = await suite.replayMoves(moves);
    const path = pathOf(constructionPermit, moves);
    expect(() => expectInvariants(world, path.state, constructionPermitExpectations)).not.toThrow();
    const fire = world.completedTask('review.fire');
    world.tasks.set(fire.id, { ...fire, outcome: 'reject' });
    expect(() => expectInvariants(world, path.state, constructionPermitExpectations)).toThrow();
    world.tasks.set(fire.id, fire);
    world.opinions.push({ ...(world.opinions.at(-1) as (typeof world.opinions)[number]), id: 'second' });
    expect(() => expectInvariants(world, path.state, constructionPermitExpectations)).toThrow();
  });
});

describe('construction permit: shortest paths', () => {
  suite.itReplaysEach(shortest);
});

describe('construction permit: loops and targeted sequences', () => {
  it('every department returns the application once for correction, then all approve and the permit is issued', async () => {
    const moves = [
      'acceptance:approve',
      ...departments.flatMap((d) => [`review.${d}:return>correction`, `correction.${d}:approve`, `review.${d}:approve`]),
      'decision:approve',
      'period:publicNotice',
    ];
    const world = await suite.replayMoves(moves);
    expect(world.case.status).toBe('approved');
    const corrections = [...world.tasks.values()].filter((t) => t.kind === 'correction');
    expect(corrections.map((t) => [t.key, t.departmentCode, t.status])).toEqual(
      departments.map((d) => [`correction.${d}`, constructionPermitItem.leadDepartment, 'completed']),
    );
    const [licence] = world.licences;
    expect(licence).toMatchObject({ licenceType: 'cp', holder: world.case.applicant, caseId: world.case.id });
    // The licence comes when the five working days of public notice (公示) have run from the decision.
    const decision = [...world.tasks.values()].find((t) => t.key === 'decision');
    expect(licence?.issuedAt).toEqual(deadline(world.calendar, decision?.completedAt ?? new Date(0), 5, world.case.countingRule).due);
  });

  it('the supplement loop (补正) runs twice, then the application is not accepted with its reasons', async () => {
    const moves = ['acceptance:return>applicant', 'supplement', 'acceptance:return>applicant', 'supplement', 'acceptance:reject'];
    const world = await suite.replayMoves(moves);
    expect(world.case.status).toBe('refused');
    expect(world.materials).toHaveLength(3);
    expect(world.notifications.filter((n) => n.template === 'supplement.requested')).toHaveLength(2);
    expect(world.context.rejections).toEqual([{ task: 'acceptance', department: 'window', reason: expect.stringContaining('reject') }]);
  });

  it('the window takes its request for a supplement back before the applicant answered: the acceptance reopens', async () => {
    const world = await suite.replayMoves(['acceptance:return>applicant', 'acceptance:withdraw', 'acceptance:approve']);
    expect([...world.tasks.values()].filter((t) => t.key === 'acceptance').map((t) => t.status)).toEqual(['withdrawn', 'completed']);
    expect(world.case.stateLabel).toBe('jointReview');
  });

  it('a rejection leaves the other reviews open; when every department has finished, the joint refusal gives every reason', async () => {
    const moves = [
      'acceptance:approve',
      'review.planning:approve',
      'review.fire:return>correction',
      'review.water:return>correction',
      'correction.water:approve',
      'review.ecology:reject',
    ];
    const rejected = await suite.replayMoves(moves);
    expect(rejected.case.stateLabel).toBe('jointReview');
    expect([...rejected.tasks.values()].filter((t) => t.status === 'cancelled')).toEqual([]);
    expect(rejected.openTasks().map((t) => t.key).sort()).toEqual(['correction.fire', 'review.civil-air-defence', 'review.water']);

    const finished = [...moves, 'correction.fire:approve', 'review.fire:reject', 'review.civil-air-defence:approve', 'review.water:reject'];
    const inRefusal = await suite.replayMoves(finished);
    expect(inRefusal.openTasks().map((t) => [t.key, t.kind, t.departmentCode])).toEqual([['refusal', 'decision', 'housing']]);

    const refused = await suite.replayMoves([...finished, 'refusal:approve']);
    const reasons = ['ecology', 'fire', 'water'].map((d) => ({ department: d, reason: `review.${d}: reject — reasons given by the department` }));
    expect(refused.context.rejections.map(({ department, reason }) => ({ department, reason }))).toEqual(reasons);
    // The applicant's refusal notice (不予许可决定) carries every department's reasons, not only the first.
    expect(refused.notifications.filter((n) => n.template === 'case.refused').map((n) => n.data)).toEqual([{ reasons }]);
    expect(refused.licences).toEqual([]);
  });

  it('rejections by every department are all kept, and the last department to finish may approve', async () => {
    const moves = ['acceptance:approve', ...departments.slice(0, -1).map((d) => `review.${d}:reject`), `review.${departments.at(-1)}:approve`];
    const world = await suite.replayMoves([...moves, 'refusal:approve']);
    expect(world.context.rejections.map((r) => r.department)).toEqual(departments.slice(0, -1));
    expect(world.case.status).toBe('refused');
  });
});
