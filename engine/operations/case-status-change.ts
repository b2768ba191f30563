import type { CaseEffect } from '../case-effect.js';
import type { LockedCase } from '../case-store.js';
import { notify } from '../effect-planner.js';

/**
 * Who is told when a case is suspended (中止), resumed (恢复) or terminated (终止): the applicant in writing, and
 * every department holding one of its open tasks — their work stops, starts again, or ends.
 */
export function toldOfStatusChange(locked: LockedCase, template: string, data: Readonly<Record<string, unknown>>): CaseEffect[] {
  const of = { caseId: locked.case.id };
  const holding = [...new Set(locked.openTasks.map((t) => t.departmentCode))];
  return [notify(of, { applicant: true }, template, data), ...holding.map((departmentCode) => notify(of, { departmentCode }, template, data))];
}
