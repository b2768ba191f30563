import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { WallClock } from '../engine/time/wall-clock.js';
import { rateLimited } from './rate-limit.js';

/** The per-caller limit of an API process: how many requests one credential may send a minute. */
export interface CallerRateLimit {
  /** Requests per minute per credential, and the burst a full bucket allows. */
  readonly perMinute: number;
}

/**
 * Buckets kept at most: a flood of distinct credentials (each unknown token is one) must not grow the process without
 * bound. Past it, the oldest bucket goes, in constant time: its caller starts again with a full bucket, a minute's
 * worth gained for the 50,000 requests it took to push it out.
 */
const BUCKETS_KEPT = 50_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, epoch ms. */
  at: number;
}

/**
 * A token bucket per credential, refilled at `perMinute` a minute up to `perMinute`, in this process's memory.
 *
 * @example
 * const limiter = new CallerRateLimiter({ perMinute: 1200 }, clock);
 * const retryAfterSeconds = limiter.take('Bearer eyJ…'); // 0: go ahead
 */
export class CallerRateLimiter {
  readonly #perMinute: number;
  readonly #perMs: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    limit: CallerRateLimit,
    private readonly clock: WallClock,
  ) {
    this.#perMinute = limit.perMinute;
    this.#perMs = limit.perMinute / 60_000;
  }

  /** Takes one request from the credential's bucket: 0 when it may go ahead, else the seconds until it may retry. */
  take(credential: string): number {
    const now = this.clock.now().getTime();
    const bucket = this.#buckets.get(credential) ?? this.#add(credential, now);
    this.#refill(bucket, now);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
    bucket.tokens -= 1;
    return 0;
  }

  /** The limit in words, for the refusal's detail. */
  describe(retryAfterSeconds: number): string {
    return `At most ${this.#perMinute} requests a minute per caller and API process; retry in ${retryAfterSeconds} s.`;
  }

  #refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
  }

  #add(credential: string, now: number): Bucket {
    if (this.#buckets.size >= BUCKETS_KEPT) this.#buckets.delete(this.#buckets.keys().next().value as string);
    const bucket = { tokens: this.#perMinute, at: now };
    this.#buckets.set(credential, bucket);
    return bucket;
  }
}

/**
 * The API's request listener behind a per-caller limit on every request that carries credentials (the command and
 * read paths included), keyed by its `Authorization` header. It runs before the request reaches the app: a refused
 * request costs a map lookup and a short write — no body read, no routing, no token check, nothing asked of PostgreSQL
 * — so that a flood from one caller leaves other callers their latency. A refusal is 429 problem+json
 * `TB-RATE-LIMITED` with Retry-After (the seconds until the bucket holds a request again). Keyed by the credential, not
 * by whom it names: a forged token naming someone cannot spend that person's bucket. Requests without credentials
 * pass (refused 401 by the app, public routes limited by their own). Per process: N API processes behind a balancer
 * allow N times the limit; the rare costly operations keep limits counted in PostgreSQL across them (`rate-limit.ts`).
 *
 * `refused` hears of each refusal (the API process counts them in its metrics).
 *
 * @example createServer(options, limitCallers(new CallerRateLimiter({ perMinute: 1200 }, clock), getRequestListener(app.fetch), () => metrics.rateLimited.inc()));
 */
export function limitCallers(limiter: CallerRateLimiter, listener: RequestListener, refused: () => void = () => {}): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const credential = req.headers.authorization;
    const retryAfter = credential ? limiter.take(credential) : 0;
    if (retryAfter === 0) return listener(req, res);
    refused();
    res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': String(retryAfter) });
    res.end(JSON.stringify(rateLimited(limiter.describe(retryAfter))));
  };
}
