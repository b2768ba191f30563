import { describe, expect, it } from 'vitest';
import { CaseWorld, compiledDefinition } from '../../test/unit/support/case-world.js';
import { asStored } from '../../test/unit/support/jsonb-order.js';
import { compileDefinition } from './process-definition.js';
import { shippedDefinitions } from '../../workflows/index.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { eiaApproval } from '../../workflows/eia-approval.js';
import { roadOccupation } from '../../workflows/road-occupation.js';
import { activeStateIds, definitionGraph, EVENTLESS } from './definition-graph.js';

/** How many transitions (one per target) the machine config declares, counted from the JSON itself: `on`, `onDone` and `always`. */
function declaredTransitions(config: Record<string, unknown>): number {
  const states = (config['states'] ?? {}) as Record<string, Record<string, unknown>>;
  const listed = (t: unknown) => (t === undefined ? [] : Array.isArray(t) ? t : [t]);
  const on = Object.values((config['on'] ?? {}) as Record<string, unknown>).flatMap(listed);
  return on.length + listed(config['onDone']).length + listed(config['always']).length + Object.values(states).reduce((n, child) => n + declaredTransitions(child), 0);
}

describe('a definition as a diagram', () => {
  const cp = definitionGraph(compiledDefinition(constructionPermit));
  const state = (id: string) => cp.states.find((s) => s.id === id);

  it('lists every state once, the root first and each before its children, nested as the machine nests them', () => {
    expect(cp.states[0]).toMatchObject({ id: 'construction-permit', parent: null, type: 'compound', initial: 'construction-permit.acceptance' });
    expect(new Set(cp.states.map((s) => s.id)).size).toBe(cp.states.length);
    const seen = new Set<string>();
    for (const s of cp.states) {
      if (s.parent !== null) expect(seen.has(s.parent)).toBe(true);
      seen.add(s.id);
    }
    expect(state('construction-permit.jointReview')?.type).toBe('parallel');
    const regions = cp.states.filter((s) => s.parent === 'construction-permit.jointReview').map((s) => s.key);
    expect(regions).toEqual(['planning', 'ecology', 'fire', 'civil-air-defence', 'water']);
    // Each region first decides whether its department takes part (an optional member may be skipped).
    expect(state('construction-permit.jointReview.fire')).toMatchObject({ type: 'compound', initial: 'construction-permit.jointReview.fire.entering' });
  });

  it('orders siblings as the process reaches them, whatever the order of the stored JSON’s keys (jsonb sorts them)', () => {
    const siblings = (graph: ReturnType<typeof definitionGraph>, parent: string) => graph.states.filter((s) => s.parent === parent).map((s) => s.key);
    const stored = definitionGraph(compileDefinition(asStored(constructionPermit)));
    for (const graph of [cp, stored]) {
      const top = siblings(graph, 'construction-permit');
      const before = (...keys: string[]) => keys.every((key, i) => i === 0 || top.indexOf(keys[i - 1] as string) < top.indexOf(key));
      expect(top.slice(0, 2)).toEqual(['acceptance', 'jointReview']);
      // The way to a licence reads in order, and so does the way to a refusal.
      expect(before('jointReview', 'jointDecision', 'publicNotice', 'issued')).toBe(true);
      expect(before('jointReview', 'jointRefusal', 'refused')).toBe(true);
      // A region decides on entering whether its department takes part, or has already decided (an approval that
      // stands); the review comes before the outcomes it leads to all the same, and its correction after it.
      expect(siblings(graph, 'construction-permit.jointReview.fire')).toEqual(['entering', 'skipped', 'reviewing', 'approved', 'rejected', 'returned-correction']);
    }
  });

  it('tells what a state does on entry: the task it opens, the clocks it pauses, the period it waits for', () => {
    expect(state('construction-permit.jointReview.fire.reviewing')?.task).toEqual({ task: 'review.fire', kind: 'review', title: '消防设计审查 Fire protection review', department: 'fire' });
    expect(state('construction-permit.supplement')?.pausesClocks).toBe('supplement');
    expect(state('construction-permit.publicNotice')).toMatchObject({ pausesClocks: 'public-notice', period: { period: 'publicNotice', workingDays: 5 } });
    expect(state('construction-permit.issued')).toMatchObject({ type: 'final' });
    expect(state('construction-permit.issued')?.task).toBeUndefined();
  });

  it.each(shippedDefinitions.map((d) => [d.key, d] as const))('%s: every declared transition, between states of the graph, with its event and guard', (_, definition) => {
    const graph = definitionGraph(compiledDefinition(definition));
    expect(graph.transitions).toHaveLength(declaredTransitions(definition.machine as Record<string, unknown>));
    const ids = new Set(graph.states.map((s) => s.id));
    for (const t of graph.transitions) {
      expect(ids.has(t.source) && ids.has(t.target)).toBe(true);
    }
    expect(new Set(graph.transitions.map((t) => t.id)).size).toBe(graph.transitions.length);
  });

  it('keeps the guards: which task an outcome is for, and the joint review’s choice of refusal when any department rejected', () => {
    const fromJointReview = cp.transitions.filter((t) => t.source === 'construction-permit.jointReview');
    const reviews = ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'].map((d) => `review.${d}`);
    expect(fromJointReview).toEqual([
      expect.objectContaining({ target: 'construction-permit.acceptance', event: 'task.withdrawn', guard: { type: 'withdrawable', params: { task: 'acceptance', before: reviews } } }),
      expect.objectContaining({ target: 'construction-permit.jointRefusal', event: 'review.closed', guard: { type: 'reviewClosable', params: { review: 'jointReview', tasks: reviews } } }),
      expect.objectContaining({
        target: 'construction-permit.jointRefusal',
        event: 'xstate.done.state.construction-permit.jointReview',
        guard: { type: 'someOutcomeIs', params: { tasks: reviews, outcome: 'reject' } },
      }),
      expect.objectContaining({ target: 'construction-permit.jointDecision', event: 'xstate.done.state.construction-permit.jointReview', guard: null }),
    ]);
    expect(cp.transitions.find((t) => t.source === 'construction-permit.acceptance' && t.event === 'task.returned')).toMatchObject({
      target: 'construction-permit.supplement',
      guard: { type: 'returnTo', params: { task: 'acceptance', to: 'applicant' } },
    });
  });
});

describe('eventless transitions (`always`), which the directed graph leaves out', () => {
  const eventless = (graph: ReturnType<typeof definitionGraph>, source: string) =>
    graph.transitions.filter((t) => t.source === source && t.event === EVENTLESS).map((t) => [t.target, t.guard]);

  it('a countersign step leads on by its outcome: the deputies’ sign-off (或签), the experts’ vote (票签), a dispute’s reconsideration', () => {
    const road = definitionGraph(compiledDefinition(roadOccupation));
    const outcome = (step: string, outcome: string) => ({ type: 'countersignIs', params: { step, outcome } });
    expect(eventless(road, 'road-occupation.signOff')).toEqual([
      ['road-occupation.issued', outcome('signOff', 'approved')],
      ['road-occupation.refused', outcome('signOff', 'rejected')],
    ]);
    expect(eventless(road, 'road-occupation.jointReviewDispute.handling')).toEqual([
      ['road-occupation.signOff', outcome('jointReviewReconsideration', 'approved')],
      ['road-occupation.jointReviewDispute.lead', outcome('jointReviewReconsideration', 'rejected')],
    ]);
    const eia = definitionGraph(compiledDefinition(eiaApproval));
    expect(eventless(eia, 'eia-approval.expertPanel').map(([target]) => target)).toEqual(['eia-approval.decision', 'eia-approval.refusal']);
  });

  it('a joint review’s region leaves `entering` by them: the member takes no part, its outcome stands, or it reviews', () => {
    const cp = definitionGraph(compiledDefinition(constructionPermit));
    const membership = { review: 'jointReview', department: 'fire', required: true };
    expect(eventless(cp, 'construction-permit.jointReview.fire.entering')).toEqual([
      ['construction-permit.jointReview.fire.skipped', { type: 'skipsReview', params: membership }],
      ['construction-permit.jointReview.fire.approved', { type: 'outcomeIs', params: { task: 'review.fire', outcome: 'approve' } }],
      ['construction-permit.jointReview.fire.rejected', { type: 'outcomeIs', params: { task: 'review.fire', outcome: 'reject' } }],
      ['construction-permit.jointReview.fire.reviewing', null],
    ]);
  });

  it.each(shippedDefinitions.map((d) => [d.key, d] as const))('%s: no state but a final one is a dead end', (_, definition) => {
    const graph = definitionGraph(compiledDefinition(definition));
    const parentOf = new Map(graph.states.map((s) => [s.id, s.parent]));
    // A state is left by its own transitions to another state or by those of a state it is in.
    const leaves = (id: string | null): boolean => id !== null && (graph.transitions.some((t) => t.source === id && t.target !== id) || leaves(parentOf.get(id) ?? null));
    const deadEnds = graph.states.filter((s) => s.type === 'atomic' && !leaves(s.id)).map((s) => s.id);
    expect(deadEnds).toEqual([]);
  });
});

describe('where a case stands', () => {
  it('a new case is at the window; accepted, it is in the joint review, each region in its review', () => {
    const world = CaseWorld.start(constructionPermit);
    expect(activeStateIds(world.definition, world.case.snapshot)).toEqual(['construction-permit.acceptance']);
    world.complete('acceptance', 'approve');
    world.complete('review.fire', 'approve');
    world.complete('review.water', 'return', { returnTo: 'correction' });
    const active = activeStateIds(world.definition, world.case.snapshot);
    expect(active[0]).toBe('construction-permit.jointReview');
    expect(active).toEqual(
      expect.arrayContaining([
        'construction-permit.jointReview.fire',
        'construction-permit.jointReview.fire.approved',
        'construction-permit.jointReview.water.returned-correction',
        'construction-permit.jointReview.planning.reviewing',
      ]),
    );
    expect(active).toHaveLength(1 + 5 * 2);
  });

  it('a closed case is in its final state', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'reject');
    expect(activeStateIds(world.definition, world.case.snapshot)).toEqual(['construction-permit.notAccepted']);
  });
});
