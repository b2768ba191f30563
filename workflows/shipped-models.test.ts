import { describe, expect, it } from 'vitest';
import { endingOf } from '../engine/simulation/definition-model.js';
import { progressVertex } from '../engine/simulation/progress-vertex.js';
import { everyMemberNeeded, finalStates, isSimulatedMove } from '../engine/simulation/simulate-definition.js';
import { compiledDefinition } from '../test/unit/support/case-world.js';
import { workflowSuite } from '../test/unit/support/workflow-model.js';
import { shippedDefinitions } from './index.js';

/**
 * Generated model-based tests of every shipped definition, with no file of its own: a definition added to
 * `shippedDefinitions` is walked here as it is. Its machine is the model, walked as a designer's simulation walks
 * it (`simulateDefinition`: every move but withdrawals and changes of members, states told apart by
 * `progressVertex`), and its shortest paths (the test model leaves out a path another one begins with) are
 * replayed on a sandbox case, the engine's invariants checked after every step with generic expectations (a
 * licence issued when the machine's actions issued one).
 * The files of each workflow walk the finer model and the loops, withdrawals and refusals it leaves out.
 */
for (const definition of shippedDefinitions) {
  describe(`${definition.key} v${definition.version}, generated`, () => {
    const compiled = compiledDefinition(definition);
    // Every optional member of its joint reviews takes part, as in a simulation.
    const suite = workflowSuite(definition, undefined, { vertex: progressVertex(compiled), offers: isSimulatedMove, answers: everyMemberNeeded(compiled) });
    // The coarse walk keeps one snapshot for several states: each path is retraced by its own moves.
    const paths = suite.shortest.flatMap((path) => suite.retrace(path) ?? []);

    it('reaches every final state the definition declares, by paths the machine takes as found', () => {
      const reached = new Set(paths.flatMap((path) => (endingOf(path) === null ? [] : [String(path.state.value)])));
      expect(reached).toEqual(new Set(finalStates(compiled)));
      expect(paths).toHaveLength(suite.shortest.length);
    });

    suite.itReplaysEach(paths);
  });
}
