import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { dueDerivation, dueVersion } from './cases.js';
import { casePartKey } from './case-part-key.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Durable timers. PostgreSQL is their truth; BullMQ delayed jobs only deliver them. `status`: `pending` until
 * it fires (`fired`), is cancelled (`cancelled`), or its firing keeps failing (`failed`: an open incident in
 * `timer_incidents`; nothing delivers it again until an administrator retries it).
 */
export const timers = pgTable(
  'timers',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind').notNull(),
    taskId: uuid('task_id'),
    event: jsonb('event').notNull(),
    sendId: text('send_id'),
    dueAt: instant('due_at').notNull(),
    /** How a working-day due date was counted; null for a machine delay (milliseconds). */
    dueDerivation: dueDerivation(),
    status: text('status').notNull(),
    firedAt: instant('fired_at'),
  },
  (t) => [
    casePartKey(t),
    index('timers_pending_due_idx').on(t.dueAt).where(sql`${t.status} = 'pending'`),
    // A case's pending timers: the ones due with a fired timer, and those a command cancels (by task or send
    // id, always within its own case, so no index by task is needed).
    index('timers_pending_case_idx').on(t.caseId).where(sql`${t.status} = 'pending'`),
    // The recompute walk: pending timers by the calendar data their due date was counted on.
    index('timers_pending_due_version_idx')
      .on(dueVersion(t.dueDerivation), t.caseId)
      .where(sql`${t.status} = 'pending' and ${t.dueDerivation} is not null`),
  ],
);

/** The transactional outbox: rows written with the command, relayed to BullMQ after commit. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: uuid('case_id'),
    topic: text('topic').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    sentAt: instant('sent_at'),
  },
  (t) => [index('outbox_unsent_idx').on(t.id).where(sql`${t.sentAt} is null`)],
);

/**
 * Notices to department inboxes, supervisors and applicants. The table is its own outbox: the relay claims
 * undelivered rows in batches through `notifications_undelivered_idx` and sets `delivered_at` once
 * (workers/outbox-relay.ts). People read theirs newest first (`db/notification-queries.ts`): a department's
 * through `notifications_department_inbox_idx`, the supervisors' through `notifications_supervisors_idx`, one
 * case's through `notifications_case_idx`; `audience` is a literal in those queries, so the partial indexes
 * serve their prepared statements too.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    departmentCode: text('department_code'),
    audience: text('audience').notNull(),
    template: text('template').notNull(),
    data: jsonb('data').notNull(),
    createdAt: instant('created_at').notNull(),
    deliveredAt: instant('delivered_at'),
  },
  (t) => [
    casePartKey(t),
    index('notifications_department_inbox_idx').on(t.departmentCode, t.createdAt, t.id).where(sql`${t.audience} = 'department'`),
    index('notifications_supervisors_idx').on(t.createdAt, t.id).where(sql`${t.audience} = 'supervisors'`),
    index('notifications_case_idx').on(t.caseId, t.createdAt, t.id),
    index('notifications_undelivered_idx').on(t.createdAt).where(sql`${t.deliveredAt} is null`),
  ],
);

/**
 * Read receipts: who has read which notification, and when, one row per reader (a department's notice is
 * read by each of its people on their own). Marking a notice read is not a case command: it changes nothing
 * of the case, so it touches no case row and writes no audit event (`db/notification-queries.ts`).
 * `notification_reads_user_idx` finds one reader's receipts.
 */
export const notificationReads = pgTable(
  'notification_reads',
  {
    notificationId: uuid('notification_id').notNull(),
    /** The notification's case: receipts live beside their notices (a case's rows, `distribution.ts`). */
    caseId: uuid('case_id').notNull(),
    userId: text('user_id').notNull(),
    readAt: instant('read_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.userId, t.caseId] }),
    foreignKey({ name: 'notification_reads_notification_fk', columns: [t.notificationId, t.caseId], foreignColumns: [notifications.id, notifications.caseId] }).onDelete('cascade'),
    index('notification_reads_user_idx').on(t.userId, t.notificationId),
  ],
);

/**
 * Incidents (故障): a timer whose firing failed on every attempt. The timer worker writes one when it gives a
 * timer up, together with the timer's move to `failed` (db/timer-incidents.ts); an administrator's retry
 * re-arms the timer and resolves the incident in the case's command (`incident.retry`, audited), and a case
 * that closes cancels its failed timers and resolves their incidents in its closing command (by `system`: no
 * retry could clear them once the case is closed). Resolved incidents stay as the record; a timer has at most
 * one unresolved incident.
 */
export const timerIncidents = pgTable(
  'timer_incidents',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    timerId: uuid('timer_id').notNull(),
    /** The last failure's error, as the worker saw it. */
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    firstFailedAt: instant('first_failed_at').notNull(),
    lastFailedAt: instant('last_failed_at').notNull(),
    resolvedAt: instant('resolved_at'),
    resolvedBy: text('resolved_by'),
    /** How it was resolved (`IncidentResolution`): `retried`, or `case-closed`; null while open. */
    resolution: text('resolution'),
  },
  (t) => [casePartKey(t), uniqueIndex('timer_incidents_unresolved_idx').on(t.caseId, t.timerId).where(sql`${t.resolvedAt} is null`)],
);
