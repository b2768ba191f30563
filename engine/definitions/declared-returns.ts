import type { ReturnToParams } from './case-machine.js';
import { declaredGuards } from './declared-guards.js';
import type { ProcessDefinition } from './process-definition.js';

/**
 * The returns (退回) a definition declares, by task: every `returnTo` guard of its transitions, in the order
 * written (the first of a task is its default). A handler picks among those the case accepts now
 * (`operations/return-targets.ts`); a return the definition does not declare for the task is refused.
 */
export function declaredReturns(definition: Pick<ProcessDefinition, 'machine'>): ReadonlyMap<string, readonly ReturnToParams[]> {
  const byTask = new Map<string, ReturnToParams[]>();
  for (const r of declaredGuards<ReturnToParams>(definition.machine, 'returnTo')) {
    const list = byTask.get(r.task) ?? [];
    // The same return declared on several transitions is one target.
    if (!list.some((known) => known.to === r.to)) list.push(r);
    byTask.set(r.task, list);
  }
  return byTask;
}
