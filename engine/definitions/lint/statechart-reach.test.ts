import { describe, expect, it } from 'vitest';
import { definitionGraph } from '../definition-graph.js';
import { compileDefinition, type ProcessDefinition } from '../process-definition.js';
import { statechart } from './statechart-reach.js';

/**
 * Where a case can go, with statechart semantics: a compound state enters its initial child, a parallel state all
 * its regions; a transition on a state is available from inside it; a parallel state's `onDone` waits for every
 * region to finish.
 */
const tiny: ProcessDefinition = {
  key: 'tiny',
  version: 1,
  title: 'tiny',
  machine: {
    id: 'tiny',
    context: { outcomes: {}, rejections: [] },
    initial: 'start',
    states: {
      start: { on: { 'supplement.submitted': 'both' } },
      both: {
        type: 'parallel',
        states: {
          left: { initial: 'waiting', states: { waiting: { on: { 'supplement.submitted': 'done' } }, done: { type: 'final' } } },
          right: { initial: 'waiting', states: { waiting: { on: { 'period.ended': 'done' } }, done: { type: 'final' } } },
        },
        onDone: 'held',
      },
      held: {
        initial: 'inner',
        // Available from inner, which has no transition of its own.
        on: { 'deadline.elapsed': 'granted' },
        states: { inner: {} },
      },
      granted: { type: 'final', tags: ['outcome.approved'] },
    },
  },
};

describe('where a case can go', () => {
  const chart = statechart(definitionGraph(compileDefinition(tiny)));
  const start = chart.defaultEntry(chart.root.id);

  it('enters a compound state’s initial child and every region of a parallel state', () => {
    expect(start).toEqual(['tiny', 'tiny.start']);
    expect(chart.defaultEntry('tiny.both')).toEqual(['tiny.both', 'tiny.both.left', 'tiny.both.left.waiting', 'tiny.both.right', 'tiny.both.right.waiting']);
    expect([...chart.reach(start)]).toEqual(expect.arrayContaining(['tiny.held.inner', 'tiny.granted']));
  });

  it('leaves a parallel state once every region has finished, not before', () => {
    const withoutPeriods = chart.reach(start, (t) => t.event !== 'period.ended');
    expect(withoutPeriods.has('tiny.both.left.done')).toBe(true);
    expect(chart.done('tiny.both', withoutPeriods)).toBe(false);
    expect(withoutPeriods.has('tiny.held')).toBe(false);
    // Assuming the join, what its onDone leads to is reached all the same.
    expect(chart.reach(start, (t) => t.event !== 'period.ended', true).has('tiny.held')).toBe(true);
  });

  it('takes a transition declared on a state from any state inside it', () => {
    const reachable = chart.reach(start);
    expect(chart.reach(chart.configurationOf('tiny.held.inner', reachable)).has('tiny.granted')).toBe(true);
  });

  it('counts the other regions as where they can be, beside a state in one region', () => {
    const reachable = chart.reach(start);
    expect([...chart.configurationOf('tiny.both.left.waiting', reachable)]).toEqual(expect.arrayContaining(['tiny.both.right.done']));
  });
});
