import type { GraphState, GraphTransition } from '../definition-graph.js';
import type { CompiledDefinition } from '../process-definition.js';
import type { DeclaredParts, DeclaredTransition } from './declared-parts.js';
import { finding, type LintFinding } from './lint-finding.js';
import { isEventless, isImmediate, isOnDone, type Statechart } from './statechart-reach.js';

/**
 * The rules read from the machine's graph (`statechart-reach.ts`): no state a case never enters, none it is stuck
 * in, parallel regions that all join, no eventless loop, returns that come back and withdrawals that reopen.
 */

/** What the graph rules read: the compiled machine, its statechart, and the config as written (for the paths). */
export interface GraphLintInput {
  readonly definition: CompiledDefinition;
  readonly chart: Statechart;
  readonly parts: DeclaredParts;
}

/** Every graph rule's findings, state rules first (unreachable, dead ends, joins), then loops, returns and withdrawals. */
export function graphFindings(input: GraphLintInput): LintFinding[] {
  const { chart } = input;
  // Reached by some transition: a state reached only past a parallel state whose regions never join is not
  // reported unreachable too, the join is (and whatever is stuck for it, as a dead end).
  const reachable = chart.reach(chart.defaultEntry(chart.root.id), undefined, true);
  const pathOf = pathsOf(input.parts);
  const keyOf = (id: string) => chart.states.find((s) => s.id === id)?.key ?? id;
  return [
    ...unreachableStates(chart, reachable, pathOf),
    ...deadEnds(chart, reachable, pathOf),
    ...regionsNeverJoining(chart, reachable, pathOf),
    ...eventlessLoops(chart, pathOf, keyOf),
    ...returnsAndWithdrawals(input, reachable, keyOf),
  ];
}

const pathsOf = (parts: DeclaredParts) => {
  const paths = new Map(parts.states.map((s) => [s.id, s.path]));
  return (id: string): string => paths.get(id) ?? 'machine';
};

/** The outermost states never entered: a state nested in one of them is never entered either, and is not repeated. */
function unreachableStates(chart: Statechart, reachable: ReadonlySet<string>, pathOf: (id: string) => string): LintFinding[] {
  return chart.states
    .filter((s) => !reachable.has(s.id) && s.parent !== null && reachable.has(s.parent))
    .map((s) => finding('unreachable-state', pathOf(s.id), s.id, `No transition from a state a case can be in leads to ${s.key}: a case never enters it.`));
}

/**
 * The states (the outermost only, as for unreachable ones) from which no top-level final state can be reached: a case
 * that gets there stays open for ever. A final state nested in a region is not one: its parallel state is judged.
 */
function deadEnds(chart: Statechart, reachable: ReadonlySet<string>, pathOf: (id: string) => string): LintFinding[] {
  const ends = chart.children(chart.root.id).filter((s) => s.type === 'final');
  const stuck = new Set(
    chart.states
      .filter((s) => reachable.has(s.id) && s.type !== 'final')
      .filter((s) => {
        const from = chart.reach(chart.configurationOf(s.id, reachable));
        return !ends.some((end) => from.has(end.id));
      })
      .map((s) => s.id),
  );
  return chart.states
    .filter((s) => stuck.has(s.id) && (s.parent === null || !stuck.has(s.parent)))
    .map((s) =>
      finding(
        'dead-end',
        pathOf(s.id),
        s.id,
        s.parent === null ? 'No final state can be reached from the start: a case never ends.' : `A case in ${s.key} can never end: no way leads from it to a final state.`,
      ),
    );
}

/**
 * Each parallel state a case enters: every region must reach a final state of its own by its own transitions, and
 * the parallel state must be left (`onDone`) once they all have.
 */
function regionsNeverJoining(chart: Statechart, reachable: ReadonlySet<string>, pathOf: (id: string) => string): LintFinding[] {
  return chart.states
    .filter((p) => p.type === 'parallel' && reachable.has(p.id))
    .flatMap((p) => {
      const regions = chart.children(p.id).filter((r) => {
        const inside = (t: { source: string; target: string }) => chart.isInside(t.source, r.id) && chart.isInside(t.target, r.id);
        return !chart.done(r.id, chart.reach(chart.defaultEntry(r.id), inside));
      });
      const left = chart.transitions.some((t) => t.source === p.id && isOnDone(t) && t.target !== p.id);
      return [
        ...regions.map((r) =>
          finding('region-never-joins', pathOf(r.id), r.id, `Region ${r.key} of ${p.key} never reaches a final state of its own, so ${p.key} never completes.`),
        ),
        ...(left ? [] : [finding('region-never-joins', pathOf(p.id), p.id, `${p.key} has no onDone transition: when all its regions are done, the case stays in it.`)]),
      ];
    });
}

/**
 * Cycles of eventless transitions (a target entered by default included; a transition back to its own state is not
 * one: XState stays put). Unguarded all round, the machine goes round for ever the moment a case enters the cycle —
 * the command that got it there never returns — an error; with guards, while they hold: a warning. One finding per
 * cycle, on its first state in the graph's order.
 */
function eventlessLoops(chart: Statechart, pathOf: (id: string) => string, keyOf: (id: string) => string): LintFinding[] {
  const reported = new Set<string>();
  const loops = (take: (t: GraphTransition) => boolean, report: (s: GraphState, round: string) => LintFinding): LintFinding[] => {
    const next = new Map<string, Set<string>>();
    for (const t of chart.transitions.filter((t) => isEventless(t) && take(t))) {
      const targets = next.get(t.source) ?? new Set<string>();
      for (const id of chart.defaultEntry(t.target)) if (id !== t.source) targets.add(id);
      next.set(t.source, targets);
    }
    const ahead = (id: string) => closure(id, (from) => next.get(from) ?? []);
    return chart.states.flatMap((s) => {
      const around = reported.has(s.id) ? new Set<string>() : ahead(s.id);
      if (!around.has(s.id)) return [];
      // The states it leads to by eventless moves and that lead back to it: its cycle.
      const cycle = chart.states.filter((c) => c.id !== s.id && around.has(c.id) && ahead(c.id).has(s.id));
      [s, ...cycle].forEach((c) => reported.add(c.id));
      return [report(s, `from ${s.key} through ${cycle.map((c) => keyOf(c.id)).join(', ')} back to it`)];
    });
  };
  return [
    ...loops(
      (t) => t.guard === null,
      (s, round) => finding('endless-eventless-loop', `${pathOf(s.id)}.always`, s.id, `Unguarded eventless transitions lead ${round}: a case entering it loops for ever.`),
    ),
    ...loops(
      () => true,
      (s, round) => finding('eventless-loop', `${pathOf(s.id)}.always`, s.id, `Eventless transitions lead ${round}: while their guards hold, the case loops without waiting for anything.`),
    ),
  ];
}

/** Every state reached from `start`'s successors (itself only through a cycle). */
function closure(start: string, next: (id: string) => Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...next(start)];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...next(id));
  }
  return seen;
}

/**
 * A return (退回, guard `returnTo`) sends the task's work back to be done again: from where it goes, the case
 * must come back to a state that opens the task. A withdrawal (撤回, guard `withdrawable`) reopens the task it takes
 * back: the state it goes to, or one its eventless moves lead to at once, opens it.
 */
function returnsAndWithdrawals(input: GraphLintInput, reachable: ReadonlySet<string>, keyOf: (id: string) => string): LintFinding[] {
  const { chart, parts, definition } = input;
  const openers = (task: string) =>
    parts.actions
      .filter((a) => a.declaredIn === 'entry' && ((a.type === 'openTask' && a.params['task'] === task) || (a.type === 'openCountersign' && task.startsWith(`${String(a.params['step'])}.`))))
      .map((a) => a.state);
  const targetsOf = (t: DeclaredTransition): string[] => {
    const node = definition.stateMachine.getStateNodeById(t.state);
    const resolved = t.event === null ? undefined : node.transitions.get(t.event)?.[t.index];
    return resolved?.target?.map((n: { id: string }) => n.id) ?? [t.state];
  };
  return parts.transitions.flatMap((t) => {
    const kind = t.guard?.type;
    const task = t.guard?.params['task'];
    if ((kind !== 'returnTo' && kind !== 'withdrawable') || typeof task !== 'string') return [];
    const opening = openers(task);
    if (opening.length === 0) return [];
    return targetsOf(t).flatMap((target) => {
      const from = chart.configurationOf(target, reachable);
      // A join that never comes is reported as such, not as every return and withdrawal it strands.
      const ahead = chart.reach(from, kind === 'returnTo' ? undefined : isImmediate, true);
      if (opening.some((id) => ahead.has(id))) return [];
      return kind === 'returnTo'
        ? [finding('return-never-comes-back', t.path, t.state, `The return of ${task} goes to ${keyOf(target)}, from where the case never comes back to ${task}: a return sends the work back to be done again.`)]
        : [finding('withdrawal-never-reopens', t.path, t.state, `Taking ${task} back goes to ${keyOf(target)}, where ${task} does not open again for its handler.`)];
    });
  });
}
