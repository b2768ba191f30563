import { hasRole, type Actor } from './actor.js';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../definitions/case-machine.js';
import { declaredParts } from '../definitions/lint/declared-parts.js';
import type { ProcessDefinition } from '../definitions/process-definition.js';

/**
 * Who sees which material (材料) of a case, from its definition (submit once, share with every department that
 * needs it, and only those): a task may name the materials its review needs (`OpenTaskParams.materials`); its
 * department sees those. The lead and intake departments and supervisors see every material; so does a department
 * with a task that names none (definitions written before tasks declared any keep their behaviour). A department
 * the definition gives no task (a copy's recipient, 抄送) sees none.
 */

/** What one department sees: every material, or those named. */
export type MaterialNeeds = 'all' | ReadonlySet<string>;

/** The case's own departments, which the definition names as `lead` and `intake`. */
export interface CaseParties {
  readonly leadDepartment: string;
  readonly intakeDepartment: string;
}

/** Per department the definition gives a task (the lead and intake departments always): what it sees. */
export function materialNeeds(definition: Pick<ProcessDefinition, 'key' | 'machine'>, parties: CaseParties): ReadonlyMap<string, MaterialNeeds> {
  const needs = new Map<string, MaterialNeeds>([
    [parties.leadDepartment, 'all'],
    [parties.intakeDepartment, 'all'],
  ]);
  const resolve = (department: unknown) =>
    department === LEAD_DEPARTMENT ? parties.leadDepartment : department === INTAKE_DEPARTMENT ? parties.intakeDepartment : String(department);
  const add = (department: string, named: unknown) => {
    const before = needs.get(department);
    if (before === 'all') return;
    if (!Array.isArray(named)) return void needs.set(department, 'all');
    needs.set(department, new Set([...(before ?? []), ...named.map(String)]));
  };
  for (const { type, params } of declaredParts(definition.machine, definition.key).actions) {
    if (type === 'openTask') add(resolve(params['department']), params['materials']);
    // A countersign's signers declare no materials: they see them all.
    if (type === 'openCountersign' && Array.isArray(params['signers'])) for (const s of params['signers'] as { department?: unknown }[]) add(resolve(s.department), undefined);
  }
  return needs;
}

/** Whether `actor` sees the material `name`: a supervisor every one, a department by its needs. */
export function seesMaterial(actor: Actor, needs: ReadonlyMap<string, MaterialNeeds>, name: string): boolean {
  if (hasRole(actor, 'supervisor')) return true;
  const mine = needs.get(actor.departmentCode);
  return mine === 'all' || (mine !== undefined && mine.has(name));
}

/** The departments that see the material `name` (supervisors besides), sorted: what the case page shows. */
export function visibleTo(needs: ReadonlyMap<string, MaterialNeeds>, name: string): string[] {
  return [...needs].filter(([, seen]) => seen === 'all' || seen.has(name)).map(([department]) => department).sort();
}
