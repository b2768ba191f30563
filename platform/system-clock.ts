import type { WallClock } from '../engine/time/wall-clock.js';

/** The wall clock, for production processes; the engine itself only ever sees the `WallClock` port. */
export const systemClock: WallClock = { now: () => new Date() };
