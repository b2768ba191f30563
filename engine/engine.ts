import type { CaseCommand, CaseRef, StartCase } from './case-command.js';
import { caseRefOf } from './case-command.js';
import { decideCommand, type CommandResult } from './case-decision.js';
import { planCaseStart } from './case-start.js';
import type { Catalog, CaseStore } from './case-store.js';
import type { Clock } from './clock.js';
import { CaseNotFoundError, TaskNotFoundError, TimerNotFoundError, type EngineError } from './errors.js';

export interface EngineDeps {
  readonly store: CaseStore;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

/**
 * The one entry point for changing cases. Each call is one PostgreSQL transaction in the store:
 * lock the case row, decide purely (XState `transition()` + effect planning), write everything, commit.
 * No state is kept here between calls, so any number of API and worker processes can run it.
 *
 * @example
 * const engine = new Engine({ store, catalog, clock });
 * const started = await engine.startCase({ type: 'case.start', actor, serviceItemCode: 'construction-permit', applicant, materials });
 * await engine.execute({ type: 'task.complete', actor, taskId, outcome: 'approve', opinion: { text: 'OK', visibility: 'internal' } });
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  async startCase(command: StartCase): Promise<CommandResult> {
    const serviceItem = await this.deps.catalog.serviceItem(command.serviceItemCode);
    const definition = await this.deps.catalog.definition(serviceItem.definitionKey);
    const calendar = await this.deps.catalog.calendar(serviceItem.calendarCode);
    const creation = planCaseStart(command, { serviceItem, definition, calendar, now: this.deps.clock.now() });
    await this.deps.store.create(creation);
    const c = creation.case;
    return { caseId: c.id, version: c.version, status: c.status, state: c.stateLabel, changed: true };
  }

  execute(command: CaseCommand): Promise<CommandResult> {
    const ref = caseRefOf(command);
    return this.deps.store.update(ref, async (locked) => {
      if (!locked) throw notFound(ref);
      const definition = await this.deps.catalog.definition(locked.case.definitionKey, locked.case.definitionVersion);
      const calendar = await this.deps.catalog.calendar(locked.case.calendarCode);
      return decideCommand(locked, command, { definition, calendar, now: this.deps.clock.now() });
    });
  }
}

function notFound(ref: CaseRef): EngineError {
  if ('taskId' in ref) return new TaskNotFoundError(ref.taskId);
  if ('timerId' in ref) return new TimerNotFoundError(ref.timerId);
  return new CaseNotFoundError(ref.caseId);
}
