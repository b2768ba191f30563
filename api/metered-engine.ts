import type { Histogram } from 'prom-client';
import type { Engine } from '../engine/engine.js';
import { EngineError } from '../engine/errors.js';
import type { CommandResult } from '../engine/operations/decision.js';
import { databaseUnavailableCode } from '../db/database-unavailable.js';

/** What the API asks of the engine: its commands, and legal time now. */
export type CaseCommands = Pick<Engine, 'now' | 'startCase' | 'execute' | 'migrateCase'>;

type CommandLabels = 'operation' | 'outcome' | 'code';

/** Refusals that say another command got there first: retried after a reload, they may pass. */
const CONFLICT_CODES = new Set(['TB-CASE-VERSION', 'TB-IDEMPOTENCY-CONFLICT', 'TB-COMMIT-REFUSED']);

/**
 * The engine with every command it runs for this API process observed in `commands`: its operation (the
 * command's `type`), how it ended and how long it took. This is the one place commands are counted, whatever route
 * sent them. Outcomes: `committed` (the case changed), `unchanged` (accepted, nothing to write), `conflict`
 * (another command got there first), `refused` (an engine error: `code` says which), `unavailable` (PostgreSQL
 * did not answer), `failed` (anything else: a bug).
 *
 * @example const engine = meteredEngine(runtime.engine, metrics.commands);
 */
export function meteredEngine(engine: CaseCommands, commands: Histogram<CommandLabels>): CaseCommands {
  const observed = async <T extends CommandResult>(operation: string, run: () => Promise<T>): Promise<T> => {
    const stop = commands.startTimer({ operation });
    try {
      const result = await run();
      stop({ outcome: result.changed ? 'committed' : 'unchanged', code: '' });
      return result;
    } catch (error) {
      stop(failure(error));
      throw error;
    }
  };
  return {
    now: () => engine.now(),
    startCase: (command, options) => observed(command.type, () => engine.startCase(command, options)),
    execute: (command, options) => observed(command.type, () => engine.execute(command, options)),
    // A dry run writes nothing: a read, not a command.
    migrateCase: (command, options) => (options?.dryRun ? engine.migrateCase(command, options) : observed(command.type, () => engine.migrateCase(command, options))),
  };
}

function failure(error: unknown): { outcome: string; code: string } {
  if (error instanceof EngineError) return { outcome: CONFLICT_CODES.has(error.code) ? 'conflict' : 'refused', code: error.code };
  const unavailable = databaseUnavailableCode(error);
  return unavailable === null ? { outcome: 'failed', code: '' } : { outcome: 'unavailable', code: unavailable };
}
