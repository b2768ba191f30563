/**
 * When a failed webhook delivery is tried again: exponential backoff with full jitter (the delay is drawn
 * between half and all of `base · 2^(attempt-1)`, capped), so that a receiver coming back is not hit by every
 * dispatcher at once. After `maxAttempts` the delivery is dead: a dead letter, replayable.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 8: about a day and a half with the defaults). */
  readonly maxAttempts: number;
  /** The delay after the first failure (default 30 s). */
  readonly baseDelayMs: number;
  /** No delay is longer (default 12 h). */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 12 * 60 * 60_000 };

/**
 * The delay before the attempt after failed attempt `attempt` (from 1), or null when it was the last one.
 * `random` in [0, 1) draws the jitter (injected, so tests know the answer).
 *
 * @example
 * retryDelayMs(DEFAULT_RETRY_POLICY, 3, () => 0.5); // 90_000: between 60 s and 120 s
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
