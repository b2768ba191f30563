import { describe, expect, it } from 'vitest';
import { shippedDefinitions } from '../workflows/index.js';
import { foodBusinessLicence } from '../workflows/food-business-licence.js';
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
    expect(() => compileDefinition(guard)).toThrow(/function at sample\.machine\.states\.review\.on\.task\.approved\.guard/);
    const action = definition({ ...sample.machine.states, review: { ...reviewState, entry: [() => undefined] } });
    expect(() => compileDefinition(action)).toThrow(/not serializable: function at sample\.machine\.states\.review\.entry\.0/);
    const param = definition({ ...sample.machine.states, review: { ...reviewState, entry: [{ type: 'notifyApplicant', params: { template: () => 'x' } }] } });
    expect(() => compileDefinition(param)).toThrow(TypeError);
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
    expect(() => compileDefinition(definition(undefined, { key: 'other' }))).toThrow(/machine id must equal the key, got sample/);
    const { id: _id, ...withoutId } = sample.machine;
    expect(() => compileDefinition({ ...sample, machine: withoutId })).toThrow(/machine id must equal the key, got undefined/);
  });

  it('refuses a version that is not a positive integer', () => {
    expect(() => compileDefinition(definition(undefined, { version: 0 }))).toThrow(/version must be a positive integer/);
    expect(() => compileDefinition(definition(undefined, { version: 1.5 }))).toThrow(/version must be a positive integer/);
  });

  it('refuses a final state without an outcome tag, even with other tags', () => {
    const untagged = definition({ ...sample.machine.states, refused: { type: 'final' } });
    expect(() => compileDefinition(untagged)).toThrow(/final state refused needs a tag of outcome\.approved or outcome\.refused/);
    const otherTag = definition({ ...sample.machine.states, approved: { type: 'final', tags: ['happy'] } });
    expect(() => compileDefinition(otherTag)).toThrow(/final state approved needs a tag/);
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
