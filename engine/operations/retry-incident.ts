import type { CommandResult, DecisionEnv } from './decide-command.js';
import { buildCommit } from '../case-commit.js';
import type { RetryIncident } from '../case-command.js';
import type { Decision, LockedCase } from '../case-store.js';
import { committed } from './decision.js';
import { CaseClosedError, IncidentNotOpenError, TimerNotFoundError } from '../errors.js';
import { authorize } from '../access/permission-matrix.js';

/**
 * `incident.retry`: an administrator re-arms a timer the timer worker gave up on. The timer is pending
 * again — overdue, so it is relayed at once with a fresh set of attempts — and the incident is resolved with
 * who retried it and when; the retry is an event in the case's audit chain. Decided under the case lock, so
 * two administrators retrying at once re-arm it once: the second finds the timer pending (409).
 *
 * A closed case takes no more timers: its incident cannot be retried (409), the timer would fire into nothing.
 */
export function retryIncident(locked: LockedCase, command: RetryIncident, env: DecisionEnv): Decision<CommandResult> {
  authorize(command.actor, 'incident.retry');
  const timer = locked.timer;
  if (!timer) throw new TimerNotFoundError(command.timerId);
  if (timer.status !== 'failed') throw new IncidentNotOpenError(command.incidentId, timer.status);
  if (locked.case.status !== 'running') throw new CaseClosedError(locked.case.id, locked.case.status);
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
}
