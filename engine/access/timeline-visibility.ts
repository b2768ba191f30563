import { hasRole, type Actor } from './actor.js';
import type { AuditEvent } from '../audit/audit-chain.js';
import { DEEMED_OUTCOME_EVENTS, EVENT_BY_OUTCOME } from '../definitions/case-machine.js';
import { materialsSeen } from './material-mentions.js';
import { seesMaterial, type MaterialNeeds } from './material-visibility.js';
import { taskOutcomeVisibleTo, type OutcomeFacts } from './opinion-visibility.js';

/**
 * What a viewer reads of a case's timeline (its audit events). Every event stays, with three exceptions:
 *
 * - The outcome of a task (`task.approved`, `task.rejected`, `task.returned`, and one deemed:
 *   `task.deemed-approved`, `task.deemed-rejected`) follows its opinion
 *   (`taskOutcomeVisibleTo`): before the joint decision a member department sees that another department
 *   completed its review (`task.completed`), not how. The event's type and its data (`outcome`, and the
 *   `state` the case went to) both tell the outcome, so both are withheld.
 * - Supervision events, a supervisor's privileged read of personal data with its reason, are read by
 *   supervisors only: a department under supervision does not learn that, or why, it is looked into.
 *   An urge (催办, `task.urged`) is not one of them: it is a notice to the department urged, which
 *   receives it anyway, and the other departments see where the case is waiting.
 * - The materials an event names (`material-mentions.ts`) are those the viewer's department sees
 *   (`material-visibility.ts`, from the definition): the download of another one is withheld whole, and
 *   the lists of materials handed in or asked for keep only those seen.
 *
 * An event's hash covers the event and, through `prevHash`, every event before it. With the hash of a
 * withheld event, or of any later one, the three possible outcomes (or the service item's few material
 * names) could be tried until one matched; so from the first event withheld from a viewer on, in whole or
 * in part, hashes are withheld too. The chain stays verifiable
 * through `GET /api/cases/{caseId}/audit/verification`, which reports only where it breaks.
 */
export type TimelineEvent = Omit<AuditEvent, 'caseId' | 'prevHash'>;

export interface TimelineEntry extends Omit<TimelineEvent, 'hash'> {
  readonly hash: string | null;
  /** True when the event's outcome is withheld from this viewer; its type is then `task.completed`. */
  readonly outcomeWithheld: boolean;
}

/** The type shown for a task's completion whose outcome the viewer may not learn yet. */
export const WITHHELD_COMPLETION = 'task.completed';

/** A department's outcome, or one deemed for it (视为同意, `tacit-decision.ts`): told alike. */
const OUTCOME_EVENTS: ReadonlySet<string> = new Set([...Object.values(EVENT_BY_OUTCOME), ...Object.values(DEEMED_OUTCOME_EVENTS)]);
const SUPERVISION_EVENTS: ReadonlySet<string> = new Set(['personal-data.read']);

export function visibleTimeline(viewer: Actor, events: readonly TimelineEvent[], facts: OutcomeFacts, needs: ReadonlyMap<string, MaterialNeeds>): TimelineEntry[] {
  const supervisor = hasRole(viewer, 'supervisor');
  const sees = (material: string) => seesMaterial(viewer, needs, material);
  const entries: TimelineEntry[] = [];
  let withheldBefore = false;
  for (const event of events) {
    if (SUPERVISION_EVENTS.has(event.type) && !supervisor) {
      withheldBefore = true;
      continue;
    }
    // Field by field: a stored row also carries `prevHash`, the hash of the event before.
    const { seq, type, actorId, actingFor, occurredAt, data, hash } = event;
    const taskId = data['taskId'];
    if (OUTCOME_EVENTS.has(type) && !(typeof taskId === 'string' && taskOutcomeVisibleTo(viewer, taskId, facts))) {
      withheldBefore = true;
      const withheld = { taskId, task: data['task'] };
      entries.push({ seq, type: WITHHELD_COMPLETION, actorId, actingFor, occurredAt, data: withheld, hash: null, outcomeWithheld: true });
      continue;
    }
    const seen = materialsSeen(type, data, sees);
    if (!seen || seen.withheld) withheldBefore = true;
    if (!seen) continue;
    entries.push({ seq, type, actorId, actingFor, occurredAt, data: seen.data, hash: withheldBefore ? null : hash, outcomeWithheld: false });
  }
  return entries;
}
