import { isOpenCase } from '../engine/case-record.js';
import { restoreSnapshot, stateLabel } from '../engine/case-snapshot.js';
import { DEEMED_OUTCOME_EVENTS, EVENT_BY_OUTCOME } from '../engine/definitions/case-machine.js';
import { CASE_OUTCOME_TAGS, type CompiledDefinition } from '../engine/definitions/process-definition.js';
import type { CaseRows } from './case-rows.js';
import type { Violation } from './invariants.js';

/** The checks of one case's own rows: its state, its tasks' completions, its timers' firings (rules in `invariants.ts`). */

/** The audit events that complete a task (as a person's decision, or deemed by a rung of the ladder). */
const COMPLETIONS = new Set<string>([...Object.values(EVENT_BY_OUTCOME), ...Object.values(DEEMED_OUTCOME_EVENTS)]);
/** Task rows that were completed: `withdrawn` is a completion taken back (撤回). */
const COMPLETED = new Set(['completed', 'withdrawn']);
const OPEN_TASK = new Set(['open', 'claimed']);

/** `case-state`; `definition` is null when the case's definition version could not be loaded. */
export function caseStateViolations(rows: CaseRows, definition: CompiledDefinition | null): Violation[] {
  const c = rows.case;
  const found: string[] = [];
  if (!definition) return [{ caseId: c.id, what: `its definition ${c.definitionKey} v${c.definitionVersion} is not published` }];
  let snapshot: ReturnType<typeof restoreSnapshot> | null = null;
  try {
    snapshot = restoreSnapshot(definition, c.snapshot);
  } catch (error) {
    found.push(`its snapshot does not resolve on ${c.definitionKey} v${c.definitionVersion}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (snapshot) {
    const label = stateLabel(snapshot.value);
    if (label !== c.stateLabel) found.push(`state_label ${c.stateLabel} but its snapshot is in ${label}`);
    const done = snapshot.status === 'done';
    const expected = done ? [snapshot.hasTag(CASE_OUTCOME_TAGS.approved) ? 'approved' : 'refused'] : ['running', 'suspended', 'withdrawn', 'terminated'];
    if (!expected.includes(c.status)) found.push(`status ${c.status} but its snapshot is ${done ? 'finished' : 'unfinished'} (${expected.join(' or ')})`);
  }
  const open = isOpenCase(c.status);
  if (open !== (c.completedAtMs === null)) found.push(`status ${c.status} with completed_at ${c.completedAtMs === null ? 'null' : new Date(c.completedAtMs).toISOString()}`);
  if (!open) {
    const openTasks = rows.tasks.filter((t) => OPEN_TASK.has(t.status));
    if (openTasks.length > 0) found.push(`closed (${c.status}) with open tasks ${openTasks.map((t) => t.key).join(', ')}`);
    const pending = rows.timers.filter((t) => t.status === 'pending');
    if (pending.length > 0) found.push(`closed (${c.status}) with pending timers ${pending.map((t) => `${t.kind} ${t.id}`).join(', ')}`);
  }
  return found.map((what) => ({ caseId: c.id, what }));
}

/** `task-completions`. */
export function taskCompletionViolations(rows: CaseRows): Violation[] {
  const completions = new Map<string, number>();
  for (const e of rows.events) {
    const id = e.data['taskId'];
    if (COMPLETIONS.has(e.type) && typeof id === 'string') completions.set(id, (completions.get(id) ?? 0) + 1);
  }
  const violations: Violation[] = [];
  for (const t of rows.tasks) {
    const n = completions.get(t.id) ?? 0;
    const expected = COMPLETED.has(t.status) ? 1 : 0;
    if (n !== expected) violations.push({ caseId: rows.case.id, what: `task ${t.key} (${t.id}) is ${t.status} with ${n} completion events in the audit (expected ${expected})` });
    if (t.opinions !== n) violations.push({ caseId: rows.case.id, what: `task ${t.key} (${t.id}) has ${t.opinions} opinions for ${n} completions` });
  }
  return violations;
}

/** `timers-fired-once`. */
export function timerFiringViolations(rows: CaseRows): Violation[] {
  const firings = new Map<string, number>();
  for (const e of rows.events) {
    const id = e.data['timerId'];
    if (e.type !== 'incident.retried' && typeof id === 'string') firings.set(id, (firings.get(id) ?? 0) + 1);
  }
  const violations: Violation[] = [];
  for (const t of rows.timers) {
    const n = firings.get(t.id) ?? 0;
    const fired = t.status === 'fired';
    if (n !== (fired ? 1 : 0)) violations.push({ caseId: rows.case.id, what: `${t.kind} timer ${t.id} is ${t.status} with ${n} firing events in the audit` });
    if (fired !== (t.firedAtMs !== null)) violations.push({ caseId: rows.case.id, what: `${t.kind} timer ${t.id} is ${t.status} with fired_at ${t.firedAtMs === null ? 'null' : 'set'}` });
  }
  return violations;
}
