import { databaseSteadyClock } from '../../apps/runtime.js';
import type { Sql } from '../../db/connection.js';
import { ManualClock, type WallClock } from '../../engine/time/wall-clock.js';
import { jsonLogger } from '../../platform/logger.js';
import { systemClock } from '../../platform/system-clock.js';

/** What a test sends a process of the fleet: move its clock to `clock` (ISO), answered `{ clockSet }` once done. */
export interface ClockMessage {
  readonly clock: string;
}

/**
 * The clock of a fleet process (test/support/fleet.ts): standing at `TONGBAN_TEST_NOW`, moved by the test over IPC,
 * since tests move time and a process of its own cannot be reached otherwise. Answers each move, so the test knows
 * the process stands at the new instant before it looks.
 */
export function fleetClock(): ManualClock {
  const now = process.env['TONGBAN_TEST_NOW'];
  if (!now) throw new Error('TONGBAN_TEST_NOW is not set');
  const clock = new ManualClock(new Date(now));
  process.on('message', (message: ClockMessage) => {
    if (typeof message?.clock !== 'string') return;
    clock.set(new Date(message.clock));
    process.send?.({ clockSet: message.clock });
  });
  return clock;
}

/**
 * The clock a fleet process runs on, by `TONGBAN_TEST_CLOCK`: the fleet's (default, {@link fleetClock}); `steady`,
 * production's (`platform/steady-clock.ts`, anchored to the PostgreSQL of `sql`: for tests of real time, which then
 * never move the fleet's clock); `system`, the host's wall clock as production read it before (to watch a test of
 * the steady clock fail without it).
 */
export async function chosenClock(sql: Sql): Promise<WallClock> {
  const chosen = process.env['TONGBAN_TEST_CLOCK'];
  if (chosen === undefined) return fleetClock();
  if (chosen === 'system') return systemClock;
  if (chosen !== 'steady') throw new Error(`TONGBAN_TEST_CLOCK=${chosen}: steady or system`);
  const clock = databaseSteadyClock(sql, jsonLogger());
  await clock.start();
  return clock;
}
