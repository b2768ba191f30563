import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { authorizeSupplement } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { MaterialInput } from '../case-command.js';
import type { CaseEffect } from '../case-effect.js';
import { planEffects } from '../effect-planner.js';
import type { CaseId } from '../ids.js';
import type { FiledMaterial } from '../case-store.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** The applicant's supplement (补正) arrives through the intake window. */
export interface SubmitSupplement {
  readonly type: 'supplement.submit';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly materials: readonly MaterialInput[];
  readonly expectedVersion?: number;
}

/** Adds the materials and sends `supplement.submitted` into the case (refused where no supplement is awaited). */
export const submitSupplement: CaseOperation<SubmitSupplement> = {
  type: 'supplement.submit',
  permission: 'case.supplement',
  caseRef: (command) => ({ caseId: command.caseId, caseFile: true }),
  decide(locked, command, env) {
    assertRunning(locked.case);
    authorizeSupplement(command.actor, locked.case);
    const step = acceptedStep(locked, { type: 'supplement.submitted' }, env);
    const filed = locked.caseFile?.materials ?? [];
    const materials: CaseEffect[] = command.materials.map((m) => ({
      type: 'material.add',
      // A material handed in again is its next version; the earlier ones stay in the case file.
      material: { ...m, id: randomUUID(), caseId: locked.case.id, version: latestVersion(filed, m.name) + 1, submittedBy: command.actor.userId, at: env.now },
    }));
    // A partial supplement answers the request too: the window may ask again for what is still missing (一次性告知 allows
    // naming again what was named).
    const awaited = (locked.caseFile?.supplementRequests ?? []).filter((r) => r.answeredAt === null).map((r) => r.id);
    const answer: CaseEffect[] = awaited.length > 0 ? [{ type: 'supplement.answer', requestIds: awaited, at: env.now }] : [];
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects: [...materials, ...answer, ...planEffects(step.actions, planning(locked, env, step, null))],
        auditType: 'supplement.submitted',
        actor: command.actor,
        data: { materials: command.materials.map((m) => m.name), ...(awaited.length > 0 ? { answered: awaited } : {}) },
      }),
    );
  },
};

function latestVersion(filed: readonly FiledMaterial[], name: string): number {
  return filed.reduce((latest, m) => (m.name === name && m.version > latest ? m.version : latest), 0);
}
