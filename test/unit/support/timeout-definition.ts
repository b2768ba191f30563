import { CASE_OUTCOME_TAGS, type ProcessDefinition } from '../../../engine/definitions/process-definition.js';

/**
 * A process whose first state times out after a minute (an `after` delay: a durable `machine.delay` timer),
 * unless a supplement comes first. For tests of short timers, which no shipped process has.
 */
export function timeoutDefinition(key: string): ProcessDefinition {
  return {
    key,
    version: 1,
    title: `Timeout ${key}`,
    machine: {
      id: key,
      context: { outcomes: {}, rejections: [] },
      initial: 'waiting',
      states: {
        waiting: { after: { 60000: 'timedOut' }, on: { 'supplement.submitted': 'answered' } },
        timedOut: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
        answered: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
      },
    },
  };
}
