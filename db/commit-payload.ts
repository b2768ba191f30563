import type { CaseEffect, CaseUpdate, IdempotentAnswer, NewCase } from '../engine/case-effect.js';
import type { AuditEvent } from '../engine/audit/audit-chain.js';

/**
 * The rows one command writes, grouped by table, as the single jsonb parameter of the commit statement
 * (`commit-statement.ts`). One parameter keeps the statement text fixed, so PostgreSQL prepares it once
 * per connection, whatever the command.
 */
export interface CommitPayload {
  readonly case: CaseUpdate | NewCase;
  readonly closing: boolean;
  readonly tasksOpened: unknown[];
  readonly tasksClaimed: unknown[];
  readonly tasksReleased: unknown[];
  readonly tasksCompleted: unknown[];
  readonly tasksCancelled: string[];
  readonly tasksWarned: unknown[];
  readonly opinions: unknown[];
  readonly materials: unknown[];
  readonly licences: unknown[];
  readonly timersScheduled: unknown[];
  readonly timersCancelledByTask: string[];
  readonly timersCancelledBySendId: string[];
  readonly timersFired: unknown[];
  readonly timersRearmed: unknown[];
  readonly notifications: unknown[];
  readonly audits: readonly AuditEvent[];
  readonly answers: IdempotentAnswer[];
}

export function commitPayload(
  row: CaseUpdate | NewCase,
  effects: readonly CaseEffect[],
  audits: readonly AuditEvent[],
  answer: IdempotentAnswer | undefined,
): CommitPayload {
  const p: CommitPayload = {
    case: row,
    closing: false,
    tasksOpened: [],
    tasksClaimed: [],
    tasksReleased: [],
    tasksCompleted: [],
    tasksCancelled: [],
    tasksWarned: [],
    opinions: [],
    materials: [],
    licences: [],
    timersScheduled: [],
    timersCancelledByTask: [],
    timersCancelledBySendId: [],
    timersFired: [],
    timersRearmed: [],
    notifications: [],
    audits,
    answers: answer ? [answer] : [],
  };
  let closing = false;
  for (const e of effects) {
    switch (e.type) {
      case 'task.open':
        p.tasksOpened.push(e.task);
        break;
      case 'task.claim':
        p.tasksClaimed.push({ id: e.taskId, assigneeId: e.assigneeId });
        break;
      case 'task.release':
        p.tasksReleased.push({ id: e.taskId });
        break;
      case 'task.complete':
        p.tasksCompleted.push({ id: e.taskId, outcome: e.outcome, completedBy: e.completedBy, at: e.at });
        break;
      case 'task.cancel':
        p.tasksCancelled.push(e.taskId);
        break;
      case 'task.warn':
        p.tasksWarned.push({ id: e.taskId, level: e.level });
        break;
      case 'opinion.record':
        p.opinions.push(e.opinion);
        break;
      case 'material.add':
        p.materials.push(e.material);
        break;
      case 'licence.issue':
        p.licences.push(e.licence);
        break;
      case 'timer.schedule':
        p.timersScheduled.push(e.timer);
        break;
      case 'timer.cancel':
        if ('taskId' in e.match) p.timersCancelledByTask.push(e.match.taskId);
        else p.timersCancelledBySendId.push(e.match.sendId);
        break;
      case 'timer.fired':
        p.timersFired.push({ id: e.timerId, at: e.at });
        break;
      case 'timer.rearm':
        p.timersRearmed.push({ id: e.timerId, incidentId: e.incidentId, by: e.by, at: e.at });
        break;
      case 'notification.send': {
        const n = e.notification;
        const audience = 'departmentCode' in n.audience ? { audience: 'department', departmentCode: n.audience.departmentCode } : { audience: 'applicant', departmentCode: null };
        p.notifications.push({ id: n.id, caseId: n.caseId, template: n.template, data: n.data, ...audience });
        break;
      }
      case 'case.close':
        closing = true;
        break;
    }
  }
  return { ...p, closing };
}
