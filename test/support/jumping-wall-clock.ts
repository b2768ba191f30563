/**
 * Preloaded into a fleet process (`fleet.workers(env, { preload: JUMPING_WALL_CLOCK })`, `node --import`) before any of
 * its code, so that the test can step the host's wall clock of that one process as a bad NTP correction or a resumed VM
 * would: `Date.now()` and `new Date()` jump by what the test sends over IPC ({@link WallClockJump}), answered
 * `{ wallClockJumped }` once done. The monotonic clock (`performance.now()`) and timers go on untouched, as they do
 * when a real host's clock is stepped.
 */
export interface WallClockJump {
  /** Milliseconds to add to the process's wall clock (negative: back). */
  readonly jumpWallClockMs: number;
}

/** The module to preload. */
export const JUMPING_WALL_CLOCK = new URL(import.meta.url).pathname;

const HostDate = Date;
let offsetMs = 0;

class JumpingDate extends HostDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(HostDate.now() + offsetMs);
    else super(...(args as [number]));
  }

  static override now(): number {
    return HostDate.now() + offsetMs;
  }

  // Dates made before the preload, or by Node's internals, are still dates.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof HostDate;
  }
}

// Only in the process preloaded, never in the test's own.
if (process.send) {
  globalThis.Date = JumpingDate as DateConstructor;
  process.on('message', (message: WallClockJump) => {
    if (typeof message?.jumpWallClockMs !== 'number') return;
    offsetMs += message.jumpWallClockMs;
    process.send?.({ wallClockJumped: message.jumpWallClockMs });
  });
}
