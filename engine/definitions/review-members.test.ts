import { describe, expect, it } from 'vitest';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import { roadOccupation } from '../../workflows/road-occupation.js';
import { reviewMembers } from './review-members.js';

/** Who takes part in a joint review, as the case page and the lead's moves read it from the definition and the case. */
describe('the members of a joint review', () => {
  const base = { outcomes: {}, rejections: [] };

  it('lists every declared member once, required ones first: they are always in, optional ones by the application’s answer', () => {
    const [review] = reviewMembers(constructionPermit, { ...base, answers: { hasUndergroundSpace: true } });
    expect(review?.review).toBe('jointReview');
    expect(review?.members.map((m) => [m.department, m.required, m.joins, m.whenAnswer, m.answer])).toEqual([
      ['ecology', true, true, null, null],
      ['fire', true, true, null, null],
      ['planning', true, true, null, null],
      ['civil-air-defence', false, true, 'hasUndergroundSpace', true],
      ['water', false, false, 'connectsToWaterSupply', null],
    ]);
  });

  it('the lead’s decision overrides the answer, and says why', () => {
    const memberChanges = { jointReview: { water: { joins: true, reason: '项目需新建取水口 A new water intake' }, 'civil-air-defence': { joins: false, reason: '无地下空间 No basement after all' } } };
    const [review] = reviewMembers(constructionPermit, { ...base, answers: { hasUndergroundSpace: true }, memberChanges });
    const byDepartment = Object.fromEntries((review?.members ?? []).map((m) => [m.department, m]));
    expect(byDepartment['water']).toMatchObject({ joins: true, change: { joins: true, reason: '项目需新建取水口 A new water intake' } });
    expect(byDepartment['civil-air-defence']).toMatchObject({ joins: false, answer: true, change: { joins: false } });
    expect(byDepartment['planning']).toMatchObject({ joins: true, change: null });
  });

  it('a definition whose members are all required lists them as taking part; one without a joint review lists none', () => {
    const [review] = reviewMembers(roadOccupation, base);
    expect(review?.members.every((m) => m.required && m.joins)).toBe(true);
    expect(review?.members.map((m) => m.department)).toEqual(['municipal-roads', 'traffic-police']);
    expect(reviewMembers(foodBusinessLicence, base)).toEqual([]);
  });
});
