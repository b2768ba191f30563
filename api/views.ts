import { hasRole, type Actor, type Role } from '../engine/access/actor.js';
import { applicantSeenBy } from '../engine/access/applicant-visibility.js';
import { TASK_ROLES } from '../engine/access/authorization-policy.js';
import { discloseCase } from '../engine/access/case-disclosure.js';
import { delegationSeenBy } from '../engine/access/delegation-visibility.js';
import { seesMaterial, visibleTo, type MaterialNeeds } from '../engine/access/material-visibility.js';
import type { WorkingDaysLeft } from '../engine/time/working-days-left.js';
import { dueExplanation } from '../engine/time/due-explanation-text.js';
import type { ClockStatus } from '../engine/time/legal-clock.js';
import { clockColour } from '../engine/time/ladder-rungs.js';
import type { CaseView } from '../db/case-queries.js';
import type { CopiedToMeRow, CopyRow } from '../db/copy-queries.js';
import type { Notification } from '../db/notification-queries.js';
import type { ListedNotice } from '../db/supervision-notice-queries.js';
import type { InboxRow, TaskRow } from '../db/task-queries.js';
import type { Incident } from '../db/timer-incidents.js';

/** How the API shows stored rows: JSON shapes with ISO instants. What a viewer may see is the engine's decision. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A task as `viewer` reads it: its delegation (委派) only in its own department (`delegationSeenBy`). */
export function taskView(viewer: Actor, t: TaskRow) {
  return {
    id: t.id,
    caseId: t.caseId,
    key: t.key,
    kind: t.kind,
    title: t.title,
    departmentCode: t.departmentCode,
    status: t.status,
    assigneeId: t.assigneeId,
    outcome: t.outcome,
    warningLevel: t.warningLevel,
    openedAt: t.openedAt.toISOString(),
    dueAt: t.dueAt.toISOString(),
    due: dueExplanation(t.dueAt, t.dueDerivation),
    completedAt: iso(t.completedAt),
    substitutedFor: t.substitutedFor,
    ...delegationSeenBy(viewer, t),
  };
}

/**
 * A task as its department's inbox shows it: the task, its case's number and service item, the applicant's name as
 * the reader may see it (`applicantSeenBy`), its clock as read now (`left`: null once done or without a clock), and
 * whether the reader may claim it now (open, nobody's, of a kind their roles handle: `TASK_ROLES`).
 */
export function inboxTaskView(actor: Actor, row: InboxRow, left: WorkingDaysLeft | null) {
  return {
    ...taskView(actor, row.task),
    caseNumber: row.caseNumber,
    serviceItem: row.serviceItem,
    applicantName: applicantSeenBy(actor, row).name,
    completedBy: row.task.completedBy,
    remainingWorkingDays: left?.workingDays ?? null,
    clockState: left?.state ?? null,
    provisional: left ? left.provisional : (row.task.dueDerivation?.provisional ?? false),
    canClaim: row.task.status === 'open' && row.task.assigneeId === null && hasRole(actor, ...((TASK_ROLES as Partial<Record<string, readonly Role[]>>)[row.task.kind] ?? [])),
  };
}

/** An incident (a timer given up after every attempt) with ISO instants. */
export function incidentView(i: Incident) {
  return {
    ...i,
    dueAt: i.dueAt.toISOString(),
    firstFailedAt: i.firstFailedAt.toISOString(),
    lastFailedAt: i.lastFailedAt.toISOString(),
    resolvedAt: iso(i.resolvedAt),
  };
}

/** A notification as its reader sees it: whether they have read it, and when. */
export function notificationView(n: Notification) {
  return {
    id: n.id,
    caseId: n.caseId,
    caseNumber: n.caseNumber,
    template: n.template,
    data: n.data,
    taskTitle: n.taskTitle,
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
    readAt: iso(n.readAt),
  };
}

/** A case as `actor` reads it (`discloseCase`: personal data masked, outcomes, opinions and unseen materials withheld as the rules say). */
export function caseView(actor: Actor, view: CaseView, needs: ReadonlyMap<string, MaterialNeeds>) {
  const c = view.case;
  const seen = discloseCase(actor, { record: c, tasks: view.tasks, opinions: view.opinions, comments: view.comments, timeline: view.timeline }, needs);
  return {
    id: c.id,
    caseNumber: c.number,
    serviceItemCode: c.serviceItemCode,
    serviceItemVersion: c.serviceItemVersion,
    definition: { key: c.definitionKey, version: c.definitionVersion },
    status: c.status,
    state: c.stateLabel,
    warningLevel: c.warningLevel,
    version: c.version,
    leadDepartment: c.leadDepartment,
    intakeDepartment: c.intakeDepartment,
    applicant: seen.applicant,
    createdAt: c.createdAt.toISOString(),
    dueAt: c.dueAt.toISOString(),
    due: dueExplanation(c.dueAt, c.dueDerivation),
    completedAt: iso(c.completedAt),
    tasks: seen.tasks.map((t) => taskView(actor, t)),
    opinions: seen.opinions.map((o) => ({
      id: o.id,
      taskId: o.taskId,
      departmentCode: o.departmentCode,
      authorId: o.authorId,
      outcome: o.outcome,
      text: o.text,
      visibility: o.visibility,
      createdAt: o.createdAt.toISOString(),
    })),
    comments: seen.comments.map((m) => ({ id: m.id, authorId: m.authorId, departmentCode: m.departmentCode, text: m.text, visibility: m.visibility, createdAt: m.createdAt.toISOString() })),
    // Only the materials the reader's department sees (by the case's definition), each version, with who sees it.
    materials: view.materials
      .filter((m) => seesMaterial(actor, needs, m.name))
      .map((m) => ({
        id: m.id,
        name: m.name,
        version: m.version,
        sha256: m.sha256,
        sizeBytes: m.sizeBytes,
        contentType: m.contentType,
        hasFile: m.blobId !== null,
        licenceNumber: m.licenceNumber,
        submittedAt: m.submittedAt.toISOString(),
        visibleTo: visibleTo(needs, m.name),
      })),
    licences: view.licences.map((l) => ({
      id: l.id,
      number: l.number,
      licenceType: l.licenceType,
      title: l.title,
      issuedAt: l.issuedAt.toISOString(),
      issuingDepartment: l.issuingDepartment,
      validFrom: (l.validFrom ?? l.issuedAt).toISOString(),
      validUntil: l.validUntil?.toISOString() ?? null,
      signed: l.signature !== null,
      revokedAt: l.revokedAt?.toISOString() ?? null,
      revocationReason: l.revocationReason,
    })),
    timeline: seen.timeline.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
  };
}

/** A clock as read now: its status with the due instant in ISO (and plain arrays, which the schema types). */
export function clockView(id: string, status: ClockStatus) {
  return {
    id,
    ...status,
    pauses: [...status.pauses],
    extensions: [...status.extensions],
    due: status.due && { due: status.due.due.toISOString(), derivation: status.due.derivation },
  };
}

/**
 * A supervision notice (督办) as read at `now`: `overdue` while open past its due, and then red; an open one is
 * otherwise as coloured as its clock's rungs reached (yellow one working day before); an ended one has no colour.
 */
export function noticeView(n: ListedNotice, now: Date) {
  const overdue = n.status === 'open' && n.dueAt < now;
  const colour = n.status !== 'open' ? null : overdue ? 'red' : n.clock ? clockColour(n.clock) : 'green';
  return {
    id: n.id,
    caseId: n.caseId,
    caseNumber: n.caseNumber,
    serviceItemCode: n.serviceItemCode,
    taskId: n.taskId,
    department: n.departmentCode,
    message: n.message,
    issuedBy: n.issuedBy,
    issuedAt: n.issuedAt.toISOString(),
    responseWorkingDays: n.responseWorkingDays,
    dueAt: n.dueAt.toISOString(),
    status: n.status,
    overdue,
    colour,
    response: n.response,
    respondedBy: n.respondedBy,
    respondedAt: iso(n.respondedAt),
    closedBy: n.closedBy,
    closedAt: iso(n.closedAt),
  };
}

/** A copy (抄送) with its read receipt: to whom (a person with their name, or a department), from whom, whether and when it was read, by whom. */
export function copyView(c: CopyRow) {
  return {
    id: c.id,
    caseId: c.caseId,
    sentBy: c.sentBy,
    sentByName: c.sentByName,
    sentByDepartment: c.sentByDepartment,
    recipient: c.recipientUser !== null ? { userId: c.recipientUser, name: c.recipientUserName } : { departmentCode: c.recipientDepartment ?? '' },
    note: c.note,
    sentAt: c.sentAt.toISOString(),
    read: c.readAt !== null,
    readAt: iso(c.readAt),
    readBy: c.readBy,
    readByName: c.readByName,
  };
}

/** A copy in "copied to me": the copy, its case's number, status and service item, and the applicant's name as the reader may see it. */
export function copiedToMeView(actor: Actor, row: CopiedToMeRow) {
  return { ...copyView(row), caseNumber: row.caseNumber, caseStatus: row.caseStatus, serviceItem: row.serviceItem, applicantName: applicantSeenBy(actor, row).name };
}
