import { describe, expect, it } from 'vitest';
import { shippedDefinitions } from '../../workflows/index.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import { caseMachineSetup } from './case-machine.js';
import { ACTION_PARAMS, GUARD_PARAMS } from './definition-vocabulary.js';
import { DefinitionInvalidError } from '../errors.js';
import { CASE_OUTCOME_TAGS, compileDefinition, definitionChecksum, type ProcessDefinition } from './process-definition.js';

/** A small valid definition to vary: one task, approved or refused. */
function definition(states?: Record<string, unknown>, overrides: Partial<ProcessDefinition> = {}): ProcessDefinition {
  return {
    key: 'sample',
    version: 1,
    title: 'Sample',
    machine: {
      id: 'sample',
      context: { outcomes: {}, rejections: [] },
      initial: 'review',
      states: (states ?? {
        review: {
          entry: [{ type: 'openTask', params: { task: 'review', kind: 'review', title: 'Review', department: 'fire', workingDays: 5 } }],
          on: {
            'task.approved': { guard: { type: 'taskIs', params: { task: 'review' } }, target: 'approved', actions: ['recordOutcome'] },
            'task.rejected': { guard: { type: 'taskIs', params: { task: 'review' } }, target: 'refused', actions: ['recordOutcome'] },
          },
        },
        approved: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
        refused: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
      }) as ProcessDefinition['machine']['states'],
    },
    ...overrides,
  };
}

/** The same value with the keys of every object in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)])) as T;
  }
  return value;
}

const sample = definition();
const reviewState = (sample.machine.states as Record<string, Record<string, unknown>>)['review'];

describe('compileDefinition', () => {
  it.each(shippedDefinitions.map((d) => [d.key, d] as const))('compiles the shipped %s', (_, shipped) => {
    const compiled = compileDefinition(shipped);
    expect(compiled.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(compiled.checksum).toBe(definitionChecksum(shipped));
    expect(compiled.stateMachine.id).toBe(shipped.key);
  });

  it('refuses an inline function anywhere in the machine, naming where it is', () => {
    const guard = definition({
      ...sample.machine.states,
      review: { ...reviewState, on: { 'task.approved': { guard: () => true, target: 'approved' } } },
    });
    expect(() => compileDefinition(guard)).toThrow(/machine\.states\.review\.on\.task\.approved\.guard: a function is not serializable/);
    const action = definition({ ...sample.machine.states, review: { ...reviewState, entry: [() => undefined] } });
    expect(() => compileDefinition(action)).toThrow(/machine\.states\.review\.entry\.0: a function is not serializable/);
    const param = definition({ ...sample.machine.states, review: { ...reviewState, entry: [{ type: 'notifyApplicant', params: { template: () => 'x' } }] } });
    expect(() => compileDefinition(param)).toThrow(DefinitionInvalidError);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a Date', new Date('2026-11-30T00:00:00Z')],
    ['a Map', new Map([['a', 1]])],
  ])('refuses %s, which does not survive being stored as JSON', (_, value) => {
    const notJson = definition({
      ...sample.machine.states,
      review: { ...reviewState, entry: [{ type: 'openTask', params: { task: 'review', kind: 'review', title: 'Review', department: 'fire', workingDays: value } }] },
    });
    expect(() => compileDefinition(notJson)).toThrow(/not plain JSON/);
  });

  it('refuses a machine id that differs from the key, or none', () => {
    expect(() => compileDefinition(definition(undefined, { key: 'other' }))).toThrow(/machine\.id: must equal the key other, got sample/);
    const { id: _id, ...withoutId } = sample.machine;
    expect(() => compileDefinition({ ...sample, machine: withoutId })).toThrow(/machine\.id: must equal the key sample, got undefined/);
  });

  it('refuses a version that is not a positive integer', () => {
    expect(() => compileDefinition(definition(undefined, { version: 0 }))).toThrow(/version: must be a positive integer/);
    expect(() => compileDefinition(definition(undefined, { version: 1.5 }))).toThrow(/version: must be a positive integer/);
  });

  it('refuses a final state without an outcome tag, even with other tags', () => {
    const untagged = definition({ ...sample.machine.states, refused: { type: 'final' } });
    expect(() => compileDefinition(untagged)).toThrow(/machine\.states\.refused\.tags: a final state needs a tag of outcome\.approved or outcome\.refused/);
    const otherTag = definition({ ...sample.machine.states, approved: { type: 'final', tags: ['happy'] } });
    expect(() => compileDefinition(otherTag)).toThrow(/machine\.states\.approved\.tags: a final state needs a tag/);
  });
});

/** The problems `compileDefinition` reports for a definition, or [] when it compiles. */
function problemsOf(candidate: ProcessDefinition): readonly { path: string; problem: string }[] {
  try {
    compileDefinition(candidate);
    return [];
  } catch (error) {
    if (error instanceof DefinitionInvalidError) return error.problems;
    throw error;
  }
}

const withReview = (review: Record<string, unknown>) => definition({ ...sample.machine.states, review: { ...reviewState, ...review } });
const openReview = (params: Record<string, unknown>) => ({ type: 'openTask', params: { task: 'review', kind: 'review', title: 'Review', department: 'fire', workingDays: 5, ...params } });

describe('compileDefinition checks the definition against the engine vocabulary', () => {
  it.each([
    ['an unknown action', { entry: [{ type: 'openTsk', params: {} }] }, 'machine.states.review.entry.0', /unknown action openTsk; the engine's actions are openTask, /],
    ['an unknown action named as a string', { exit: 'cleanUp' }, 'machine.states.review.exit', /unknown action cleanUp/],
    ['a param the action does not have', { entry: [openReview({ workingdays: 5 })] }, 'machine.states.review.entry.0.params', /openTask has no param workingdays/],
    ['a param of the wrong type', { entry: [openReview({ workingDays: '5' })] }, 'machine.states.review.entry.0.params.workingDays', /action openTask: /],
    ['a fractional number of working days', { entry: [openReview({ workingDays: 2.5 })] }, 'machine.states.review.entry.0.params.workingDays', /whole number of working days/],
    ['a task kind the engine does not know', { entry: [openReview({ kind: 'inspection' })] }, 'machine.states.review.entry.0.params.kind', /action openTask/],
    ['a missing param', { entry: [{ type: 'notifyApplicant', params: {} }] }, 'machine.states.review.entry.0.params.template', /action notifyApplicant/],
    ['params on an action that takes none', { entry: [openReview({}), { type: 'recordOutcome', params: { x: 1 } }] }, 'machine.states.review.entry.1.params', /recordOutcome takes no params/],
    ['a pause reason the clock ledger does not know', { entry: [openReview({}), { type: 'pauseCaseClocks', params: { reason: 'lunch' } }] }, 'machine.states.review.entry.1.params.reason', /action pauseCaseClocks/],
    ['params on resumeCaseClocks', { exit: [{ type: 'resumeCaseClocks', params: { reason: 'supplement' } }] }, 'machine.states.review.exit.0.params', /resumeCaseClocks takes no params/],
    [
      'an unknown guard',
      { on: { 'task.approved': { guard: 'allApproved', target: 'approved' } } },
      'machine.states.review.on.task.approved.guard',
      /unknown guard allApproved; the engine's guards are taskIs, periodIs, anyRejected/,
    ],
    [
      'a guard with a malformed param',
      { on: { 'task.approved': { guard: { type: 'taskIs', params: { task: 7 } }, target: 'approved' } } },
      'machine.states.review.on.task.approved.guard.params.task',
      /guard taskIs/,
    ],
    [
      'a guard naming a task no openTask opens',
      { on: { 'task.approved': { guard: { type: 'taskIs', params: { task: 'reveiw' } }, target: 'approved' } } },
      'machine.states.review.on.task.approved.guard.params.task',
      /names task reveiw, which no openTask or openCountersign of the definition opens/,
    ],
    ['an event a case never receives', { on: { 'task.aproved': 'approved' } }, 'machine.states.review.on.task.aproved', /not an event a case receives/],
    ['a target that is not a state', { on: { 'task.approved': { target: 'aproved' } } }, 'machine.states.review.on.task.approved.target', /target aproved is not a state/],
    ['an id target that is not a state', { always: [{ guard: 'anyRejected', target: '#sample.nowhere' }] }, 'machine.states.review.always.0.target', /target #sample\.nowhere/],
    ['a named delay', { after: { publicNotice: 'refused' } }, 'machine.states.review.after.publicNotice', /delay in milliseconds/],
    ['an actor invocation', { invoke: { src: 'inspector' } }, 'machine.states.review.invoke', /not a state property the engine runs/],
  ])('refuses %s, naming the state path and the problem', (_, review, path, problem) => {
    const problems = problemsOf(withReview(review));
    expect(problems).toContainEqual({ path, problem: expect.stringMatching(problem) });
  });

  it('reports every problem at once, as a 422 engine error, never a TypeError', () => {
    const broken = withReview({ entry: [{ type: 'openTsk' }, openReview({ workingDays: 0 })], on: { 'task.approved': { guard: 'nope', target: 'approved' } } });
    const error = (() => {
      try {
        return compileDefinition(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DefinitionInvalidError);
    expect(error).toMatchObject({ status: 422, code: 'TB-DEFINITION-INVALID', key: 'sample', version: 1 });
    expect((error as DefinitionInvalidError).problems.map((p) => p.path)).toEqual([
      'machine.states.review.entry.0',
      'machine.states.review.entry.1.params.workingDays',
      'machine.states.review.on.task.approved.guard',
    ]);
    expect((error as Error).message).toMatch(/^Process definition sample v1 is invalid: machine\.states\.review\.entry\.0: unknown action openTsk/);
  });

  it('checks inside parallel regions, nested states and transition lists', () => {
    const nested = definition({
      ...sample.machine.states,
      review: {
        type: 'parallel',
        states: {
          fire: { initial: 'a', states: { a: { entry: [{ type: 'startPeriod', params: { period: 'p', workingDays: -1 } }], on: { 'period.ended': [{ guard: { type: 'periodIs', params: { period: 'p' } }, target: 'b' }, { target: 'c' }] } }, b: { type: 'final' } } },
        },
        onDone: 'approved',
      },
    });
    expect(problemsOf(nested)).toEqual([
      { path: 'machine.states.review.states.fire.states.a.entry.0.params.workingDays', problem: expect.stringMatching(/at least one working day/) },
      { path: 'machine.states.review.states.fire.states.a.on.period.ended.1.target', problem: 'target c is not a state of the definition' },
    ]);
  });

  it('accepts every shipped definition, and targets by id, child and sibling', () => {
    for (const shipped of shippedDefinitions) expect(problemsOf(shipped)).toEqual([]);
    const targets = definition({
      ...sample.machine.states,
      review: { ...reviewState, initial: 'inner', states: { inner: { on: { 'supplement.submitted': '#sample.approved' } } }, always: [{ guard: 'anyRejected', target: '.inner' }] },
    });
    expect(problemsOf(targets)).toEqual([]);
  });

  it('knows exactly the actions and guards the machine implements, so adding one is one entry in the vocabulary', () => {
    const { implementations } = caseMachineSetup.createMachine({ id: 'probe' } as never);
    expect(Object.keys(ACTION_PARAMS).sort()).toEqual(Object.keys(implementations.actions).sort());
    expect(Object.keys(GUARD_PARAMS).sort()).toEqual(Object.keys(implementations.guards).sort());
  });
});

describe('definitionChecksum', () => {
  it('is stable under key reordering at every depth', () => {
    const reordered = reverseKeys(foodBusinessLicence);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(foodBusinessLicence));
    expect(definitionChecksum(reordered)).toBe(definitionChecksum(foodBusinessLicence));
    expect(compileDefinition(reordered).checksum).toBe(compileDefinition(foodBusinessLicence).checksum);
  });

  it('changes with the content and the version, not with the title', () => {
    const base = definitionChecksum(sample);
    const longer = definition({
      ...sample.machine.states,
      review: { ...reviewState, entry: [{ type: 'openTask', params: { task: 'review', kind: 'review', title: 'Review', department: 'fire', workingDays: 6 } }] },
    });
    expect(definitionChecksum(longer)).not.toBe(base);
    expect(definitionChecksum({ ...sample, version: 2 })).not.toBe(base);
    const renamed: ProcessDefinition = { ...sample, title: 'Renamed' };
    expect(definitionChecksum(renamed)).toBe(base);
    // Array order is content: the order of entry actions is the order effects are planned.
    const swapped = definition({ ...sample.machine.states, approved: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved, 'x'] } });
    const swappedBack = definition({ ...sample.machine.states, approved: { type: 'final', tags: ['x', CASE_OUTCOME_TAGS.approved] } });
    expect(definitionChecksum(swapped)).not.toBe(definitionChecksum(swappedBack));
  });

  it('is different for every shipped definition', () => {
    expect(new Set(shippedDefinitions.map(definitionChecksum)).size).toBe(shippedDefinitions.length);
  });
});
