import { Engine, type CommandOptions, type EngineDeps } from '../engine/engine.js';
import type { CaseStore } from '../engine/case-store.js';
import type { CaseCommand } from '../engine/operations/decide-command.js';
import type { CommandResult } from '../engine/operations/decision.js';
import type { CaseMigrationResult, MigrateCase } from '../engine/operations/migrate-case.js';
import type { StartCase } from '../engine/operations/start-case.js';
import { inSpan } from '../platform/tracing.js';

/**
 * The engine as the processes run it, traced (`platform/tracing.ts`; no-ops while tracing is off): each command
 * in a `command <operation>` span — its operation, case, task or timer, and the case's version after it — and
 * each command's transaction in a `commit` span inside it. The commit's span is current while its rows are built,
 * so the outbox rows it writes carry it as their `traceparent` (`db/commit-payload.ts`): the relay and the timer
 * worker continue the trace from there. A wrapper here rather than spans in `engine/`, which imports nothing of
 * the edges.
 *
 * @example const engine = tracedEngine({ store: new PgCaseStore(sql), catalog, clock, licenceSigner });
 */
export function tracedEngine(deps: EngineDeps): Engine {
  return new TracedEngine({ ...deps, store: tracedStore(deps.store) });
}

class TracedEngine extends Engine {
  override startCase(command: StartCase, options?: CommandOptions): Promise<CommandResult> {
    return inCommandSpan(command, () => super.startCase(command, options));
  }

  override execute(command: CaseCommand, options?: CommandOptions): Promise<CommandResult> {
    return inCommandSpan(command, () => super.execute(command, options));
  }

  override migrateCase(command: MigrateCase, options?: { readonly dryRun?: boolean }): Promise<CaseMigrationResult> {
    return inCommandSpan(command, () => super.migrateCase(command, options));
  }
}

function inCommandSpan<R extends CommandResult>(command: StartCase | CaseCommand | MigrateCase, run: () => Promise<R>): Promise<R> {
  return inSpan(`command ${command.type}`, { 'tongban.operation': command.type, ...commandIds(command) }, async (span) => {
    const result = await run();
    span.setAttributes({ 'tongban.case.id': result.caseId, 'tongban.case.version': result.version, 'tongban.changed': result.changed });
    return result;
  });
}

/** The ids the command names before it runs: its task or timer (its case is the result's). */
function commandIds(command: StartCase | CaseCommand | MigrateCase): Record<string, string> {
  return {
    ...('taskId' in command ? { 'tongban.task.id': String(command.taskId) } : {}),
    ...('timerId' in command ? { 'tongban.timer.id': String(command.timerId) } : {}),
  };
}

/** The store with each transaction in a `commit` span. */
function tracedStore(store: CaseStore): CaseStore {
  const inCommit = <T>(work: () => Promise<T>) => inSpan('commit', { 'db.system.name': 'postgresql' }, work);
  return {
    substitutionsAt: (absentIds, at) => store.substitutionsAt(absentIds, at),
    create: (creation) => inCommit(() => store.create(creation)),
    update: (ref, decide) => inCommit(() => store.update(ref, decide)),
  };
}
