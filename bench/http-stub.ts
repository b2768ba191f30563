import type { Engine } from '../engine/engine.js';

/**
 * What the HTTP layer's figures in `micro` send and answer: a task completion (the commonest command, with a body
 * to validate) to an engine that answers at once, so that only the HTTP layer's own CPU is measured.
 */
export const COMPLETE_PATH = '/api/tasks/6f1c1d8e-0000-4000-8000-000000000099/complete';
export const COMPLETE_BODY = { outcome: 'approve', opinion: { text: '同意 Approved' } };
/** The demo user who sends it: a department's handler, allowed to complete tasks. */
export const SENDER = 'fire.handler';

/** An engine that does no work: every command is answered as the real one answers a completed task. */
export function stubEngine(): Engine {
  return {
    execute: async () => ({ caseId: 'x', version: 2, status: 'running', state: 'jointReview', changed: true }),
    startCase: async () => ({ caseId: 'x', version: 1, status: 'running', state: 'acceptance', changed: true }),
  } as unknown as Engine;
}
