import { describe, expect, it } from 'vitest';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { roadOccupation } from '../../workflows/road-occupation.js';
import { definitionProblems } from './definition-validation.js';

/**
 * Publishing refuses a joint review or a countersign whose names do not meet: a return, a withdrawal or an outcome
 * guard naming a task nothing opens, a countersign guard naming a step nothing opens, and a guard on an event it
 * can never hold on (a return target nobody could choose).
 */
type Json = Record<string, any>;
const machineOf = (definition: { machine: unknown }): Json => structuredClone(definition.machine) as Json;

describe('references a joint review and a countersign make', () => {
  it('a return, an outcome and a withdrawal guard name tasks the definition opens', () => {
    const m = machineOf(constructionPermit);
    m.states.acceptance.on['task.returned'].guard.params.task = 'acceptence';
    m.states.jointReview.states.fire.states.entering.always[1].guard.params.task = 'review.firehouse';
    m.states.supplement.on['task.withdrawn'].guard.params.task = 'accept';
    expect(definitionProblems(m)).toEqual([
      { path: 'machine.states.acceptance.on.task.returned.guard.params.task', problem: expect.stringContaining('names task acceptence') },
      { path: 'machine.states.supplement.on.task.withdrawn.guard.params.task', problem: expect.stringContaining('names task accept') },
      { path: 'machine.states.jointReview.states.fire.states.entering.always.1.guard.params.task', problem: expect.stringContaining('names task review.firehouse') },
    ]);
  });

  it('a list of tasks is checked name by name, and a countersign step by its name', () => {
    const m = machineOf(roadOccupation);
    m.states.jointReview.onDone[0].guard.params.tasks = ['review.traffic-police', 'review.bus'];
    m.states.signOff.always[0].guard.params.step = 'signof';
    const problems = definitionProblems(m);
    expect(problems).toContainEqual({ path: 'machine.states.jointReview.onDone.0.guard.params.tasks.1', problem: expect.stringContaining('names task review.bus') });
    expect(problems).toContainEqual({ path: 'machine.states.signOff.always.0.guard.params.step', problem: expect.stringContaining('names step signof, which no openCountersign') });
    expect(problems).toHaveLength(2);
  });

  it('a guard that reads an event holds only on that event', () => {
    const m = machineOf(constructionPermit);
    m.states.acceptance.on['task.approved'] = { guard: { type: 'returnTo', params: { task: 'acceptance', to: 'applicant', title: 't' } }, target: 'jointReview' };
    m.states.jointDecision.always = { guard: { type: 'withdrawable', params: { task: 'decision' } }, target: 'refused' };
    expect(definitionProblems(m)).toEqual([
      { path: 'machine.states.acceptance.on.task.approved.guard', problem: 'guard returnTo holds only on task.returned' },
      { path: 'machine.states.jointDecision.always.guard', problem: 'guard withdrawable holds only on task.withdrawn' },
    ]);
  });

  it('a countersign is declared whole: a vote has its threshold, signers are named once', () => {
    const m = machineOf(roadOccupation);
    const open = m.states.signOff.entry[0];
    open.params = { ...open.params, mode: 'vote', signers: [open.params.signers[0], open.params.signers[0]] };
    const problems = definitionProblems(m).map((p) => p.problem);
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('gives a threshold for a vote'), expect.stringContaining('names each signer once')]),
    );
  });

  it('the shipped definitions are clean', () => {
    expect(definitionProblems(machineOf(constructionPermit))).toEqual([]);
    expect(definitionProblems(machineOf(roadOccupation))).toEqual([]);
  });
});
