import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { committed } from './decision.js';

/** A privileged read of the applicant's personal data: recorded in the audit chain before it happens. */
export interface ReadPersonalData {
  readonly type: 'personal-data.read';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
}

/** Appends the read, with its reason, to the case's chain; the API answers the data once this commits. */
export const readPersonalData: CaseOperation<ReadPersonalData> = {
  type: 'personal-data.read',
  permission: 'case.personal-data.read',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [],
        auditType: 'personal-data.read',
        actor: command.actor,
        data: { reason: command.reason },
        keepVersion: true,
      }),
    );
  },
};
