import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { DEFAULT_COUNTING_RULE } from '../../../engine/time/counting-rule.js';
import { explainDueDate } from '../../../engine/time/due-date-explanation.js';
import { dueDateSentences, explainedDays, instantOnCalendar, type DueDateExplanation } from '../../../web/src/lib/due-date-sentences.js';
import type { Wording } from '../../../web/src/lib/wording.js';
import calendarMessages from '../../../web/src/pages/calendars/messages.js';
import { beijing, chinaWorkingCalendar as cn } from '../support/calendar.js';

/** The page's wording with its real messages in a real vue-i18n, dates written plainly. */
function wording(locale: 'zh-CN' | 'en'): Wording {
  const i18n = createI18n({ legacy: false, locale, messages: calendarMessages });
  const { t, te } = i18n.global;
  return {
    t: (key, named = {}, plural) => (plural === undefined ? t(key, named) : t(key, named, plural)),
    te: (key) => te(key),
    day: (date) => date,
    instant: (iso) => `[${iso}]`,
  };
}

/** What the API answers for a count on the national calendar (the engine's explanation, as JSON). */
const answer = (start: string, workingDays: number): DueDateExplanation =>
  JSON.parse(JSON.stringify(explainDueDate(cn, beijing(start), workingDays, DEFAULT_COUNTING_RULE))) as DueDateExplanation;

describe('the due-date explainer in sentences', () => {
  it('says the due date, the count, National Day by name and the make-up day, in Chinese', () => {
    const said = dueDateSentences(answer('2026-09-28T10:00', 5), wording('zh-CN'));
    expect(said).toEqual({
      due: '到期日：2026-10-10（当日 24 时止）',
      count: '自 [2026-09-28T02:00:00.000Z] 起 5 个工作日：收件日为 2026-09-28，自其后第一个工作日起算。',
      skipped: '跳过：国庆节（2026-10-01 至 2026-10-07，共 7 天）。',
      makeUp: '计入的调休上班日：2026-10-10。',
      provisional: null,
    });
  });

  it('says why a receipt after the cut-off counts from the next day, and counts weekends, in English', () => {
    const said = dueDateSentences(answer('2026-09-28T17:30', 5), wording('en'));
    expect(said.count).toBe(
      '5 working days from [2026-09-28T09:30:00.000Z]: arriving at or after 17:00, or on a day off, it counts as received on 2026-09-29, and is counted from the next working day.',
    );
    expect(said.skipped).toBe('Skipped: National Day (2026-10-01 – 2026-10-07, 7 days); 1 weekend day.');
    expect(said.due).toBe('Due on 2026-10-12 (at the end of that day)');
  });

  it('names two holidays apart, and says nothing was skipped when nothing was', () => {
    expect(dueDateSentences(answer('2026-09-21T10:00', 12), wording('en')).skipped).toBe(
      'Skipped: Mid-Autumn Festival (2026-09-25 – 2026-09-27, 3 days); National Day (2026-10-01 – 2026-10-07, 7 days); 1 weekend day.',
    );
    const plain = dueDateSentences(answer('2026-12-01T10:00', 1), wording('en'));
    expect([plain.skipped, plain.makeUp, plain.count]).toEqual([
      'Skipped: no day off.',
      null,
      '1 working day from [2026-12-01T02:00:00.000Z]: received on 2026-12-01, counted from the next working day.',
    ]);
  });

  it('marks what is past the horizon: the estimated New Year’s Day, and why the date is provisional', () => {
    const zh = dueDateSentences(answer('2026-12-28T10:00', 5), wording('zh-CN'));
    expect(zh.skipped).toBe('跳过：元旦（2027-01-01，共 1 天）（按法定节假日估算）；周末 2 天。');
    expect(zh.provisional).toContain('暂定：2026-12-31 之后尚无官方放假安排');
    expect(dueDateSentences(answer('2026-12-28T10:00', 5), wording('en')).skipped).toBe(
      "Skipped: New Year's Day (2027-01-01, 1 day) (estimated from the law); 2 weekend days.",
    );
  });

  it('calls a holiday the law does not name a holiday', () => {
    expect(dueDateSentences(answer('2024-09-30T10:00', 3), wording('zh-CN')).skipped).toBe('跳过：节假日（2024-10-01 至 2024-10-07，共 7 天）。');
  });
});

describe('the explainer’s days', () => {
  it('lists every day in order: a late arrival, the receipt, the days counted (make-up days marked) and skipped', () => {
    const days = explainedDays(answer('2026-09-28T17:30', 5));
    expect(days.map((d) => [d.date, d.kind, d.n])).toEqual([
      ['2026-09-28', 'arrivedLate', undefined],
      ['2026-09-29', 'receipt', undefined],
      ['2026-09-30', 'counted', 1],
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday', undefined]),
      ['2026-10-08', 'counted', 2],
      ['2026-10-09', 'counted', 3],
      ['2026-10-10', 'makeUp', 4],
      ['2026-10-11', 'weekend', undefined],
      ['2026-10-12', 'counted', 5],
    ]);
  });

  it('starts with the weekend when the start falls on one', () => {
    expect(explainedDays(answer('2026-11-28T10:00', 1)).map((d) => d.kind)).toEqual(['weekend', 'weekend', 'receipt', 'counted']);
  });

  it('writes the start with the calendar’s offset', () => {
    expect(instantOnCalendar('2026-09-28T10:00', 480)).toBe('2026-09-28T10:00+08:00');
    expect(instantOnCalendar('2026-09-28T10:00', -330)).toBe('2026-09-28T10:00-05:30');
    expect(instantOnCalendar('2026-09-28T10:00', 0)).toBe('2026-09-28T10:00+00:00');
  });
});

describe('the calendar page’s messages', () => {
  it('have the same keys in both languages', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(calendarMessages.en).sort()).toEqual(keys(calendarMessages['zh-CN']).sort());
  });
});
