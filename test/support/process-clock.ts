import { ManualClock } from '../../engine/time/wall-clock.js';

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
