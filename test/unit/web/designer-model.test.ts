import { describe, expect, it } from 'vitest';
import { nextMondayMorning, parsedMachine, sameNameMapping, statesOf } from '../../../web/src/pages/designer/designer-model.js';

describe('the default simulation start', () => {
  it('is the next Monday at 09:00 in Beijing, a week on when it is Monday already', () => {
    // Wednesday 2 December 2026, 03:00 UTC (11:00 in Beijing).
    expect(nextMondayMorning(new Date('2026-12-02T03:00:00Z'))).toBe('2026-12-07T09:00');
    // Sunday 23:30 UTC is Monday 07:30 in Beijing: the Monday after.
    expect(nextMondayMorning(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-14T09:00');
    expect(nextMondayMorning(new Date('2026-12-06T15:00:00Z'))).toBe('2026-12-07T09:00');
  });
});

describe('the states of a machine', () => {
  const machine = {
    id: 'permit',
    states: { review: { states: { fire: { id: 'fire-review' }, water: {} } }, issued: { type: 'final' } },
  };

  it('names each state as XState does, an explicit id first', () => {
    expect(statesOf(machine, 'ignored')).toEqual([
      { id: 'permit.review', final: false },
      { id: 'fire-review', final: false },
      { id: 'permit.review.water', final: false },
      { id: 'permit.issued', final: true },
    ]);
    expect(statesOf({ states: { a: {} } }, 'key')).toEqual([{ id: 'key.a', final: false }]);
  });

  it('maps each non-final state the target has too onto itself', () => {
    const target = statesOf({ id: 'permit', states: { review: {}, issued: { type: 'final' }, signOff: {} } }, 'permit');
    expect(sameNameMapping(statesOf(machine, 'permit'), target)).toEqual({ 'permit.review': 'permit.review' });
  });
});

describe('a pasted machine', () => {
  it('is sent only when it is one JSON object', () => {
    expect(parsedMachine('{"id":"x"}')).toEqual({ machine: { id: 'x' } });
    expect(parsedMachine('{"id":')).toEqual({ problem: 'notJson' });
    expect(parsedMachine('[1]')).toEqual({ problem: 'notObject' });
    expect(parsedMachine('null')).toEqual({ problem: 'notObject' });
  });
});
