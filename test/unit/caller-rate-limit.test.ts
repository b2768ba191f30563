import { describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CallerRateLimiter, limitCallers } from '../../api/caller-rate-limit.js';
import { ManualClock } from '../../engine/time/wall-clock.js';
import { ApiMetrics } from '../../platform/api-metrics.js';
import { sampleOf } from '../support/prometheus-text.js';

describe('the per-caller limit: a token bucket per credential', () => {
  it('lets a full minute through at once, then one request per refilled share, saying when', () => {
    const clock = new ManualClock(new Date('2026-11-30T09:00:00+08:00'));
    const limiter = new CallerRateLimiter({ perMinute: 60 }, clock);
    for (let i = 0; i < 60; i++) expect(limiter.take('Bearer a')).toBe(0);
    expect(limiter.take('Bearer a')).toBe(1); // one request a second comes back
    clock.advance({ ms: 500 });
    expect(limiter.take('Bearer a')).toBe(1);
    clock.advance({ ms: 500 });
    expect(limiter.take('Bearer a')).toBe(0);
    expect(limiter.take('Bearer a')).toBe(1);
    // Another credential has a bucket of its own, full.
    expect(limiter.take('Bearer b')).toBe(0);
  });

  it('refills no further than a minute’s worth', () => {
    const clock = new ManualClock(new Date('2026-11-30T09:00:00+08:00'));
    const limiter = new CallerRateLimiter({ perMinute: 10 }, clock);
    limiter.take('ApiKey tbk.x.y');
    clock.advance({ hours: 1 });
    const taken = Array.from({ length: 11 }, () => limiter.take('ApiKey tbk.x.y'));
    expect(taken.filter((retryAfter) => retryAfter === 0)).toHaveLength(10);
    expect(taken[10]).toBe(6);
  });

  it('refuses with 429 before the app, and counts each refusal in the metrics', async () => {
    const metrics = new ApiMetrics({ database: () => Promise.reject(new Error('not asked')) });
    const reached: string[] = [];
    const listener = limitCallers(
      new CallerRateLimiter({ perMinute: 2 }, new ManualClock(new Date('2026-11-30T09:00:00+08:00'))),
      (req) => void reached.push(String(req.headers.authorization)),
      () => metrics.rateLimited.inc(),
    );
    const statuses: number[] = [];
    const send = (authorization?: string) =>
      listener({ headers: authorization ? { authorization } : {} } as IncomingMessage, { writeHead: (status: number) => statuses.push(status), end: () => {} } as unknown as ServerResponse);
    for (let i = 0; i < 4; i++) send('Bearer a');
    send(); // without credentials: the app's to refuse
    expect([reached, statuses]).toEqual([['Bearer a', 'Bearer a', 'undefined'], [429, 429]]);
    expect(sampleOf(await metrics.scrape(), 'tongban_http_rate_limited_total', {})).toBe(2);
  });
});
