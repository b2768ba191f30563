import { describe, expect, it } from 'vitest';
import { runShutdown, type ShutdownStep } from '../../apps/shutdown.js';
import type { LogLevel } from '../../platform/logger.js';

function world() {
  const ran: string[] = [];
  const logged: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];
  const step = (name: string, fails = false): ShutdownStep => ({
    name,
    stop: async () => {
      ran.push(name);
      if (fails) throw new Error(`${name} is gone`);
    },
  });
  const logger = { log: (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => void logged.push({ level, event, fields }) };
  return { ran, logged, step, logger };
}

describe('the shutdown path of the processes', () => {
  it('runs every step in order and exits 0 when all stop', async () => {
    const w = world();
    expect(await runShutdown({ logger: w.logger, steps: [w.step('http'), w.step('database-pools')] })).toBe(0);
    expect(w.ran).toEqual(['http', 'database-pools']);
    expect(w.logged).toEqual([]);
  });

  it('logs a failed step as an error, still runs the next ones, and exits 1', async () => {
    const w = world();
    const code = await runShutdown({ logger: w.logger, steps: [w.step('workers', true), w.step('database-pools')] });
    expect(code).toBe(1);
    expect(w.ran).toEqual(['workers', 'database-pools']);
    expect(w.logged).toEqual([{ level: 'error', event: 'shutdown.step-failed', fields: expect.objectContaining({ step: 'workers', error: 'workers is gone' }) }]);
  });

  it('logs a failed step as a warning and exits 0 where failures are expected (npm start)', async () => {
    const w = world();
    const code = await runShutdown({ logger: w.logger, steps: [w.step('workers', true), w.step('embedded-services')], failuresExpected: true });
    expect(code).toBe(0);
    expect(w.ran).toEqual(['workers', 'embedded-services']);
    expect(w.logged.map((l) => [l.level, l.event])).toEqual([['warn', 'shutdown.step-failed']]);
  });
});
