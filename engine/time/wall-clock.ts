/**
 * The engine never reads the wall clock: it asks a `WallClock`, so deadline tests move time instead of sleeping.
 */
export interface WallClock {
  now(): Date;
}

/**
 * A clock that stands still until told to move; for tests and simulations.
 *
 * @example
 * const clock = new ManualClock(new Date('2026-11-02T09:00:00+08:00'));
 * clock.advance({ days: 3 });
 */
export class ManualClock implements WallClock {
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  set(instant: Date): void {
    this.#now = instant.getTime();
  }

  advance(by: { days?: number; hours?: number; minutes?: number; ms?: number }): void {
    this.#now += (by.days ?? 0) * 86_400_000 + (by.hours ?? 0) * 3_600_000 + (by.minutes ?? 0) * 60_000 + (by.ms ?? 0);
  }
}
