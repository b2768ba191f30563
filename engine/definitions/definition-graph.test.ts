import { describe, expect, it } from 'vitest';
import { CaseWorld, compiledDefinition } from '../../test/unit/support/case-world.js';
import { asStored } from '../../test/unit/support/jsonb-order.js';
import { compileDefinition } from './process-definition.js';
import { shippedDefinitions } from '../../workflows/index.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { activeStateIds, definitionGraph } from './definition-graph.js';

/** How many transitions (one per target) the machine config declares, counted from the JSON itself: `on` and `onDone`. */
function declaredTransitions(config: Record<string, unknown>): number {
  const states = (config['states'] ?? {}) as Record<string, Record<string, unknown>>;
  const on = Object.values((config['on'] ?? {}) as Record<string, unknown>).flatMap((t) => (Array.isArray(t) ? t : [t]));
  const onDone = config['onDone'] === undefined ? [] : Array.isArray(config['onDone']) ? config['onDone'] : [config['onDone']];
  return on.length + onDone.length + Object.values(states).reduce((n, child) => n + declaredTransitions(child), 0);
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
    expect(state('construction-permit.jointReview.fire')).toMatchObject({ type: 'compound', initial: 'construction-permit.jointReview.fire.reviewing' });
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
      expect(siblings(graph, 'construction-permit.jointReview.fire')[0]).toBe('reviewing');
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
    expect(fromJointReview).toEqual([
      expect.objectContaining({ target: 'construction-permit.jointRefusal', event: 'xstate.done.state.construction-permit.jointReview', guard: { type: 'anyRejected' } }),
      expect.objectContaining({ target: 'construction-permit.jointDecision', event: 'xstate.done.state.construction-permit.jointReview', guard: null }),
    ]);
    expect(cp.transitions.find((t) => t.source === 'construction-permit.acceptance' && t.event === 'task.returned')).toMatchObject({
      target: 'construction-permit.supplement',
      guard: { type: 'taskIs', params: { task: 'acceptance' } },
    });
  });
});

describe('where a case stands', () => {
  it('a new case is at the window; accepted, it is in the joint review, each region in its review', () => {
    const world = CaseWorld.start(constructionPermit);
    expect(activeStateIds(world.definition, world.case.snapshot)).toEqual(['construction-permit.acceptance']);
    world.complete('acceptance', 'approve');
    world.complete('review.fire', 'approve');
    world.complete('review.water', 'return');
    const active = activeStateIds(world.definition, world.case.snapshot);
    expect(active[0]).toBe('construction-permit.jointReview');
    expect(active).toEqual(
      expect.arrayContaining([
        'construction-permit.jointReview.fire',
        'construction-permit.jointReview.fire.approved',
        'construction-permit.jointReview.water.correcting',
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
