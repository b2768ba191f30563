import type { Actor, Role } from './actor.js';
import { PermissionDeniedError } from '../errors.js';

/**
 * The permission matrix: which roles may perform each operation at all. It is the one place roles are
 * decided; `docs/permissions.md` is its readable form (a test keeps the two equal). Department scoping
 * comes on top: reads are filtered in SQL by the department's participation in the case, and task
 * commands by the task's department and kind (`authorization-policy.ts`).
 */
export const OPERATIONS = [
  'profile.read',
  'catalog.read',
  'catalog.design',
  'catalog.publish',
  'definition.migrate',
  'calendar.read',
  'calendar.import',
  'case.start',
  'case.read',
  'case.supplement',
  'case.audit.verify',
  'case.personal-data.read',
  'case.material.read',
  'material.upload',
  'case.export',
  'task.read',
  'task.claim',
  'task.release',
  'task.complete',
  'task.urge',
  'task.withdraw',
  'task.transfer',
  'task.delegate',
  'task.delegation.resolve',
  'task.delegation.recall',
  'task.take-over',
  'substitution.manage',
  'case.withdraw',
  'review.members.change',
  'review.close',
  'countersign.signer.add',
  'countersign.signer.remove',
  'clock.extend',
  'case.special-procedure',
  'case.suspend',
  'case.resume',
  'case.terminate',
  'case.copy',
  'case.copy.read',
  'case.comment',
  'api-key.manage',
  'webhook.manage',
  'security-log.read',
  'incident.read',
  'incident.retry',
  'timer.reconcile',
  'queue-dashboard.open',
  'notification.read',
  'supervision-notice.issue',
  'supervision-notice.respond',
  'supervision-notice.close',
  'supervision-notice.read',
  'supervision.read',
  'case.query-code.issue',
  'rating.fix.read',
  'rating.fix.answer',
  'licence.revoke',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const PERMISSIONS: Readonly<Record<Operation, readonly Role[]>> = {
  // Who I am and for which department: everyone signed in (the workspace shows it on every page).
  'profile.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin', 'department_system'],
  'catalog.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin', 'department_system'],
  // Drafting and publishing service items and definitions (事项清单, 流程): designers, who act on no case.
  'catalog.design': ['designer'],
  'catalog.publish': ['designer'],
  // Moving running cases onto another version of their definition (流程版本迁移): the designers who published it. The
  // command changes cases, but only as the mapping says: no task is completed, no limit moves (migrate-case.ts).
  'definition.migrate': ['designer'],
  // Working calendars and the due-date explainer: everyone who deals with a deadline asks.
  'calendar.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin', 'department_system'],
  // A year of the State Council's holiday arrangement moves every deadline counted on it: administrators only.
  'calendar.import': ['admin'],
  'case.start': ['intake_clerk', 'department_system'],
  'case.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'department_system'],
  'case.supplement': ['intake_clerk', 'handler', 'lead'],
  'case.audit.verify': ['lead', 'supervisor', 'admin'],
  // The intake window and the lead department see personal data in the case itself; a supervisor asks,
  // with a reason, and the read is audited.
  'case.personal-data.read': ['supervisor'],
  // A material's file (材料下载) for whoever reads the case, as far as its definition shows the material to their
  // department (material-visibility.ts); every download is audited.
  'case.material.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'department_system'],
  // Uploading a file to attach at intake or to a supplement: whoever starts cases or submits supplements.
  'material.upload': ['intake_clerk', 'handler', 'lead', 'department_system'],
  'case.export': ['supervisor'],
  'task.read': ['intake_clerk', 'handler', 'lead', 'department_system'],
  'task.claim': ['intake_clerk', 'handler', 'lead', 'department_system'],
  // Whoever may claim may give their own claim back; only a lead releases another's (authorization-policy.ts).
  'task.release': ['intake_clerk', 'handler', 'lead', 'department_system'],
  'task.complete': ['intake_clerk', 'handler', 'lead', 'department_system'],
  // 催办: a supervisor on any case, a lead on the cases their department leads.
  'task.urge': ['lead', 'supervisor'],
  // 撤回: a person takes back their own completion (authorization-policy.ts: the task's department and kind).
  'task.withdraw': ['intake_clerk', 'handler', 'lead'],
  // 转办: a person hands on their task, or a lead their department's (or, leading the case, to another department);
  // a machine client does not (authorization-policy.ts: authorizeTransfer).
  'task.transfer': ['intake_clerk', 'handler', 'lead'],
  // 委派 is between people: the holder delegates and takes it back, the delegate returns it with a proposal
  // (delegate-task.ts and its siblings: the task's department and kind, who holds it); not a department system.
  'task.delegate': ['intake_clerk', 'handler', 'lead'],
  'task.delegation.resolve': ['intake_clerk', 'handler', 'lead'],
  'task.delegation.recall': ['intake_clerk', 'handler', 'lead'],
  // 代理: a person who handles tasks names a substitute for an absence; the substitute takes over (接办) what the absent
  // person holds (take-over-task.ts: the window, the task's department and kind). People only: a key is never away.
  'task.take-over': ['intake_clerk', 'handler', 'lead'],
  'substitution.manage': ['intake_clerk', 'handler', 'lead'],
  // 撤件: the applicant withdraws through the window that took the application in.
  'case.withdraw': ['intake_clerk'],
  // The lead department (牵头部门) decides who joins its joint review, and closes it after a rejection.
  'review.members.change': ['handler', 'lead'],
  'review.close': ['lead'],
  // 加签: a person signing adds one (authorization-policy.ts: their own task); 减签: the lead of the lead department.
  'countersign.signer.add': ['handler', 'lead'],
  'countersign.signer.remove': ['lead'],
  // 延期 is approved by the head of the organ (art. 42): the lead of the case's lead department records it.
  'clock.extend': ['lead'],
  // A hearing, expert review or test (art. 45) is run by the departments handling the case.
  'case.special-procedure': ['handler', 'lead'],
  // 中止 and 恢复: the lead of the case's lead department, or a supervisor on any case (authorization-policy.ts);
  // 终止 ends the case for good: the lead department's lead alone.
  'case.suspend': ['lead', 'supervisor'],
  'case.resume': ['lead', 'supervisor'],
  'case.terminate': ['lead'],
  // 抄送: a person of a department taking part in the case (or a supervisor) informs others; 已阅: a person a copy is
  // addressed to (by name or through their department) marks it read. A read receipt is a person's: no machine client.
  'case.copy': ['intake_clerk', 'handler', 'lead', 'supervisor'],
  'case.copy.read': ['intake_clerk', 'handler', 'lead', 'supervisor'],
  // 批注: a person of a department taking part in the case, or a supervisor, says something without acting.
  'case.comment': ['intake_clerk', 'handler', 'lead', 'supervisor'],
  'api-key.manage': ['admin'],
  // Webhook subscriptions and their deliveries (dead letters, replays): administrators for every department; a
  // department system for its own department only (api/routes/webhooks.ts), so that it registers its endpoint,
  // rotates its secret and recovers what it missed without an administrator. Every change is security-logged.
  'webhook.manage': ['admin', 'department_system'],
  'security-log.read': ['supervisor', 'admin'],
  // Timers given up after failing on every attempt: operations' business, not a case decision.
  'incident.read': ['admin'],
  'incident.retry': ['admin'],
  // Rebuilding Redis's timers from PostgreSQL at once rather than at the reconciler's next tick.
  'timer.reconcile': ['admin'],
  // The delivery queues as BullMQ holds them (bull-board): what Redis is doing, for those who run the system.
  'queue-dashboard.open': ['admin'],
  // Each person reads (and marks read) their own department's notices; supervisors theirs too. Not department
  // systems: a read receipt is a person's, and notices will reach those systems by webhook.
  'notification.read': ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin'],
  // 督办: a supervisor issues a notice on any running case and closes it; the people of the department holding it
  // answer (the window's are intake clerks, for a notice on an acceptance); each reads the notices they deal with.
  'supervision-notice.issue': ['supervisor'],
  'supervision-notice.respond': ['intake_clerk', 'handler', 'lead'],
  'supervision-notice.close': ['supervisor'],
  'supervision-notice.read': ['intake_clerk', 'handler', 'lead', 'supervisor'],
  // The lists of what is late or about to be, and the on-time counts (效能监察): supervisors across departments;
  // a lead for their own department, the one answerable for it (db/supervision-queries.ts scopes the rows).
  'supervision.read': ['lead', 'supervisor'],
  'case.query-code.issue': ['intake_clerk'],
  'rating.fix.read': ['handler', 'lead', 'supervisor'],
  'rating.fix.answer': ['lead'],
  // 吊销/注销 of an electronic licence: the lead of the department that issued it, or an administrator
  // (authorization-policy.ts: authorizeRevocation); on the security log. Verifying one is public (no sign-in).
  'licence.revoke': ['lead', 'admin'],
};

/** Whether the actor's roles — and, for a department system, its key's scopes — allow the operation. */
export function can(actor: Actor, operation: Operation): boolean {
  const byRole = actor.roles.some((role) => PERMISSIONS[operation].includes(role));
  return byRole && (actor.scopes === undefined || actor.scopes.includes(operation));
}

export function authorize(actor: Actor, operation: Operation): void {
  if (!can(actor, operation)) {
    const scoped = actor.scopes !== undefined && !actor.scopes.includes(operation);
    throw new PermissionDeniedError(operation, scoped ? 'your API key is not scoped for it' : `it needs one of the roles ${PERMISSIONS[operation].join(', ')}`);
  }
}
