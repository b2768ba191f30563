import type { components } from '../api/schema.js';
import type { Wording } from './wording.js';

export type NotificationItem = components['schemas']['Notification'];

/**
 * A notification in words, from its template and data (what the engine wrote) and what the API adds of it (its
 * case's number, the title of the task it names): "「消防设计审查」达到黄色预警" / "“Fire protection review” turned
 * yellow". Each template has its message (`notificationsPage.sentence.<template>`, dots and dashes as `_`); one
 * without is said by its name.
 */
export function notificationSentence(n: NotificationItem, w: Wording): string {
  const data = n.data;
  const text = (key: string): string => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const count = (key: string): number => (typeof data[key] === 'number' ? (data[key] as number) : 0);
  const key = `notificationsPage.sentence.${n.template.replace(/[.-]/g, '_')}`;
  if (!w.te(key)) return w.t('notificationsPage.sentence.other', { template: n.template });
  const named: Record<string, unknown> = {
    title: n.taskTitle ?? text('title'),
    due: text('dueAt') ? w.instant(text('dueAt')) : '—',
    message: text('message'),
    by: text('by') || text('issuedBy') || text('respondedBy') || text('closedBy'),
    department: text('department'),
    // 委派: to whom a task was delegated or returned, from whom it was taken back.
    to: text('to'),
    from: text('from'),
    response: text('response'),
    // 中止, 恢复, 终止: why, as the applicant and the departments are told.
    reason: text('reason'),
    clock: clockWords(text('clock'), n.taskTitle, w),
    colour: w.te(`notificationsPage.colour.${text('colour')}`) ? w.t(`notificationsPage.colour.${text('colour')}`) : text('colour'),
    // A rung beyond the colour's first (e.g. `red+3`, three working days overdue) is named too.
    rung: text('rung') && text('rung') !== text('colour') ? w.t('notificationsPage.rung', { rung: text('rung') }) : '',
  };
  if (n.template === 'warning.reminder') return w.t(key, { ...named, n: count('reminder') }, count('reminder'));
  if (n.template === 'supervision-notice.issued') return w.t(key, { ...named, n: count('responseWorkingDays') }, count('responseWorkingDays'));
  return w.t(key, named);
}

/** A clock as people name it: the legal or committed limit, a task's limit by the task's title, a 督办's answer limit. */
function clockWords(id: string, taskTitle: string | null, w: Wording): string {
  if (id === 'legal' || id === 'committed') return w.t(`notificationsPage.clock.${id}`);
  if (id.startsWith('task:')) return taskTitle ?? id.slice('task:'.length);
  if (id.startsWith('notice:')) return w.t('notificationsPage.clock.notice');
  return id;
}
