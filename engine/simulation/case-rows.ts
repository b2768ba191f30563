import type { IncidentResolution, TaskRecord, TimerRecord, WarningLevel } from '../case-record.js';
import { openedTask, type CaseEffect, type NewComment, type NewLicence, type NewMaterial, type NewNotification, type NewOpinion, type Rescheduled } from '../case-effect.js';
import type { LegalClock } from '../time/legal-clock.js';
import type { SupervisionNotice } from '../supervision-notice.js';
import type { CaseCopy } from '../case-copy.js';
import type { SupplementRequest } from '../case-store.js';

/** An incident of one of the case's timers, as `timer_incidents` holds it. */
export interface IncidentRow {
  readonly id: string;
  readonly timerId: string;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolution: IncidentResolution | null;
}

/**
 * The rows of one case besides its own, in memory: what the commit statement writes for its effects. A sandbox
 * case (`sandbox-case.ts`) holds them for a simulation and the unit tests; `test/integration/effect-contract.test.ts`
 * holds `applyEffects` to what PostgreSQL writes.
 */
export interface CaseRows {
  readonly tasks: Map<string, TaskRecord>;
  readonly timers: Map<string, TimerRecord>;
  /** Warning levels of the tasks ever warned; the others are green. */
  readonly warnings: Map<string, WarningLevel>;
  readonly licences: NewLicence[];
  readonly notifications: NewNotification[];
  readonly opinions: NewOpinion[];
  readonly materials: NewMaterial[];
  /** Supplement requests (补正告知), oldest first, as `supplement_requests` holds them. */
  readonly supplementRequests: SupplementRequest[];
  /** By id. Opened outside any commit (`giveUpTimer`); commits only resolve them. */
  readonly incidents: Map<string, IncidentRow>;
  /** Supervision notices (督办) by id, as `supervision_notices` holds them. */
  readonly notices: Map<string, SupervisionNotice>;
  /** Copies (抄送) by id, as `case_copies` holds them. */
  readonly copies: Map<string, CaseCopy>;
  /** Comments (批注), as `case_comments` holds them. */
  readonly comments: NewComment[];
  /** The case's own deadline as `case.reschedule` last set it on the case row; null while never rescheduled. */
  caseDue: Rescheduled | null;
  /** The case's clocks as `case.clocks` last set them on the case row; null while never changed after the start. */
  caseClocks: readonly LegalClock[] | null;
  /** The case's colour as `case.warn` last set it (the case row's `warning_level`); green until then. */
  caseColour: WarningLevel;
}

/** No rows yet. */
export function emptyCaseRows(): CaseRows {
  return { tasks: new Map(), timers: new Map(), warnings: new Map(), licences: [], notifications: [], opinions: [], materials: [], supplementRequests: [], incidents: new Map(), notices: new Map(), copies: new Map(), comments: [], caseDue: null, caseClocks: null, caseColour: 'green' };
}

/** What the timer worker does outside any commit when a timer fails on every attempt (`openTimerIncident`). */
export function giveUpTimer(rows: CaseRows, timerId: string, incidentId: string): void {
  const timer = rows.timers.get(timerId);
  if (timer?.status !== 'pending') throw new Error(`Timer ${timerId} is not pending: it cannot be given up`);
  rows.timers.set(timerId, { ...timer, status: 'failed' });
  rows.incidents.set(incidentId, { id: incidentId, timerId, resolvedAt: null, resolvedBy: null, resolution: null });
}

const isLive = (task: TaskRecord) => task.status === 'open' || task.status === 'claimed';

/** A task leaving its holder (released, transferred) ends its delegation (委派), proposal and all (`db/effects/task-writers.ts`). */
const NOT_DELEGATED = { delegatedBy: null, delegation: null, delegationProposal: null } as const;

/**
 * Writes a command's effects the way the commit statement does (`db/effects/`): one open task per key (the
 * unique index), cancellations and `case.close` reach only rows that existed before the commit, a task can be
 * completed once, `case.close` also ends the failed timers and their incidents. Every kind has its case here
 * (the `never` below); `test/integration/effect-contract.test.ts` holds each to what PostgreSQL writes.
 */
export function applyEffects(rows: CaseRows, effects: readonly CaseEffect[]): void {
  const openTasks = () => [...rows.tasks.values()].filter(isLive);
  const pendingTimers = () => [...rows.timers.values()].filter((t) => t.status === 'pending');
  // Like the commit statement's CTEs, cancellations only see the rows from before the command.
  const liveBefore = new Set(openTasks().map((t) => t.id as string));
  const pendingBefore = new Set(pendingTimers().map((t) => t.id as string));
  const cancelTask = (id: string, at: Date) => {
    const task = rows.tasks.get(id);
    if (task && liveBefore.has(id) && isLive(task)) rows.tasks.set(id, { ...task, status: 'cancelled', completedAt: at });
  };
  const cancelTimers = (match: (t: TimerRecord) => boolean) => {
    for (const t of pendingTimers()) if (pendingBefore.has(t.id) && match(t)) rows.timers.set(t.id, { ...t, status: 'cancelled' });
  };
  for (const e of effects) {
    switch (e.type) {
      case 'task.open':
        if (openTasks().some((t) => t.key === e.task.key)) throw new Error(`A second open task ${e.task.key} (tasks_open_key_idx)`);
        rows.tasks.set(e.task.id, openedTask(e.task));
        break;
      case 'task.claim': {
        const task = rows.tasks.get(e.taskId);
        if (task && isLive(task)) rows.tasks.set(task.id, { ...task, status: 'claimed', assigneeId: e.assigneeId });
        break;
      }
      case 'task.release': {
        const task = rows.tasks.get(e.taskId);
        if (task && isLive(task)) rows.tasks.set(task.id, { ...task, status: 'open', assigneeId: null, substitutedFor: null, ...NOT_DELEGATED });
        break;
      }
      case 'task.transfer': {
        const task = rows.tasks.get(e.taskId);
        if (!task || !isLive(task)) throw new Error(`Task ${e.taskId} transferred while not open (the commit statement refuses this)`);
        rows.tasks.set(task.id, { ...task, departmentCode: e.departmentCode, assigneeId: e.assigneeId, substitutedFor: null, ...NOT_DELEGATED, status: e.assigneeId === null ? 'open' : 'claimed' });
        break;
      }
      case 'task.take-over': {
        const task = rows.tasks.get(e.taskId);
        if (!task || !isLive(task) || task.assigneeId !== e.substitutedFor) throw new Error(`Task ${e.taskId} taken over while not held by ${e.substitutedFor} (the commit statement refuses this)`);
        rows.tasks.set(task.id, { ...task, assigneeId: e.assigneeId, substitutedFor: e.substitutedFor });
        break;
      }
      case 'task.delegation': {
        const task = rows.tasks.get(e.taskId);
        if (!task || !isLive(task)) throw new Error(`Task ${e.taskId} delegated while not open (the commit statement refuses this)`);
        rows.tasks.set(task.id, { ...task, status: 'claimed', assigneeId: e.assigneeId, delegatedBy: e.delegatedBy, delegation: e.delegation, delegationProposal: e.proposal });
        break;
      }
      case 'task.complete': {
        const task = rows.tasks.get(e.taskId);
        if (!task || !isLive(task)) throw new Error(`Task ${e.taskId} completed twice (the commit statement refuses this)`);
        rows.tasks.set(task.id, {
          ...task,
          status: 'completed',
          outcome: e.outcome,
          completedAt: e.at,
          completedBy: e.completedBy,
          openedTasks: e.opened,
          assigneeId: task.assigneeId ?? e.completedBy,
        });
        break;
      }
      case 'task.withdraw': {
        const task = rows.tasks.get(e.taskId);
        if (task?.status !== 'completed') throw new Error(`Task ${e.taskId} withdrawn while not completed (the commit statement refuses this)`);
        rows.tasks.set(task.id, { ...task, status: 'withdrawn' });
        break;
      }
      case 'task.cancel':
        cancelTask(e.taskId, e.at);
        break;
      case 'task.warn':
        rows.warnings.set(e.taskId, e.level);
        break;
      case 'opinion.record':
        rows.opinions.push(e.opinion);
        break;
      case 'material.add':
        rows.materials.push(e.material);
        break;
      case 'supplement.request': {
        const { caseId: _case, requestedBy: _by, ...request } = e.request;
        rows.supplementRequests.push({ ...request, answeredAt: null });
        break;
      }
      case 'supplement.answer':
        for (const id of e.requestIds) {
          const i = rows.supplementRequests.findIndex((r) => r.id === id);
          const request = rows.supplementRequests[i];
          if (!request || request.answeredAt !== null) throw new Error(`Supplement request ${id} answered when not awaited (the commit statement refuses this)`);
          rows.supplementRequests[i] = { ...request, answeredAt: e.at };
        }
        break;
      case 'timer.schedule':
        rows.timers.set(e.timer.id, { ...e.timer, status: 'pending' });
        break;
      case 'timer.cancel': {
        const { match } = e;
        cancelTimers((t) => ('taskId' in match ? t.taskId === match.taskId : t.sendId === match.sendId));
        break;
      }
      case 'timer.fired': {
        const timer = rows.timers.get(e.timerId);
        if (timer?.status === 'pending') rows.timers.set(timer.id, { ...timer, status: 'fired' });
        break;
      }
      case 'timer.relay':
        // Delivery only (an outbox row): the timer stays as it is.
        break;
      case 'timer.rearm': {
        const timer = rows.timers.get(e.timerId);
        if (timer?.status === 'failed') rows.timers.set(timer.id, { ...timer, status: 'pending' });
        const incident = rows.incidents.get(e.incidentId);
        if (incident?.timerId === e.timerId && !incident.resolvedAt) {
          rows.incidents.set(incident.id, { ...incident, resolvedAt: e.at, resolvedBy: e.by, resolution: 'retried' });
        }
        break;
      }
      case 'task.reschedule': {
        const task = rows.tasks.get(e.taskId);
        if (task && isLive(task)) rows.tasks.set(task.id, { ...task, dueAt: e.dueAt, dueDerivation: e.dueDerivation });
        break;
      }
      case 'timer.reschedule': {
        const timer = rows.timers.get(e.timerId);
        if (timer?.status === 'pending') rows.timers.set(timer.id, { ...timer, dueAt: e.dueAt, dueDerivation: e.dueDerivation });
        break;
      }
      case 'case.reschedule':
        rows.caseDue = { dueAt: e.dueAt, dueDerivation: e.dueDerivation };
        break;
      case 'case.clocks':
        rows.caseClocks = e.clocks;
        break;
      case 'case.warn':
        rows.caseColour = e.level;
        break;
      case 'licence.issue':
        rows.licences.push(e.licence);
        break;
      case 'notification.send':
        rows.notifications.push(e.notification);
        break;
      case 'notice.issue':
        rows.notices.set(e.notice.id, { ...e.notice, status: 'open', response: null, respondedBy: null, respondedAt: null, closedBy: null, closedAt: null });
        break;
      case 'notice.respond': {
        const notice = rows.notices.get(e.noticeId);
        if (notice?.status !== 'open') throw new Error(`Notice ${e.noticeId} answered when not open (the commit statement refuses this)`);
        rows.notices.set(notice.id, { ...notice, status: 'answered', response: e.response, respondedBy: e.respondedBy, respondedAt: e.at });
        break;
      }
      case 'notice.close': {
        const notice = rows.notices.get(e.noticeId);
        if (notice === undefined || notice.status === 'closed') throw new Error(`Notice ${e.noticeId} closed twice (the commit statement refuses this)`);
        rows.notices.set(notice.id, { ...notice, status: 'closed', closedBy: e.closedBy, closedAt: e.at });
        break;
      }
      case 'copy.send':
        rows.copies.set(e.copy.id, { ...e.copy, readAt: null, readBy: null });
        break;
      case 'copy.read': {
        const copy = rows.copies.get(e.copyId);
        if (!copy || copy.readAt !== null) throw new Error(`Copy ${e.copyId} marked read twice (the commit statement refuses this)`);
        rows.copies.set(copy.id, { ...copy, readAt: e.at, readBy: e.readBy });
        break;
      }
      case 'comment.add':
        rows.comments.push(e.comment);
        break;
      case 'case.close':
        for (const id of liveBefore) cancelTask(id, e.at);
        cancelTimers(() => true);
        // A failed timer has its open incident: both end with the case, as no retry could clear them after it.
        for (const incident of rows.incidents.values()) {
          if (incident.resolvedAt) continue;
          rows.incidents.set(incident.id, { ...incident, resolvedAt: e.at, resolvedBy: 'system', resolution: 'case-closed' });
          const timer = rows.timers.get(incident.timerId);
          if (timer?.status === 'failed') rows.timers.set(timer.id, { ...timer, status: 'cancelled' });
        }
        break;
      default: {
        const unknown: never = e;
        throw new Error(`Unhandled effect ${JSON.stringify(unknown)}`);
      }
    }
  }
}
