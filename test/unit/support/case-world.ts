import type { Answer } from '../../../engine/definitions/case-machine.js';
import { compileDefinition, type CompiledDefinition, type ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import { SandboxCase } from '../../../engine/simulation/sandbox-case.js';
import type { WorkingCalendar } from '../../../engine/time/working-calendar.js';
import { EVERY_MEMBER_NEEDED } from '../../../workflows/construction-permit.js';
import { shippedServiceItems } from '../../../workflows/index.js';
import { WINDOW_CLERK } from './actors.js';
import { MONDAY_MORNING, chinaWorkingCalendar } from './calendar.js';

/**
 * What a test case's application answers unless the test says otherwise: every optional member of a joint
 * review is needed (the construction permit's five departments all review), as in the demo data. A model run
 * starts its machine from the same input, so the two contexts compare equal.
 */
export const TEST_ANSWERS: Readonly<Record<string, Answer>> = EVERY_MEMBER_NEEDED;

const compiled = new Map<ProcessDefinition, CompiledDefinition>();

/** Compiles a definition once per test file. */
export function compiledDefinition(definition: ProcessDefinition): CompiledDefinition {
  let c = compiled.get(definition);
  if (!c) compiled.set(definition, (c = compileDefinition(definition)));
  return c;
}

export function serviceItemOf(definition: ProcessDefinition): ServiceItem {
  const item = shippedServiceItems.find((i) => i.definitionKey === definition.key);
  if (!item) throw new TypeError(`No shipped service item runs ${definition.key}`);
  return item;
}

/**
 * A test's case: the engine's sandbox case (`engine/simulation/sandbox-case.ts`), started at the window by
 * `WINDOW_CLERK` under a shipped service item unless told otherwise. No database, no Redis.
 */
export class CaseWorld extends SandboxCase {
  /**
   * Starts a case at the window, on the China calendar, on a Monday morning; of a shipped definition, or of
   * another one under the service item given. The application answers `TEST_ANSWERS` unless told otherwise.
   */
  static start(
    definition: ProcessDefinition,
    options: { now?: Date; calendar?: WorkingCalendar; serviceItem?: ServiceItem; answers?: Readonly<Record<string, Answer>> } = {},
  ): CaseWorld {
    return new CaseWorld({
      definition: compiledDefinition(definition),
      serviceItem: options.serviceItem ?? serviceItemOf(definition),
      calendar: options.calendar ?? chinaWorkingCalendar,
      at: options.now ?? MONDAY_MORNING,
      answers: options.answers ?? TEST_ANSWERS,
      clerk: WINDOW_CLERK,
    });
  }

  /** Everything written for the case so far, to tell that a refused command wrote nothing. */
  written(): unknown {
    return structuredClone({
      case: this.case,
      tasks: [...this.tasks.values()],
      timers: [...this.timers.values()],
      opinions: this.opinions,
      notifications: this.notifications,
      licences: this.licences,
      copies: [...this.copies.values()],
      comments: this.comments,
      supplementRequests: this.supplementRequests,
      audit: this.audit,
    });
  }
}
