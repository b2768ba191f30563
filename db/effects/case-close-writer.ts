import type { EffectWriters } from './effect-writer.js';

/**
 * Whether the command closes the case, in SQL. `case.close` has no arm of its own: the cancellations of tasks
 * and timers read this, so that a task or timer the command also cancels one by one is touched by one arm.
 */
export const CLOSING = `($1::jsonb->>'closing')::boolean`;

/** `case.close`: whatever is still open or pending is cancelled (the case row carries the new status). */
export const CASE_CLOSE_WRITER = {
  'case.close': {
    write: (_effect, payload) => {
      payload.closing = true;
    },
    arms: () => [],
  },
} satisfies Partial<EffectWriters>;
