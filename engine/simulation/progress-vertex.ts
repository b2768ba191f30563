import type { AnyStateNode, EventObject, StateValue } from 'xstate';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { moveOf } from './case-events.js';
import { votesOf } from './definition-model.js';
import type { ModelSnapshot } from './model-state.js';

/**
 * A coarser way to tell the model's states apart than `exactVertex`, for a walk that must stay fast on a
 * definition with many parallel regions: a region that has finished is `done`, whatever final state it finished
 * in (approved, rejected, skipped), so five parallel reviews make 3^5 vertices (reviewing, correcting, done)
 * rather than 5^5. What still tells apart every way into every final state: a top-level state is told apart by the
 * move that reached it (`refused <- decision:reject`), the regions by which of them are still open (which one
 * finishes last), a countersign step by its votes.
 */
export const progressVertex = (definition: CompiledDefinition) => (snapshot: ModelSnapshot, event: EventObject | undefined): string => {
  const value = typeof snapshot.value === 'string' && event ? `${snapshot.value} <- ${moveOf(event)}` : progressOf(definition.stateMachine.root, snapshot.value);
  return value + votesOf(definition, snapshot);
};

/**
 * The value with the regions of a parallel state that have finished counted by the final state they finished in,
 * not named: `{planning:reviewing | approved,approved,rejected}`.
 */
function progressOf(node: AnyStateNode, value: StateValue): string {
  if (typeof value === 'string') return value;
  const open: string[] = [];
  const done: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const state = node.states[key];
    if (!state || child === undefined) continue;
    const final = typeof child === 'string' && state.states[child]?.type === 'final';
    if (final && node.type === 'parallel') done.push(child);
    else if (node.type === 'parallel' && typeof child === 'string') open.push(key);
    else open.push(`${key}:${progressOf(state, child)}`);
  }
  return `{${open.join(',')}${done.length > 0 ? ` | ${done.sort().join(',')}` : ''}}`;
}
