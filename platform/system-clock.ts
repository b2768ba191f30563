import type { Clock } from '../engine/clock.js';

/** The wall clock, for production processes; the engine itself only ever sees the `Clock` port. */
export const systemClock: Clock = { now: () => new Date() };
