import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from '../../workers/webhook-retry.js';

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe('webhook retries', () => {
  it('back off exponentially, the jitter between half and all of the step', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(POLICY, attempt, () => 0))).toEqual([500, 1_000, 2_000]);
    expect([1, 2, 3].map((attempt) => retryDelayMs(POLICY, attempt, () => 0.999_999))).toEqual([1_000, 2_000, 4_000]);
    expect(retryDelayMs(POLICY, 2, () => 0.5)).toBe(1_500);
  });

  it('never wait longer than the cap', () => {
    expect(retryDelayMs(POLICY, 4, () => 0.999_999)).toBe(5_000);
    expect(retryDelayMs({ ...POLICY, maxAttempts: 100 }, 60, () => 0.999_999)).toBe(5_000);
  });

  it('give up after the last attempt: the delivery is dead', () => {
    expect(retryDelayMs(POLICY, 5, () => 0)).toBeNull();
    expect(retryDelayMs(POLICY, 6, () => 0)).toBeNull();
    expect(retryDelayMs({ ...POLICY, maxAttempts: 1 }, 1, () => 0)).toBeNull();
  });

  it('by default try eight times over about a day and a half at most', () => {
    const longest = Array.from({ length: DEFAULT_RETRY_POLICY.maxAttempts - 1 }, (_, i) => retryDelayMs(DEFAULT_RETRY_POLICY, i + 1, () => 0.999_999) ?? 0);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, DEFAULT_RETRY_POLICY.maxAttempts)).toBeNull();
    expect(longest.reduce((a, b) => a + b, 0) / 3_600_000).toBeLessThan(36);
    expect(longest.every((delay, i) => i === 0 || delay >= (longest[i - 1] ?? 0))).toBe(true);
  });
});
