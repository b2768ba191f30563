import type { WallClock } from '../engine/time/wall-clock.js';
import { errorFields, type Logger } from './logger.js';

/** Where a {@link SteadyClock} reads time. */
export interface SteadyClockSources {
  /**
   * The fleet's one authority on the instant (PostgreSQL's `clock_timestamp()`, as epoch milliseconds): every
   * process anchors to it, so all agree with each other and with the instants PostgreSQL stamps.
   */
  authority(): Promise<number>;
  /** A clock that never jumps, in milliseconds from any origin (`performance.now()`). */
  monotonic(): number;
  /** The host's wall clock (`Date.now()`): only compared with, never followed. */
  wall(): number;
}

export interface SteadyClockOptions {
  readonly sources: SteadyClockSources;
  readonly logger: Logger;
  /** How often to anchor again to the authority (default a minute): bounds the monotonic clock's drift. */
  readonly reanchorMs?: number;
  /** How far the host's wall clock may stray from this clock before it is logged as `clock.skew` (default 2 s). */
  readonly skewToleranceMs?: number;
}

/**
 * The time production processes run on: anchored to the authority (PostgreSQL's clock) and advancing on the
 * monotonic clock in between, so that a step of the host's wall clock — a bad NTP correction, a VM resumed, an
 * operator's `date -s` — moves nothing. Were the engine to read the wall clock (`new Date()`), a host an hour ahead
 * would fire every deadline due within that hour at once: a legal outcome an hour early.
 *
 * - `now()` is the authority's instant at the last anchor plus the monotonic time since, halfway through the read's
 *   round trip; it never goes back, even when a new anchor would (a later anchor only holds it until it catches up).
 * - It anchors again every `reanchorMs`, and at once when the host's wall clock is seen to jump, since the monotonic
 *   clock stands still while a VM is suspended; an anchor that fails keeps the last one (and is logged).
 * - A host's wall clock that disagrees by more than `skewToleranceMs` is logged (`clock.skew`, once per change of the
 *   disagreement), never followed.
 * - Before its first anchor it reads the host's clock: `start()` anchors before it resolves, and processes await it
 *   before they serve.
 *
 * BullMQ schedules delayed jobs on each process's `Date.now()`; the timer worker converts every wait through the
 * engine's clock (`untilDue`), so a job delivered early by a jumped host is put back until due on this clock, and the
 * reconciler's overdue sweep (on this clock) delivers a job a jumped-back host holds too long.
 *
 * @example
 * const clock = new SteadyClock({ sources: { authority: () => databaseNow(sql), monotonic: () => performance.now(), wall: Date.now }, logger });
 * await clock.start();
 * // ... clock.now() ...
 * clock.stop();
 */
export class SteadyClock implements WallClock {
  readonly #sources: SteadyClockSources;
  readonly #logger: Logger;
  readonly #reanchorMs: number;
  readonly #toleranceMs: number;
  /** The authority's instant at monotonic time `#anchorMonotonic`; null before the first anchor. */
  #anchor: { readonly instant: number; readonly monotonic: number } | null = null;
  #lastRead = Number.NEGATIVE_INFINITY;
  /** The host's disagreement last logged (wall − steady), so that a lasting skew is logged once. */
  #reportedSkew = 0;
  #anchoring: Promise<void> | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: SteadyClockOptions) {
    this.#sources = opts.sources;
    this.#logger = opts.logger;
    this.#reanchorMs = opts.reanchorMs ?? 60_000;
    this.#toleranceMs = opts.skewToleranceMs ?? 2_000;
  }

  now(): Date {
    const wall = this.#sources.wall();
    const steady = this.#anchor ? this.#anchor.instant + (this.#sources.monotonic() - this.#anchor.monotonic) : wall;
    this.#lastRead = Math.max(this.#lastRead, steady);
    const skew = wall - this.#lastRead;
    if (this.#anchor && Math.abs(skew - this.#reportedSkew) > this.#toleranceMs) {
      this.#reportedSkew = skew;
      this.#logger.log('warn', 'clock.skew', { skewMs: Math.round(skew), wall: new Date(wall).toISOString(), steady: new Date(this.#lastRead).toISOString() });
      void this.anchor().catch(() => {}); // logged in anchor()
    }
    return new Date(this.#lastRead);
  }

  /** Anchors now (one read in flight at a time); rejects if the authority cannot be read, keeping the last anchor. */
  anchor(): Promise<void> {
    this.#anchoring ??= this.#read().finally(() => {
      this.#anchoring = null;
    });
    return this.#anchoring;
  }

  /** Anchors (rejecting if the authority cannot be read), then anchors again every `reanchorMs` until `stop()`. */
  async start(): Promise<void> {
    await this.anchor();
    this.#timer ??= setInterval(() => void this.anchor().catch(() => {}), this.#reanchorMs).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #read(): Promise<void> {
    const sent = this.#sources.monotonic();
    try {
      const instant = await this.#sources.authority();
      const received = this.#sources.monotonic();
      this.#anchor = { instant, monotonic: (sent + received) / 2 };
    } catch (error) {
      this.#logger.log('error', 'clock.anchor-failed', errorFields(error));
      throw error;
    }
  }
}
