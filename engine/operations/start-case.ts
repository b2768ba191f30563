import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, chainAuditEvent } from '../audit/audit-chain.js';
import type { Actor } from '../access/actor.js';
import { authorize } from '../access/permission-matrix.js';
import type { MaterialInput } from '../case-command.js';
import type { Applicant } from '../case-record.js';
import type { CaseCreation, CaseEffect } from '../case-effect.js';
import { startMachine } from '../case-snapshot.js';
import { caseDeadlineTimer, clockDeadlineTimer, COMMITTED_CLOCK, LEGAL_CLOCK, nextRungAt, rungTimer } from '../case-clocks.js';
import { notify, planEffects } from '../effect-planner.js';
import { caseId, departmentCode } from '../ids.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import type { Answer } from '../definitions/case-machine.js';
import type { ServiceItem } from '../service-item.js';
import { deadline } from '../time/deadline.js';
import { startClock, type LegalClock } from '../time/legal-clock.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import { openedForSubstitutes, type Substitution } from '../substitution.js';
import type { Licensing } from '../licences/electronic-licence.js';

/** 受理: the intake window (or a department system) starts a case for a service item. */
export interface StartCase {
  readonly type: 'case.start';
  readonly actor: Actor;
  readonly serviceItemCode: string;
  readonly applicant: Applicant;
  readonly materials: readonly MaterialInput[];
  /** The application form's answers (e.g. `hasBasement: true`): what decides an optional member of a joint review. */
  readonly answers?: Readonly<Record<string, Answer>> | undefined;
  /**
   * The salted hash of the query code the window hands the applicant (进度查询). The API draws the code and hashes
   * it, so that the engine stays deterministic and the code itself never reaches a command, a row or a log.
   */
  readonly queryCodeHash?: string | undefined;
}

/**
 * Plans a new case on the latest published definition of the service item: the initial state, the tasks
 * it opens, its materials, the case deadline (committed limit, working days) and the first audit event. The
 * case pins the item's counting rule: its later deadlines count by it without reading the catalogue. It gets
 * its two clocks, pinned too: `legal` (the statutory limit) and `committed`, under the item's extension policy.
 */
export function planCaseStart(
  command: StartCase,
  env: { serviceItem: ServiceItem; definition: CompiledDefinition; calendar: WorkingCalendar; now: Date; substitutions?: readonly Substitution[]; licensing?: Licensing | undefined },
): CaseCreation {
  authorize(command.actor, 'case.start');
  const { serviceItem, definition, calendar, now } = env;
  const id = caseId(randomUUID());
  const leadDepartment = departmentCode(serviceItem.leadDepartment);
  const { countingRule } = serviceItem;
  const terms = { start: now, rule: countingRule, extensionPolicy: serviceItem.extension, uncounted: serviceItem.uncountedProcedures, ladder: serviceItem.ladder };
  const clocks: LegalClock[] = [
    startClock(calendar, { id: LEGAL_CLOCK, budgetWorkingDays: serviceItem.legalLimitDays, ...terms }),
    startClock(calendar, { id: COMMITTED_CLOCK, budgetWorkingDays: serviceItem.committedLimitDays, ...terms }),
  ];
  const ctx = { caseId: id, calendar, countingRule, now };
  // Each counted as `deadline()` counts: a new clock's due is its budget from the start.
  const legalDue = deadline(calendar, now, serviceItem.legalLimitDays, countingRule);
  const committedDue = deadline(calendar, now, serviceItem.committedLimitDays, countingRule);
  const { due: dueAt, derivation: dueDerivation } = committedDue;
  const step = startMachine(definition, { answers: command.answers ?? {} });
  const effects: CaseEffect[] = [
    ...command.materials.map((m): CaseEffect => ({
      type: 'material.add',
      material: { ...m, id: randomUUID(), caseId: id, version: 1, submittedBy: command.actor.userId, at: now },
    })),
    { type: 'timer.schedule', timer: caseDeadlineTimer(ctx, committedDue) },
    { type: 'timer.schedule', timer: clockDeadlineTimer(ctx, LEGAL_CLOCK, legalDue) },
    // Each climbs its warning ladder from its first rung.
    ...clocks.flatMap((clock): CaseEffect[] => {
      const at = nextRungAt(clock, ctx);
      return at ? [{ type: 'timer.schedule', timer: rungTimer(ctx, clock.id, null, at) }] : [];
    }),
    ...planEffects(step.actions, {
      caseId: id,
      leadDepartment,
      intakeDepartment: command.actor.departmentCode,
      applicant: command.applicant,
      now,
      calendar,
      countingRule,
      openTasks: [],
      rejections: step.context.rejections,
      clocks,
      completed: null,
      substitutions: env.substitutions ?? [],
      countersigns: step.context.countersigns,
      licensing: env.licensing,
    }),
    notify({ caseId: id }, { applicant: true }, 'case.accepted', { dueAt: dueAt.toISOString() }),
  ];
  const audit = chainAuditEvent(
    { seq: 0, hash: GENESIS_HASH },
    {
      caseId: id,
      type: 'case.started',
      actorId: command.actor.userId,
      actingFor: command.actor.departmentCode,
      occurredAt: now,
      data: {
        serviceItem: serviceItem.code,
        serviceItemVersion: serviceItem.version,
        definition: `${definition.key}@${definition.version}`,
        materials: command.materials.map((m) => m.name),
        ...reusedLicences(command.materials),
        ...(command.answers && Object.keys(command.answers).length > 0 ? { answers: command.answers } : {}),
        ...openedForSubstitutes(effects),
        state: step.stateLabel,
      },
    },
  );
  return {
    case: {
      id,
      serviceItemCode: serviceItem.code,
      serviceItemVersion: serviceItem.version,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      leadDepartment,
      intakeDepartment: command.actor.departmentCode,
      applicant: command.applicant,
      calendarCode: serviceItem.calendarCode,
      countingRule,
      createdAt: now,
      dueAt,
      dueDerivation,
      clocks,
      queryCodeHash: command.queryCodeHash ?? null,
      snapshot: step.snapshot,
      stateLabel: step.stateLabel,
      status: step.status,
      version: 1,
      auditSeq: audit.seq,
      auditHead: audit.hash,
      updatedAt: now,
    },
    effects,
    audit,
  };
}

/** The licences that stand in for materials (证照复用), for the audit: which material each replaces; none, nothing. */
function reusedLicences(materials: readonly MaterialInput[]): { reusedLicences?: { material: string; licence: string }[] } {
  const reused = materials.flatMap((m) => (m.licenceNumber ? [{ material: m.name, licence: m.licenceNumber }] : []));
  return reused.length === 0 ? {} : { reusedLicences: reused };
}
