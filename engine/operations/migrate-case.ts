import type { ExecutableActionObject } from 'xstate';
import type { Actor } from '../access/actor.js';
import { authorize } from '../access/permission-matrix.js';
import { COMMITTED_CLOCK, latestClocks, LEGAL_CLOCK, taskClockId } from '../case-clocks.js';
import { buildCommit } from '../case-commit.js';
import { openedIds, type CaseEffect } from '../case-effect.js';
import type { TaskRecord } from '../case-record.js';
import { enterStates, restoreSnapshot } from '../case-snapshot.js';
import type { Decision, LockedCase } from '../case-store.js';
import type { CaseContext } from '../definitions/case-machine.js';
import type { Countersign } from '../definitions/countersign.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { periodSendId } from '../definitions/period-exits.js';
import { enterableTargets, mapStates, type StateMapping } from '../definitions/state-mapping.js';
import { planEffects } from '../effect-planner.js';
import { CaseNotOnDefinitionError, CaseVersionConflictError, MigrationTargetsConflictError, MigrationUnmappedStateError } from '../errors.js';
import type { CaseId, DepartmentCode } from '../ids.js';
import { clockStatus, type LegalClock } from '../time/legal-clock.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import { assertOpen, planning, type CommandResult, type DecisionEnv } from './decision.js';

/** 流程版本迁移: one running case moved from one published version of its definition to another, by a state mapping. */
export interface MigrateCase {
  readonly type: 'case.migrate';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly definitionKey: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly mapping: StateMapping;
  /** The batch migration the case is moved by, named in its audit event. */
  readonly migrationId?: string;
  readonly expectedVersion?: number;
}

/** A migration decides with both versions: the case's own (`definition`, the source) and the one it moves to. */
export interface MigrationEnv extends DecisionEnv {
  readonly target: CompiledDefinition;
}

/** A task as a migration report names it. */
export interface MigratedTask {
  readonly key: string;
  readonly departmentCode: DepartmentCode;
  readonly title: string;
}

/** What moving one case does (the dry run's line for it, and the answer of its migration). */
export interface CaseMigrationPlan {
  readonly caseId: CaseId;
  /** The top-level state(s) before and after, e.g. `jointReview`. */
  readonly fromState: string;
  readonly toState: string;
  /** The mapping entries the case's states were moved by. */
  readonly mapping: StateMapping;
  readonly tasks: { readonly kept: readonly MigratedTask[]; readonly opened: readonly MigratedTask[]; readonly cancelled: readonly MigratedTask[] };
  /** Clock ids (`task:<key>`, a definition's clock) that start counting and that stop: the case's limits never move. */
  readonly clocks: { readonly started: readonly string[]; readonly stopped: readonly string[] };
}

export type CaseMigrationResult = CommandResult & { readonly plan: CaseMigrationPlan };

/**
 * `case.migrate`: the case's machine is put into the target version's states the mapping gives for its active states
 * (each leaf by its own entry or its nearest mapped ancestor's; one unmapped refuses the case, 409
 * TB-MIGRATION-UNMAPPED), entered as entering them would (`enterStates`), with the case's context kept. Of its open
 * tasks, those a target state opens again (same key) stay as they are, claims and clocks with them; the others are
 * cancelled. Tasks the target states open that are not open yet are opened, with their clocks and deadline timers;
 * the periods and delays of the states left are cancelled, those the target states start anew are kept if pending.
 * The case's limits (legal, committed) do not move: they are the service item's, not the definition's; nor is the
 * applicant told (the application is unchanged). A suspended case (中止) is moved too and stays suspended: the clocks the
 * move starts are paused with the others until it resumes. Refused for a closed case (409 TB-CASE-CLOSED) and a case
 * not on the source version (TB-CASE-NOT-ON-DEFINITION). One audit event `case.migrated`; the case row gets the target
 * version.
 */
export function decideMigration(locked: LockedCase, command: MigrateCase, env: MigrationEnv): Decision<CaseMigrationResult> {
  authorize(command.actor, 'definition.migrate');
  const current = locked.case;
  if (command.expectedVersion !== undefined && command.expectedVersion !== current.version) {
    throw new CaseVersionConflictError(current.id, command.expectedVersion, current.version);
  }
  if (current.definitionKey !== command.definitionKey || current.definitionVersion !== command.fromVersion) {
    throw new CaseNotOnDefinitionError(current.id, command.definitionKey, command.fromVersion, current.definitionKey, current.definitionVersion);
  }
  assertOpen(current);
  const restored = restoreSnapshot(env.definition, current.snapshot);
  const mapped = mapStates(env.definition, restored.value, command.mapping);
  if ('unmapped' in mapped) throw new MigrationUnmappedStateError(current.id, mapped.unmapped);
  const enterable = enterableTargets(env.target, mapped.targets);
  if ('conflict' in enterable) throw new MigrationTargetsConflictError(current.id, enterable.conflict);

  const signing = tallyUnderWay(restored.context, locked.openTasks);
  const step = enterStates(env.target, enterable.enter, restored.context, (entered) =>
    Object.keys(signing).length === 0 ? entered : { ...entered, countersigns: { ...entered.countersigns, ...signing } },
  );
  const { kept, actions } = carriedOver(locked, step.actions, signing, step.status !== 'running');
  const effects = planEffects(actions, planning(locked, { ...env, definition: env.target }, step, null));
  const plan = planOf(locked, env, { kept, effects, toState: step.stateLabel, mapping: mapped.used });
  const commit = buildCommit(locked, env.now, {
    step,
    // A suspended case (中止) stays suspended, unless the states entered end it.
    status: step.status === 'running' ? current.status : step.status,
    effects,
    auditType: 'case.migrated',
    actor: command.actor,
    data: {
      ...(command.migrationId ? { migrationId: command.migrationId } : {}),
      definitionKey: command.definitionKey,
      fromVersion: command.fromVersion,
      toVersion: command.toVersion,
      mapping: mapped.used,
      tasks: { kept: kept.map((t) => t.id), opened: openedIds(effects) },
    },
  });
  const next = { ...commit.next, definitionVersion: command.toVersion };
  return {
    commit: { ...commit, next },
    result: { caseId: current.id, version: next.version, status: next.status, state: next.stateLabel, changed: true, plan },
  };
}

/**
 * The countersign steps the case is signing (undecided, a signer's task open), by name: where the case signs them
 * again in the target version, their tallies go on — votes, signers, who is next — rather than start anew as entering
 * their state would, and no signer who voted is asked again.
 */
function tallyUnderWay(context: CaseContext, openTasks: readonly TaskRecord[]): Record<string, Countersign> {
  const open = new Set(openTasks.map((t) => t.key));
  return Object.fromEntries(Object.entries(context.countersigns ?? {}).filter(([, step]) => step.outcome === null && step.signers.some((s) => open.has(s.task))));
}

/**
 * The tasks a case keeps, and the actions that move it: cancelling what it leaves, then what entering its new states
 * does. A countersign step under way (`signing`) that the target states open again keeps its signers' open tasks and
 * opens none: its kept tally opens the next ones as the votes come.
 */
function carriedOver(
  locked: LockedCase,
  entry: readonly ExecutableActionObject[],
  signing: Readonly<Record<string, Countersign>>,
  ending: boolean,
): { kept: TaskRecord[]; actions: Pick<ExecutableActionObject, 'type' | 'params'>[] } {
  const paramsOf = (a: Pick<ExecutableActionObject, 'params'>) => (a.params ?? {}) as Record<string, unknown>;
  const reopened = new Set(entry.filter((a) => a.type === 'openTask').map((a) => String(paramsOf(a)['task'])));
  const tallied = Object.values(signing).map((step) => new Set(step.signers.map((s) => s.task)));
  const signedAgain = new Set(tallied.filter((tasks) => [...tasks].some((key) => reopened.has(key))).flatMap((tasks) => [...tasks]));
  const kept = locked.openTasks.filter((t) => reopened.has(t.key) || signedAgain.has(t.key));
  const open = new Set(kept.map((t) => t.key));
  const pending = new Set(locked.pendingTimers.flatMap((t) => ((t.kind === 'period' || t.kind === 'machine.delay') && t.sendId ? [t.sendId] : [])));
  const restarted = new Set(entry.flatMap((a) => (a.type === 'startPeriod' ? [periodSendId(String(paramsOf(a)['period']))] : a.type === 'xstate.raise' && typeof paramsOf(a)['delay'] === 'number' ? [String(paramsOf(a)['id'])] : [])));
  const clocks = new Map(locked.case.clocks.map((c) => [c.id, c]));
  const carried = entry.filter((a) => {
    const p = paramsOf(a);
    switch (a.type) {
      case 'openTask':
        return !open.has(String(p['task'])) && !signedAgain.has(String(p['task']));
      case 'startPeriod':
        return !pending.has(periodSendId(String(p['period'])));
      case 'xstate.raise':
        return !pending.has(String(p['id']));
      case 'startClock':
        // A clock of the definition still on the case goes on: entering its state again does not restart it.
        return clocks.get(String(p['clock']))?.stoppedAt !== null;
      // The case's limits are the service item's: no version of the definition pauses, resumes or stops them here.
      case 'pauseCaseClocks':
      case 'resumeCaseClocks':
        return false;
      case 'pauseClock':
      case 'resumeClock':
      case 'stopClock':
        return !LIMITS.has(String(p['clock']));
      // The application is unchanged, so the applicant is told nothing — unless the states entered end the case at once
      // (an eventless transition into an end), which then ends as it would: licence and notice.
      case 'notifyApplicant':
      case 'issueLicence':
        return ending;
      default:
        return true;
    }
  });
  // A suspended case counts no time: the clocks the migration starts wait, paused with the others, for its resumption.
  const held = locked.case.status !== 'suspended' ? [] : carried.flatMap((a) => {
    const p = paramsOf(a);
    const clock = a.type === 'openTask' ? taskClockId(String(p['task'])) : a.type === 'startClock' ? String(p['clock']) : null;
    return clock === null ? [] : [{ type: 'pauseClock', params: { clock, reason: 'suspension' } }];
  });
  const leaving = [
    ...locked.openTasks.filter((t) => !open.has(t.key)).map((t) => ({ type: 'cancelTask', params: { task: t.key } })),
    ...[...pending].filter((id) => !restarted.has(id)).map((sendId) => ({ type: 'xstate.cancel', params: { sendId } })),
  ];
  return { kept, actions: [...leaving, ...carried, ...held] };
}

/** The case's limits (法定, 承诺): the service item's, which no definition version moves. */
const LIMITS: ReadonlySet<string> = new Set([LEGAL_CLOCK, COMMITTED_CLOCK]);

function planOf(
  locked: LockedCase,
  env: { readonly calendar: WorkingCalendar; readonly now: Date },
  change: { readonly kept: readonly TaskRecord[]; readonly effects: readonly CaseEffect[]; readonly toState: string; readonly mapping: StateMapping },
): CaseMigrationPlan {
  const line = (t: { key: string; departmentCode: DepartmentCode; title: string }): MigratedTask => ({ key: t.key, departmentCode: t.departmentCode, title: t.title });
  const cancelledIds = new Set(change.effects.flatMap((e) => (e.type === 'task.cancel' ? [e.taskId] : [])));
  const before = locked.case.clocks;
  const after = latestClocks(change.effects) ?? before;
  const running = (clocks: readonly LegalClock[]) => new Set(clocks.filter((c) => clockStatus(c, env.calendar, env.now).state === 'running').map((c) => c.id));
  const [wasRunning, isRunning] = [running(before), running(after)];
  return {
    caseId: locked.case.id,
    fromState: locked.case.stateLabel,
    toState: change.toState,
    mapping: change.mapping,
    tasks: {
      kept: change.kept.map(line),
      opened: change.effects.flatMap((e) => (e.type === 'task.open' ? [line(e.task)] : [])),
      cancelled: locked.openTasks.filter((t) => cancelledIds.has(t.id)).map(line),
    },
    clocks: { started: [...isRunning].filter((id) => !wasRunning.has(id)), stopped: [...wasRunning].filter((id) => !isRunning.has(id)) },
  };
}
