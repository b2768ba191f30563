import { describe, expect, it } from 'vitest';
import { commentProblem, isBadRating, RATING_TEXT_MAX, scoreChosen } from '../../../web/src/lib/rating-form.js';
import { BAD_RATING_MAX, MAX_RATING_TEXT } from '../../../engine/case-rating.js';

describe('the rating form (好差评), checked as the API checks it', () => {
  it('has the engine’s limits', () => {
    expect([RATING_TEXT_MAX, isBadRating(BAD_RATING_MAX), isBadRating(BAD_RATING_MAX + 1)]).toEqual([MAX_RATING_TEXT, true, false]);
  });

  it('a bad rating needs a reason; a good one may come without; none is over 1,000 characters', () => {
    expect(commentProblem(1, ' ')).toBe('required');
    expect(commentProblem(2, '等太久')).toBeNull();
    expect(commentProblem(5, '')).toBeNull();
    expect(commentProblem(4, 'x'.repeat(1001))).toBe('tooLong');
  });

  it('a score is chosen once it is a whole 1–5', () => {
    expect([0, 1, 5, 6, 2.5].map(scoreChosen)).toEqual([false, true, true, false, false]);
  });
});
