import { describe, expect, it } from 'vitest';
import { clockExplanation, clockName, countedFromLaterDay, type ClockStatus } from '../../../web/src/lib/clock-explanation.js';
import casePage from '../../../web/src/pages/case/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', casePage);
const en = pageWording('en', casePage);

const derivation = {
  calendarCode: 'cn',
  calendarVersion: 'sha256:3221d058',
  start: '2026-11-30T01:00:00.000Z', // Monday 09:00 in Beijing
  workingDays: 25,
  rule: { cutOffLocalTime: '17:00' },
  receivedOn: '2026-11-30',
  dueDate: '2027-01-05',
  provisional: false,
  horizon: '2026-12-31',
  utcOffsetMinutes: 480,
  budgetWorkingDays: 15,
  extensionWorkingDays: 10,
  pausedWorkingDays: 0,
};

const extended: ClockStatus = {
  id: 'legal',
  state: 'running',
  budget: 15,
  extensionWorkingDays: 10,
  consumed: 0,
  remaining: 25,
  due: { due: '2027-01-05T16:00:00.000Z', derivation },
  provisional: false,
  pauses: [],
  extensions: [{ workingDays: 10, approver: 'housing.lead', reason: '需联合踏勘 A joint site survey', legalBasis: '《行政许可法》第四十二条第二款', at: '2026-12-02T02:30:00.000Z' }],
};

describe("a clock's due date explained in words", () => {
  it('says when it is due and why: the budget from its start on its calendar, then the extension with its reason and legal basis', () => {
    expect(clockExplanation(extended, en)).toBe(
      'Due on 2027-01-05 because: 15 working days from 2026-11-30 09:00 on calendar cn; ' +
        'extended by 10 working days on 2026-12-02 10:30 (reason: 需联合踏勘 A joint site survey; legal basis: 《行政许可法》第四十二条第二款).',
    );
    expect(clockExplanation(extended, zh)).toBe(
      '2027-01-05 届满，因为：自 2026-11-30 09:00 起，按工作日历 cn 计 15 个工作日；2026-12-02 10:30 延长 10 个工作日（理由：需联合踏勘 A joint site survey；依据：《行政许可法》第四十二条第二款）。',
    );
  });

  it('lists each pause with the working days it did not count, and says a receipt after the cut-off counts from the next working day', () => {
    const clock: ClockStatus = {
      ...extended,
      id: 'committed',
      extensionWorkingDays: 0,
      extensions: [],
      due: {
        due: '2026-12-18T16:00:00.000Z',
        derivation: { ...derivation, start: '2026-11-27T10:05:00.000Z', receivedOn: '2026-11-30', dueDate: '2026-12-18', budgetWorkingDays: 10, pausedWorkingDays: 3 },
      },
      pauses: [
        { from: '2026-12-01T02:00:00.000Z', until: '2026-12-04T02:00:00.000Z', reason: { kind: 'supplement', text: '补正' }, workingDaysNotCounted: 3 },
        { from: '2026-12-07T02:00:00.000Z', until: '2026-12-07T06:00:00.000Z', reason: { kind: 'expert-review', text: '专家评审' }, workingDaysNotCounted: 1 },
      ],
    };
    expect(clockExplanation(clock, en)).toBe(
      'Due on 2026-12-18 because: 10 working days from 2026-11-27 18:05 on calendar cn; ' +
        'received at or after 17:00 or on a day off, so counted as received on 2026-11-30, day 1 the working day after it; ' +
        'paused 3 working days (supplement, 2026-12-01 10:00 to 2026-12-04 10:00); paused 1 working day (expert review, 2026-12-07 10:00 to 2026-12-07 14:00).',
    );
    expect(clockExplanation(clock, zh)).toContain('17:00 及以后或非工作日收件，视为 2026-11-30 收件');
    expect(clockExplanation(clock, zh)).toContain('因补正暂停 3 个工作日（2026-12-01 10:00 至 2026-12-04 10:00）');
  });

  it('a paused clock has no due date: it says what is left and since when it is paused', () => {
    const paused: ClockStatus = {
      ...extended,
      state: 'paused',
      extensionWorkingDays: 0,
      extensions: [],
      remaining: 12,
      consumed: 3,
      due: null,
      pauses: [{ from: '2026-12-03T01:00:00.000Z', until: null, reason: { kind: 'expert-review', text: '专家评审' }, workingDaysNotCounted: 0 }],
    };
    expect(clockExplanation(paused, en)).toBe('Paused, not counting: 12 working days left because: a limit of 15 working days; paused since 2026-12-03 09:00 (expert review).');
    expect(clockExplanation(paused, zh)).toBe('暂停计时中，尚余 12 个工作日，因为：时限为 15 个工作日；自 2026-12-03 09:00 起因专家评审暂停。');
  });

  it('an expired clock says it is overdue; a stopped one how long it took; a provisional date says it may move', () => {
    expect(clockExplanation({ ...extended, state: 'expired' }, en)).toMatch(/^Expired at the end of 2027-01-05 \(overdue\) because: /);
    expect(clockExplanation({ ...extended, state: 'stopped', consumed: 1 }, en)).toMatch(/^Stopped after 1 working day \(it was due on 2027-01-05\) because: /);
    const provisional = { ...extended, due: { ...extended.due!, derivation: { ...derivation, provisional: true } } };
    expect(clockExplanation(provisional, en)).toMatch(/; past the calendar's official data \(to 2026-12-31\) public holidays are estimated: the date may still move\.$/);
    expect(clockExplanation(provisional, zh)).toMatch(/；超出日历已公布范围（至 2026-12-31）的法定节假日为估算，日期可能变动。$/);
  });

  it('tells a receipt counted from a later day only when the offset was kept', () => {
    expect(countedFromLaterDay({ start: '2026-11-30T01:00:00.000Z', receivedOn: '2026-11-30', utcOffsetMinutes: 480 })).toBe(false);
    expect(countedFromLaterDay({ start: '2026-11-30T09:30:00.000Z', receivedOn: '2026-12-01', utcOffsetMinutes: 480 })).toBe(true);
    expect(countedFromLaterDay({ start: '2026-11-30T09:30:00.000Z', receivedOn: '2026-12-01' })).toBe(false);
  });

  it('names the clocks: the legal and committed limits, a task’s by its title, a supervision notice’s', () => {
    const title = (key: string) => (key === 'review.fire' ? '消防设计审查 Fire protection review' : key);
    expect(['legal', 'committed', 'task:review.fire', 'notice:1f0c', 'stage'].map((id) => clockName(id, title, zh))).toEqual([
      '法定时限',
      '承诺时限',
      '环节时限：消防设计审查 Fire protection review',
      '督办答复时限',
      'stage',
    ]);
    expect(clockName('task:review.fire', title, en)).toBe('time limit of “消防设计审查 Fire protection review”');
  });
});
