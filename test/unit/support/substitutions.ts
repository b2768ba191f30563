import type { Role } from '../../../engine/access/actor.js';
import { onOutcome, taskState } from '../../../engine/definitions/definition-parts.js';
import { countersignState } from '../../../engine/definitions/joint-review.js';
import { CASE_OUTCOME_TAGS, type ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import { departmentCode, userId } from '../../../engine/ids.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import type { Substitution } from '../../../engine/substitution.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupationItem } from '../../../workflows/road-occupation.js';

const HOUR = 3_600_000;

/**
 * A window (代理) in which `substituteId` of `department` (with `roles`) stands in for `absentId`, from `from` for
 * `hours` hours: as the store hands it to the engine.
 */
export function substitution(absentId: string, substituteId: string, from: Date, options: { hours?: number; department?: string; roles?: Role[]; cancelled?: boolean } = {}): Substitution {
  const department = options.department ?? absentId.split('.')[0] ?? '';
  return {
    id: `sub-${absentId}-${substituteId}`,
    absentId: userId(absentId),
    substitute: { userId: userId(substituteId), departmentCode: departmentCode(department), roles: options.roles ?? ['lead'] },
    startsAt: from,
    endsAt: new Date(from.getTime() + (options.hours ?? 48) * HOUR),
    cancelledAt: options.cancelled ? from : null,
  };
}

/**
 * A process whose powers are personal (`substitutable: false`): urban management's lead decides in person, then
 * either deputy director signs in person (或签). For the take-over and routing tests of steps kept from substitutes.
 */
export const IN_PERSON: ProcessDefinition = {
  key: 'in-person',
  version: 1,
  title: 'Decided and signed in person',
  machine: {
    id: 'in-person',
    context: { outcomes: {}, rejections: [] },
    initial: 'decision',
    states: {
      decision: taskState(
        { task: 'decision', kind: 'decision', title: '联合审批决定 Joint decision', department: 'urban-management', workingDays: 2, substitutable: false },
        { 'task.approved': onOutcome('decision', 'signOff') },
      ),
      signOff: countersignState(
        {
          step: 'signOff',
          mode: 'any',
          kind: 'decision',
          title: '签发 Sign-off',
          workingDays: 2,
          signers: ROAD_OCCUPATION_DEPUTIES.map((person) => ({ department: 'urban-management', person })),
          substitutable: false,
        },
        { approved: 'issued', rejected: 'refused' },
      ),
      issued: { type: 'final', tags: [CASE_OUTCOME_TAGS.approved] },
      refused: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
    },
  },
};

export const IN_PERSON_ITEM: ServiceItem = { ...roadOccupationItem, code: 'in-person', name: 'In person', definitionKey: IN_PERSON.key };
