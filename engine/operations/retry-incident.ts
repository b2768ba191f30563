import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import { IncidentNotOpenError, TimerNotFoundError } from '../errors.js';
import type { TimerId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { assertRunning, committed } from './decision.js';

/** An administrator re-arms a timer given up after failing on every attempt (an incident). */
export interface RetryIncident {
  readonly type: 'incident.retry';
  readonly actor: Actor;
  readonly incidentId: string;
  /** The incident's timer: the case is found, and locked, through it. */
  readonly timerId: TimerId;
}

/**
 * `incident.retry`: an administrator re-arms a timer the timer worker gave up on. The timer is pending
 * again — overdue, so it is relayed at once with a fresh set of attempts — and the incident is resolved with
 * who retried it and when; the retry is an event in the case's audit chain. Decided under the case lock, so
 * two administrators retrying at once re-arm it once: the second finds the timer pending (409).
 *
 * A closed case takes no more timers: its incident cannot be retried (409), the timer would fire into nothing.
 * Closing resolves a case's incidents and cancels their timers, so this guards only a command that races it.
 */
export const retryIncident: CaseOperation<RetryIncident> = {
  type: 'incident.retry',
  permission: 'incident.retry',
  caseRef: (command) => ({ timerId: command.timerId }),
  decide(locked, command, env) {
    const timer = locked.timer;
    if (!timer) throw new TimerNotFoundError(command.timerId);
    if (timer.status !== 'failed') throw new IncidentNotOpenError(command.incidentId, timer.status);
    assertRunning(locked.case);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [{ type: 'timer.rearm', timerId: timer.id, incidentId: command.incidentId, by: command.actor.userId, at: env.now }],
        auditType: 'incident.retried',
        actor: command.actor,
        data: { incidentId: command.incidentId, timerId: timer.id, kind: timer.kind, dueAt: timer.dueAt.toISOString() },
        // Delivery is re-armed; nothing a handler's expectedVersion protects has changed.
        keepVersion: true,
      }),
    );
  },
};
