import type { Actor } from '../access/actor.js';
import { isNoticeClock } from '../case-clocks.js';
import type { CaseRecord, TaskRecord } from '../case-record.js';
import type { LockedCase } from '../case-store.js';
import { TASK_OUTCOMES, type TaskOutcome } from '../definitions/case-machine.js';
import { EngineError } from '../errors.js';
import { clockStatus } from '../time/legal-clock.js';
import { decideCommand, type CaseCommand } from './decide-command.js';
import type { DecisionEnv } from './decision.js';
import { SPECIAL_PROCEDURES, type SpecialProcedureKind } from './start-special-procedure.js';

/**
 * What a person may do on a case now, so that a page offers only those moves: each candidate command is
 * decided exactly as the engine would decide it (`decideCommand`: the version, the permission matrix, the
 * department, task and state rules, the machine), on the case as last committed, and offered when it would
 * be accepted and change something. Nothing is written. The inputs a person types (an opinion, a reason) are
 * the form's to check; here they are stand-ins that pass, and what the rules bound (the working days an
 * extension may still add) is told with the move.
 */

/** A case as read outside a command: the row and its open tasks, unlocked. */
export interface CaseAtRest {
  readonly case: CaseRecord;
  /** Open and claimed tasks of the case. */
  readonly openTasks: readonly TaskRecord[];
}

export type Move =
  | { readonly type: 'task.claim' | 'task.release' | 'task.urge'; readonly taskId: string; readonly task: string }
  | { readonly type: 'task.complete'; readonly taskId: string; readonly task: string; readonly outcomes: TaskOutcome[] }
  | { readonly type: 'clock.extend'; readonly clock: string; readonly maxWorkingDays: number }
  | { readonly type: 'special-procedure.start' | 'special-procedure.end'; readonly kinds: SpecialProcedureKind[] }
  | { readonly type: 'supplement.submit' };

/** Stand-ins for what a person types: they pass every rule a command's own text must meet. */
const TYPED = 'dry run';
const MATERIAL = { name: TYPED, sha256: '0'.repeat(64), sizeBytes: 1 };

/**
 * The moves `actor` may make on the case now, in a stable order: each open task's (claim, release,
 * complete with the outcomes its state takes, urge), then the clocks' extensions, the special procedures
 * and the supplement.
 *
 * @example
 * availableMoves(actor, { case: record, openTasks }, { definition, calendar, now: engine.now() });
 * // [{ type: 'task.claim', taskId, task: 'review.fire' }, { type: 'task.complete', taskId, task: 'review.fire', outcomes: ['approve', 'reject', 'return'] }]
 */
export function availableMoves(actor: Actor, at: CaseAtRest, env: DecisionEnv): Move[] {
  const accepted = (command: CaseCommand, task: TaskRecord | null = null) => wouldChange({ ...at, task, timer: null, timersDueWith: [], pendingTimers: [] }, command, env);
  const caseId = at.case.id;
  const moves: Move[] = [];
  for (const t of at.openTasks) {
    const named = { actor, taskId: t.id };
    const ref = { taskId: t.id, task: t.key };
    if (accepted({ type: 'task.claim', ...named }, t)) moves.push({ type: 'task.claim', ...ref });
    if (accepted({ type: 'task.release', ...named }, t)) moves.push({ type: 'task.release', ...ref });
    const outcomes = TASK_OUTCOMES.filter((outcome) => accepted({ type: 'task.complete', ...named, outcome, opinion: { text: TYPED, visibility: 'internal' } }, t));
    if (outcomes.length > 0) moves.push({ type: 'task.complete', ...ref, outcomes });
    if (accepted({ type: 'task.urge', ...named, message: TYPED }, t)) moves.push({ type: 'task.urge', ...ref });
  }
  for (const clock of at.case.clocks.filter((c) => !isNoticeClock(c.id))) {
    const extension = { type: 'clock.extend', actor, caseId, clock: clock.id, workingDays: 1, reason: TYPED, legalBasis: TYPED } as const;
    if (!accepted(extension)) continue;
    const granted = clockStatus(clock, env.calendar, env.now).extensionWorkingDays;
    moves.push({ type: 'clock.extend', clock: clock.id, maxWorkingDays: clock.extensionPolicy.maxWorkingDays - granted });
  }
  const starts = SPECIAL_PROCEDURES.filter((kind) => accepted({ type: 'special-procedure.start', actor, caseId, kind, notice: TYPED }));
  if (starts.length > 0) moves.push({ type: 'special-procedure.start', kinds: starts });
  const ends = SPECIAL_PROCEDURES.filter((kind) => accepted({ type: 'special-procedure.end', actor, caseId, kind }));
  if (ends.length > 0) moves.push({ type: 'special-procedure.end', kinds: ends });
  if (accepted({ type: 'supplement.submit', actor, caseId, materials: [MATERIAL] })) moves.push({ type: 'supplement.submit' });
  return moves;
}

/** Whether the engine would accept the command and write something (a repeated claim changes nothing: no move). */
function wouldChange(locked: LockedCase, command: CaseCommand, env: DecisionEnv): boolean {
  try {
    return decideCommand(locked, command, env).commit !== null;
  } catch (error) {
    if (error instanceof EngineError) return false;
    throw error;
  }
}
