import { describe, expect, it } from 'vitest';
import { timelineText, type TaskTitles, type TimelineEntry } from '../../../web/src/lib/timeline-text.js';
import casePage from '../../../web/src/pages/case/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', casePage);
const en = pageWording('en', casePage);

const TITLES: Record<string, string> = { 'review.fire': '消防设计审查 Fire protection review', acceptance: '受理审查 Acceptance check' };
const tasks: TaskTitles = { byKey: (key) => TITLES[key] ?? key, byId: (id) => (id === 't-fire' ? TITLES['review.fire']! : id) };

const event = (type: string, data: Record<string, unknown>, actor = 'fire.handler', actingFor: string | null = 'fire'): TimelineEntry => ({
  seq: 1,
  type,
  actorId: actor,
  actingFor,
  occurredAt: '2026-11-30T01:00:00.000Z',
  data,
  hash: null,
  outcomeWithheld: false,
});

describe('the timeline in words', () => {
  it('says who did what to which step', () => {
    const approved = event('task.approved', { task: 'review.fire', taskId: 't-fire', outcome: 'approve' });
    expect(timelineText(approved, tasks, en)).toBe('fire.handler (fire) approved “消防设计审查 Fire protection review”');
    expect(timelineText(approved, tasks, zh)).toBe('fire.handler（fire）通过「消防设计审查 Fire protection review」');
    expect(timelineText(event('case.started', { materials: ['申请书'], state: 'acceptance' }, 'window.clerk', 'window'), tasks, en)).toBe(
      'window.clerk (window) accepted the application with 1 material',
    );
    expect(timelineText(event('task.returned', { task: 'acceptance' }, 'window.clerk', 'window'), tasks, zh)).toBe('window.clerk（window）退回「受理审查 Acceptance check」要求补正');
  });

  it('a return to the applicant names what it asked for (一次性告知)', () => {
    const asked = event('task.returned', { task: 'acceptance', supplementRequest: { id: 'r1', materials: ['申请表', '施工合同'] } }, 'window.clerk', 'window');
    expect(timelineText(asked, tasks, zh)).toBe('window.clerk（window）退回「受理审查 Acceptance check」，一次性告知申请人补正：申请表、施工合同');
    expect(timelineText(asked, tasks, en)).toBe('window.clerk (window) returned “受理审查 Acceptance check” to the applicant, asking at once for: 申请表, 施工合同');
  });

  it('a transfer (转办) names the person it went to, or the department', () => {
    const toPerson = event('task.transferred', { task: 'review.fire', from: { departmentCode: 'fire', assigneeId: 'fire.handler' }, to: { departmentCode: 'fire', assigneeId: 'fire.lead' }, reason: '出差' });
    expect(timelineText(toPerson, tasks, zh)).toBe('fire.handler（fire）将「消防设计审查 Fire protection review」转办给 fire.lead，理由：出差');
    const toDepartment = event('task.transferred', { task: 'review.fire', to: { departmentCode: 'ecology', assigneeId: null }, reason: 'Wrong office' }, 'housing.lead', 'housing');
    expect(timelineText(toDepartment, tasks, en)).toBe('housing.lead (housing) transferred “消防设计审查 Fire protection review” to ecology, because: Wrong office');
  });

  it('a copy (抄送) names its recipients; its read and a comment (批注) say who, not what', () => {
    const copied = event('case.copied', { copyIds: ['c1', 'c2'], recipients: [{ departmentCode: 'tax' }, { userId: 'market.handler' }], note: '请知悉' });
    expect(timelineText(copied, tasks, zh)).toBe('fire.handler（fire）将办件抄送给 tax、market.handler');
    expect(timelineText(copied, tasks, en)).toBe('fire.handler (fire) copied the case to tax, market.handler');
    expect(timelineText(event('copy.read', { copyId: 'c1', sentBy: 'fire.handler' }, 'tax.handler', 'tax'), tasks, zh)).toBe('tax.handler（tax）已阅抄送');
    expect(timelineText(event('case.commented', { commentId: 'm1', visibility: 'internal' }), tasks, en)).toBe('fire.handler (fire) commented on the case');
  });

  it('a download of a material (材料下载) names the material and its version', () => {
    const read = event('material.read', { materialId: 'm1', name: '施工图设计文件 Construction drawings', version: 2 });
    expect(timelineText(read, tasks, zh)).toBe('fire.handler（fire）下载材料「施工图设计文件 Construction drawings」第 2 版');
    expect(timelineText(read, tasks, en)).toBe('fire.handler (fire) downloaded “施工图设计文件 Construction drawings”, version 2');
  });

  it('a delegation (委派) names the delegate and the holder; its return does not tell the outcome proposed', () => {
    const delegated = event('task.delegated', { task: 'review.fire', from: 'fire.handler', to: 'fire.handler2', note: '请起草意见' });
    expect(timelineText(delegated, tasks, zh)).toBe('fire.handler（fire）将「消防设计审查 Fire protection review」委派给 fire.handler2，理由：请起草意见');
    const resolved = event('task.delegation-resolved', { task: 'review.fire', delegate: 'fire.handler2', holder: 'fire.handler' }, 'fire.handler2');
    expect(timelineText(resolved, tasks, en)).toBe('fire.handler2 (fire) drafted the opinion on “消防设计审查 Fire protection review” and returned it to fire.handler to confirm');
    const recalled = event('task.delegation-recalled', { task: 'review.fire', delegate: 'fire.handler2', holder: 'fire.handler' });
    expect(timelineText(recalled, tasks, zh)).toBe('fire.handler（fire）收回委派给 fire.handler2 的「消防设计审查 Fire protection review」');
  });

  it('an outcome withheld from the reader says only that the step was completed', () => {
    const withheld = { ...event('task.completed', { task: 'review.fire', taskId: 't-fire' }), outcomeWithheld: true };
    expect(timelineText(withheld, tasks, en)).toBe('fire.handler (fire) completed “消防设计审查 Fire protection review” (its outcome is disclosed with the joint decision)');
  });

  it('an extension says which clock, by how much, to when, why and on what legal basis', () => {
    const e = event('clock.extended', { clock: 'legal', workingDays: 10, dueDate: '2027-01-05', reason: '联合踏勘', legalBasis: '第四十二条第二款' }, 'housing.lead', 'housing');
    expect(timelineText(e, tasks, en)).toBe('housing.lead (housing) extended the legal limit by 10 working days, to 2027-01-05. Reason: 联合踏勘; legal basis: 第四十二条第二款');
    expect(timelineText(e, tasks, zh)).toBe('housing.lead（housing）将法定时限延长 10 个工作日，至 2027-01-05。理由：联合踏勘；依据：第四十二条第二款');
  });

  it('a lead releasing another’s claim says whose; a special procedure says which; a timer is the system’s', () => {
    expect(timelineText(event('task.released', { task: 'review.fire', releasedClaimOf: 'fire.handler' }, 'fire.lead'), tasks, en)).toBe(
      'fire.lead (fire) released the claim of fire.handler on “消防设计审查 Fire protection review”',
    );
    expect(timelineText(event('task.released', { task: 'review.fire', releasedClaimOf: 'fire.handler' }), tasks, en)).toBe('fire.handler (fire) released “消防设计审查 Fire protection review”');
    expect(timelineText(event('special-procedure.started', { kind: 'expert-review', notice: '专家评审十个工作日' }, 'ecology.handler', 'ecology'), tasks, zh)).toBe(
      'ecology.handler（ecology）启动特别程序（专家评审），计时暂停：专家评审十个工作日',
    );
    expect(timelineText(event('deadline.elapsed', { taskId: 't-fire', kind: 'task.deadline' }, 'system', null), tasks, en)).toBe(
      'The time limit of “消防设计审查 Fire protection review” passed',
    );
    expect(timelineText(event('warning.reached', { clock: 'task:review.fire', colour: 'yellow', rungs: ['yellow'] }, 'system', null), tasks, zh)).toBe(
      '环节时限：消防设计审查 Fire protection review：预警',
    );
  });

  it('a withdrawal, a change of a joint review’s members and its closing say who, what and why', () => {
    expect(timelineText(event('task.withdrawn', { taskId: 't-fire', task: 'review.fire', outcome: 'approve', reason: '漏看图纸' }), tasks, en)).toBe(
      'fire.handler (fire) withdrew the decision on “消防设计审查 Fire protection review”, because: 漏看图纸',
    );
    expect(timelineText(event('case.withdrawn', { reason: '申请人书面申请撤回' }, 'window.clerk', 'window'), tasks, zh)).toBe('window.clerk（window）办理撤件，理由：申请人书面申请撤回');
    const added = event('review.member-added', { review: 'jointReview', department: 'water', reason: '接入市政供水' }, 'housing.lead', 'housing');
    expect(timelineText(added, tasks, zh)).toBe('housing.lead（housing）将 water 增加为联合审查部门，理由：接入市政供水');
    expect(timelineText(added, tasks, en)).toBe('housing.lead (housing) added water to the review “Joint review”, because: 接入市政供水');
    expect(timelineText(event('review.member-removed', { review: 'jointReview', department: 'water', reason: '不接入' }, 'housing.lead', 'housing'), tasks, zh)).toBe(
      'housing.lead（housing）将 water 移出联合审查，理由：不接入',
    );
    expect(timelineText(event('review.closed', { review: 'jointReview', reason: '环评未通过' }, 'housing.lead', 'housing'), tasks, en)).toBe(
      'housing.lead (housing) closed the review “Joint review”, because: 环评未通过',
    );
  });

  it('a suspension (中止) and a termination (终止) say why and on what legal basis; a resumption (恢复) why', () => {
    const ground = { reason: '诉讼未决', legalBasis: '《某省行政审批条例》第二十条', status: 'suspended' };
    expect(timelineText(event('case.suspended', ground, 'housing.lead', 'housing'), tasks, zh)).toBe('housing.lead（housing）中止办理，理由：诉讼未决；依据：《某省行政审批条例》第二十条');
    expect(timelineText(event('case.resumed', { reason: '诉讼已审结' }, 'supervisor', 'supervision'), tasks, en)).toBe('supervisor (supervision) resumed the case, because: 诉讼已审结');
    expect(timelineText(event('case.terminated', { ...ground, status: 'terminated' }, 'housing.lead', 'housing'), tasks, en)).toBe(
      'housing.lead (housing) terminated the case without a decision, because: 诉讼未决 (basis: 《某省行政审批条例》第二十条)',
    );
  });

  it('a migration (流程版本迁移) says from which version of the process to which', () => {
    const migrated = event('case.migrated', { definitionKey: 'road-occupation', fromVersion: 1, toVersion: 2 }, 'designer', 'city');
    expect(timelineText(migrated, tasks, en)).toBe('designer (city) moved the case from version 1 to version 2 of its process');
    expect(timelineText(migrated, tasks, zh)).toBe('designer（city）将办件从流程第 1 版迁移至第 2 版');
  });

  it('an event type without a message is said as it is, never dropped', () => {
    expect(timelineText(event('something.new', {}), tasks, en)).toBe('fire.handler (fire): something.new');
  });

  it('the case page says everything in both languages: the same message keys in Chinese and English', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(casePage['zh-CN']).sort()).toEqual(keys(casePage.en).sort());
    expect(keys(casePage.en).filter((k) => k.startsWith('case.timeline.') && k.includes('_')).length).toBeGreaterThan(20);
  });
});
