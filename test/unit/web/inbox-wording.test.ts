import { describe, expect, it } from 'vitest';
import { dueExplanationText, endOfBeijingDay, lightOf, workingDaysLeftText } from '../../../web/src/lib/inbox-wording.js';
import inbox from '../../../web/src/pages/inbox/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', inbox);
const en = pageWording('en', inbox);

describe("a task's working days left, as the inbox says them", () => {
  it.each([
    [3, 'running', '剩 3 个工作日', '3 working days left'],
    [1, 'running', '剩 1 个工作日', '1 working day left'],
    [0, 'running', '今日到期', 'Due today'],
    [-2, 'expired', '超期 2 个工作日', '2 working days overdue'],
    [-1, 'expired', '超期 1 个工作日', '1 working day overdue'],
    [0, 'expired', '已超期', 'Overdue'],
    [4, 'paused', '计时暂停，剩 4 个工作日', 'Paused, 4 working days left'],
  ] as const)('%i (%s): “%s” / “%s”', (days, state, chinese, english) => {
    expect(workingDaysLeftText(days, state, zh)).toBe(chinese);
    expect(workingDaysLeftText(days, state, en)).toBe(english);
  });

  it('says nothing for a task without a clock (done, or a case that kept none)', () => {
    expect(workingDaysLeftText(null, null, zh)).toBe('');
  });
});

describe('the light and the due', () => {
  it('reads a warning level as its light; one it does not know as green', () => {
    expect(['green', 'yellow', 'red', 'purple'].map(lightOf)).toEqual(['green', 'yellow', 'red', 'green']);
  });

  it('takes "due by" a day as the instant ending that day in Beijing, across a month and a year', () => {
    expect(endOfBeijingDay('2026-12-10')).toBe('2026-12-11T00:00:00+08:00');
    expect(endOfBeijingDay('2026-11-30')).toBe('2026-12-01T00:00:00+08:00');
    expect(endOfBeijingDay('2026-12-31')).toBe('2027-01-01T00:00:00+08:00');
  });

  it('explains a due date from its derivation, and why a provisional one may move', () => {
    const derivation = { workingDays: 5, receivedOn: '2026-11-30', dueDate: '2026-12-07', horizon: '2026-12-31' };
    expect(dueExplanationText({ date: '2026-12-07', provisional: false, derivation }, en)).toBe(
      'Received 2026-11-30; 5 working days counted from the next working day, the last 2026-12-07.',
    );
    expect(dueExplanationText({ date: '2026-12-07', provisional: false, derivation }, zh)).toBe('2026-11-30 收件，自次一工作日起算 5 个工作日，至 2026-12-07 届满。');
    expect(dueExplanationText({ date: '2027-01-08', provisional: true, derivation: { ...derivation, dueDate: '2027-01-08' } }, zh)).toContain('按法定节假日估算');
    expect(dueExplanationText({ date: null, provisional: false, derivation: null }, en)).toBe('This due date was counted before the count was recorded.');
  });
});
