import { expect } from 'vitest';
import type { CaseWorld } from './case-world.js';

/**
 * The command `act` sends is refused with `error`, and nothing about the case is written: its row, tasks,
 * timers, opinions, notifications, licences and audit chain are what they were.
 */
export function expectRefused(world: CaseWorld, act: () => unknown, error: abstract new (...args: never[]) => Error): void {
  const before = world.written();
  expect(act).toThrow(error);
  expect(world.written()).toEqual(before);
}
