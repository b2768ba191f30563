import type { components } from '../api/schema.js';
import { pauseKind, stateName } from '../../../diagram/diagram-labels.js';
import { clockName } from './clock-explanation.js';
import type { Wording } from './wording.js';

export type TimelineEntry = components['schemas']['Case']['timeline'][number];

/** What the timeline needs of the case besides its events: the tasks' titles, by key and by id. */
export interface TaskTitles {
  byKey(key: string): string;
  byId(id: string): string;
}

/**
 * One event of a case's timeline (its audit trail) in words: who did what — "fire.handler (fire) approved
 * 消防设计审查", "housing.lead (housing) extended the legal limit by 10 working days to …: reason (basis)".
 * Each event type has its message (`case.timeline.<type>`, dots as `_`); a type without one is said as it is.
 */
export function timelineText(e: TimelineEntry, tasks: TaskTitles, w: Wording): string {
  const data = e.data;
  const text = (key: string): string => (typeof data[key] === 'string' ? (data[key] as string) : '');
  const count = (key: string): number => (typeof data[key] === 'number' ? (data[key] as number) : 0);
  const task = text('task') ? tasks.byKey(text('task')) : text('taskId') ? tasks.byId(text('taskId')) : '';
  const named: Record<string, unknown> = { actor: actorOf(e, w), task };
  let type = e.type;
  let n: number | undefined;
  switch (e.type) {
    case 'case.started':
      n = Array.isArray(data['materials']) ? data['materials'].length : 0;
      break;
    case 'task.released':
      // A lead may release someone else's claim: say whose.
      if (text('releasedClaimOf') && text('releasedClaimOf') !== e.actorId) {
        type = 'task.released-other';
        named['holder'] = text('releasedClaimOf');
      }
      break;
    case 'task.transferred': {
      // 转办 to a person names them; to another department, the department (the task lands unclaimed there).
      const to = (typeof data['to'] === 'object' && data['to'] !== null ? data['to'] : {}) as Record<string, unknown>;
      if (typeof to['assigneeId'] !== 'string') type = 'task.transferred-department';
      Object.assign(named, { person: to['assigneeId'], department: String(to['departmentCode'] ?? ''), reason: text('reason') });
      break;
    }
    case 'task.taken-over':
      // 接办: the substitute took over the task of the person they stand in for (代理).
      named['person'] = text('substitutedFor');
      break;
    case 'task.delegated':
      // 委派: to whom, and what they are asked (the note).
      Object.assign(named, { person: text('to'), reason: text('note') });
      break;
    case 'task.delegation-resolved':
    case 'task.delegation-recalled':
      Object.assign(named, { delegate: text('delegate'), holder: text('holder') });
      break;
    case 'case.copied': {
      // 抄送: people by their ids, departments by their codes, as the other events name them.
      const recipients = Array.isArray(data['recipients']) ? (data['recipients'] as Record<string, unknown>[]) : [];
      named['recipients'] = recipients.map((r) => String(r['userId'] ?? r['departmentCode'] ?? '')).join(w.t('case.timeline.listSeparator'));
      break;
    }
    case 'task.urged':
      Object.assign(named, { department: text('department'), message: text('message') });
      break;
    case 'case.suspended':
    case 'case.terminated':
      named['reason'] = text('reason');
      named['basis'] = text('legalBasis');
      break;
    case 'task.deemed-approved':
    case 'task.deemed-rejected':
      named['basis'] = text('legalBasis');
      break;
    case 'task.returned': {
      // 补正告知: a return to the applicant names every material it asked for (一次性告知).
      const request = (typeof data['supplementRequest'] === 'object' && data['supplementRequest'] !== null ? data['supplementRequest'] : {}) as Record<string, unknown>;
      if (!Array.isArray(request['materials'])) break;
      type = 'task.returned-supplement';
      named['materials'] = request['materials'].join(w.t('case.timeline.listSeparator'));
      break;
    }
    case 'supplement.submitted':
      named['materials'] = Array.isArray(data['materials']) ? data['materials'].join(w.t('case.timeline.listSeparator')) : '';
      break;
    case 'clock.extended':
      n = count('workingDays');
      Object.assign(named, { clock: clockName(text('clock'), tasks.byKey, w), date: text('dueDate') ? w.day(text('dueDate')) : '—', reason: text('reason'), basis: text('legalBasis') });
      break;
    case 'special-procedure.started':
    case 'special-procedure.ended':
      Object.assign(named, { procedure: pauseKind(text('kind'), w), notice: text('notice') });
      break;
    case 'warning.reached':
      named['clock'] = clockName(text('clock'), tasks.byKey, w);
      named['colour'] = w.te(`case.light.${text('colour')}`) ? w.t(`case.light.${text('colour')}`) : text('colour');
      break;
    case 'supervision-notice.issued':
      n = count('responseWorkingDays');
      Object.assign(named, { department: text('department'), message: text('message'), date: text('dueDate') ? w.day(text('dueDate')) : '—' });
      break;
    case 'supervision-notice.answered':
      named['response'] = text('response');
      break;
    case 'personal-data.read':
    case 'task.withdrawn':
    case 'case.withdrawn':
    case 'case.resumed':
      named['reason'] = text('reason');
      break;
    case 'review.member-added':
    case 'review.member-removed':
    case 'review.closed':
      Object.assign(named, { review: stateName(text('review'), w), department: text('department'), reason: text('reason') });
      break;
    case 'deadline.recomputed':
      named['calendar'] = text('calendar');
      break;
    case 'material.read':
      // 材料下载: which material, which version.
      Object.assign(named, { material: text('name'), version: count('version') });
      break;
    case 'case.migrated':
      // 流程版本迁移: a designer moved the case onto another version of its process.
      Object.assign(named, { from: count('fromVersion'), to: count('toVersion') });
      break;
    case 'countersign.signer-added':
    case 'countersign.signer-removed':
      // 加签 / 减签: a named person, else the department; where an added signer signs, in the reader's words.
      Object.assign(named, { signer: text('person') || text('department'), position: text('position') ? w.t(`case.form.positions.${text('position')}`) : '', reason: text('reason') });
      break;
  }
  const key = `case.timeline.${type.replaceAll('.', '_')}`;
  if (!w.te(key)) return w.t('case.timeline.other', { actor: named['actor'], type: e.type });
  return n === undefined ? w.t(key, named) : w.t(key, { ...named, n }, n);
}

/** Who acted: a person for their department, or the system (a timer). */
function actorOf(e: TimelineEntry, w: Wording): string {
  if (e.actorId === 'system' || e.actingFor === null) return w.t('case.timeline.system');
  return w.t('case.timeline.actor', { user: e.actorId, department: e.actingFor });
}
