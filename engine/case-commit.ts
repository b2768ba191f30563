import type { Actor } from './access/actor.js';
import { chainAuditEvent } from './audit/audit-chain.js';
import type { CaseCommit, CaseEffect } from './case-effect.js';
import type { LockedCase } from './case-store.js';
import type { MachineStep } from './case-snapshot.js';
import { isOpenCase, type CaseStatus } from './case-record.js';
import { latestClocks, stopClocks } from './case-clocks.js';
import { openedForSubstitutes } from './substitution.js';

/** Who a commit is attributed to in the audit chain. */
export type AuditActor = Actor | 'system';

/**
 * Assembles the commit of a command: the next case row (version + 1, new chain head), the effects, and
 * one audit event chained after the case's head, naming the tasks it cancels and those it opens for a substitute
 * (代理). Reaching a final state closes the case and stops its clocks.
 */
export function buildCommit(
  locked: LockedCase,
  now: Date,
  change: {
    readonly step: MachineStep | null;
    readonly effects: readonly CaseEffect[];
    readonly auditType: string;
    readonly actor: AuditActor;
    readonly data: Readonly<Record<string, unknown>>;
    /** A privileged read is audited but changes nothing a handler's `expectedVersion` protects. */
    readonly keepVersion?: boolean;
    /** A status set outside the case's machine: 撤件 `withdrawn`, 中止 `suspended` and back to `running`, 终止 `terminated`. */
    readonly status?: CaseStatus;
  },
): CaseCommit {
  const current = locked.case;
  const status = change.status ?? change.step?.status ?? current.status;
  const stateLabel = change.step?.stateLabel ?? null;
  const effects = [...change.effects];
  if (!isOpenCase(status) && isOpenCase(current.status)) {
    // The decision stops every clock still counting; closing cancels their timers.
    const clocks = latestClocks(effects) ?? current.clocks;
    const stopped = stopClocks(clocks, now, () => true);
    if (stopped !== clocks) effects.push({ type: 'case.clocks', clocks: stopped });
    effects.push({ type: 'case.close', status, at: now });
  }
  const audit = chainAuditEvent(
    { seq: current.auditSeq, hash: current.auditHead },
    {
      caseId: current.id,
      type: change.auditType,
      actorId: change.actor === 'system' ? 'system' : change.actor.userId,
      actingFor: change.actor === 'system' ? null : change.actor.departmentCode,
      occurredAt: now,
      data: { ...change.data, ...cancelledBy(effects), ...openedForSubstitutes(effects), ...(stateLabel ? { state: stateLabel } : {}), ...(status !== current.status ? { status } : {}) },
    },
  );
  return {
    caseId: current.id,
    expectedVersion: current.version,
    next: {
      snapshot: change.step?.snapshot ?? current.snapshot,
      stateLabel: stateLabel ?? current.stateLabel,
      status,
      version: change.keepVersion ? current.version : current.version + 1,
      auditSeq: audit.seq,
      auditHead: audit.hash,
      updatedAt: now,
    },
    effects,
    audits: [audit],
  };
}


/**
 * The tasks a command cancelled, named in its audit event: the other signers of an or-sign (或签) once one
 * decided, the reviews a return took back. A case closing cancels what is open without naming each.
 */
function cancelledBy(effects: readonly CaseEffect[]): { cancelledTasks?: string[] } {
  const ids = effects.flatMap((e) => (e.type === 'task.cancel' ? [e.taskId] : []));
  return ids.length > 0 ? { cancelledTasks: ids } : {};
}
