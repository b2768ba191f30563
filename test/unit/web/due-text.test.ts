import { describe, expect, it } from 'vitest';
import { dueText } from '../../../web/src/lib/wording.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN');

describe('a due as people read it', () => {
  it('is the day the API counted, when it says', () => {
    expect(dueText(zh, '2026-12-04', '2026-12-04T16:00:00.000Z')).toBe(zh.day('2026-12-04'));
  });

  it('is the day a Beijing midnight ends, not "the next day 00:00" (a 督办 due by 4 December)', () => {
    expect(dueText(zh, null, '2026-12-04T16:00:00.000Z')).toBe(zh.day('2026-12-04'));
    expect(dueText(zh, null, '2026-12-04T16:00:00.000Z')).not.toContain('12/05');
    expect(dueText(zh, null, '2026-12-31T16:00:00.000Z')).toBe(zh.day('2026-12-31'));
  });

  it('is the instant, to the minute, when it is no midnight', () => {
    expect(dueText(zh, null, '2026-12-04T09:30:00.000Z')).toBe(zh.instant('2026-12-04T09:30:00.000Z'));
  });
});
