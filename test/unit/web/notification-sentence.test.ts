import { describe, expect, it } from 'vitest';
import { notificationSentence, type NotificationItem } from '../../../web/src/lib/notification-sentence.js';
import notifications from '../../../web/src/pages/notifications/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', notifications);
const en = pageWording('en', notifications);

const TASK = '7b0c3c1e-6d8a-4b8e-9f0a-3f7e2a1b9c4d';
const notice = (template: string, data: Record<string, unknown>, taskTitle: string | null = null): NotificationItem => ({
  id: '00000000-0000-4000-8000-000000000001',
  caseId: '00000000-0000-4000-8000-000000000002',
  caseNumber: '2026-000123',
  template,
  data,
  taskTitle,
  createdAt: '2026-12-03T02:00:00.000Z',
  read: false,
  readAt: null,
});

describe('a notification in words, from its template and data', () => {
  it.each([
    [notice('task.opened', { taskId: TASK, title: '消防设计审查', dueAt: '2026-12-07T16:00:00.000Z' }, '消防设计审查'), '新的待办「消防设计审查」，2026-12-08 00:00 前办结', 'New task “消防设计审查”, due 2026-12-08 00:00'],
    [notice('task.urged', { taskId: TASK, message: '请尽快出具意见', by: 'housing.lead' }, '消防设计审查'), 'housing.lead 催办「消防设计审查」：请尽快出具意见', 'housing.lead urged “消防设计审查”: 请尽快出具意见'],
    [notice('warning.reached', { clock: 'task:review.fire', rung: 'yellow', colour: 'yellow', taskId: TASK }, '消防设计审查'), '「消防设计审查」进入黄色预警（临期）', '“消防设计审查” turned yellow (at risk)'],
    [notice('case.copied', { copyIds: ['c1'], recipients: [{ departmentCode: 'tax' }], note: '请知悉', by: 'fire.handler' }), 'fire.handler 抄送了一件办件给本部门或您', 'fire.handler copied a case to you or your department'],
    [notice('warning.reached', { clock: 'task:review.fire', rung: 'red+3', colour: 'red', taskId: TASK, for: 'lead' }, '消防设计审查'), '「消防设计审查」进入红色预警（超期）（级别 red+3）', '“消防设计审查” turned red (overdue) (rung red+3)'],
    [notice('warning.reminder', { clock: 'legal', rung: 'yellow', colour: 'yellow', reminder: 2 }), '第 2 次提醒：「法定时限」仍为黄色预警（临期）', 'Reminder 2: “the legal time limit” is still yellow (at risk)'],
    [notice('escalation.overdue', { taskId: TASK, department: 'water' }, '水务审查'), 'water 的「水务审查」已超期', '“水务审查” of water is overdue'],
    [notice('clock.expired', { clock: 'committed', dueAt: '2026-12-07T16:00:00.000Z' }), '承诺时限已届满（2026-12-08 00:00）', 'the committed time limit has run out (2026-12-08 00:00)'],
    [
      notice('supervision-notice.issued', { noticeId: 'n1', message: '请说明超期原因', responseWorkingDays: 1, dueAt: '2026-12-08T16:00:00.000Z', issuedBy: 'supervisor' }),
      '督办：请说明超期原因（请于 1 个工作日内、2026-12-09 00:00 前答复）',
      'Supervision notice: 请说明超期原因 (answer within 1 working day, by 2026-12-09 00:00)',
    ],
    [notice('supervision-notice.answered', { noticeId: 'n1', response: '已完成审查', respondedBy: 'fire.lead' }), 'fire.lead 已答复督办：已完成审查', 'fire.lead answered the supervision notice: 已完成审查'],
    [notice('supervision-notice.closed', { noticeId: 'n1', closedBy: 'supervisor' }), '督办已由 supervisor 办结', 'The supervision notice was closed by supervisor'],
    [notice('task.delegated', { taskId: TASK, title: '消防设计审查', to: 'fire.handler2', by: 'fire.handler' }, '消防设计审查'), 'fire.handler 将「消防设计审查」委派给 fire.handler2 办理', 'fire.handler delegated “消防设计审查” to fire.handler2'],
    [
      notice('task.delegation-resolved', { taskId: TASK, title: '消防设计审查', to: 'fire.handler', by: 'fire.handler2' }, '消防设计审查'),
      'fire.handler2 已拟出「消防设计审查」的办理意见，退回 fire.handler 确认',
      'fire.handler2 drafted the opinion on “消防设计审查” and returned it to fire.handler to confirm',
    ],
    [
      notice('rating.fix-opened', { score: 1, message: '等了太久', dueAt: '2026-12-21T16:00:00.000Z' }),
      '申请人差评待整改：等了太久（2026-12-22 00:00 前答复）',
      'A bad rating to fix: 等了太久 (answer by 2026-12-22 00:00)',
    ],
    [notice('task.delegation-recalled', { taskId: TASK, title: '消防设计审查', from: 'fire.handler2', by: 'fire.handler' }, '消防设计审查'), 'fire.handler 收回了委派给 fire.handler2 的「消防设计审查」', 'fire.handler took back “消防设计审查” from fire.handler2'],
  ])('%#: %s', (n, chinese, english) => {
    expect(notificationSentence(n, zh)).toBe(chinese);
    expect(notificationSentence(n, en)).toBe(english);
  });

  it('a suspension, resumption or termination of the case says why', () => {
    expect(notificationSentence(notice('case.suspended', { reason: '诉讼未决', legalBasis: '第二十条' }), zh)).toBe('办件已中止：诉讼未决');
    expect(notificationSentence(notice('case.resumed', { reason: 'The lawsuit ended' }), en)).toBe('The case was resumed: The lawsuit ended');
    expect(notificationSentence(notice('case.terminated', { reason: '申请人已注销', legalBasis: '第二十一条' }), zh)).toBe('办件已终止：申请人已注销');
  });

  it('names a task by the title the API found, else by what the notice kept, and a template it does not know by its name', () => {
    expect(notificationSentence(notice('task.released', { taskId: TASK, title: '规划审查' }), en)).toBe('“规划审查” was released back to the department');
    expect(notificationSentence(notice('task.transferred', { taskId: TASK, title: '规划审查', to: null }), zh)).toBe('「规划审查」已转办至本部门');
    expect(notificationSentence(notice('licence.revoked', {}), zh)).toBe('通知：licence.revoked');
    expect(notificationSentence(notice('licence.revoked', {}), en)).toBe('Notice: licence.revoked');
  });
});
