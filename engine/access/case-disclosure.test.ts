import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import type { OpinionFacts } from './opinion-visibility.js';
import { discloseCase, type CommentFacts, type StoredCase, type TaskFacts } from './case-disclosure.js';
import { WITHHELD_COMPLETION } from './timeline-visibility.js';
import { materialNeeds } from './material-visibility.js';

const AT = new Date('2026-11-30T01:00:00Z');

/** A construction permit in joint review: fire has rejected with an internal opinion, water is still reviewing. */
function inJointReview(decision: 'pending' | 'made'): StoredCase<TaskFacts & { key: string }, OpinionFacts & { text: string }, CommentFacts & { text: string }> {
  return {
    record: {
      intakeDepartment: 'window',
      leadDepartment: 'housing',
      status: 'running',
      applicant: { name: '张三', idNumber: '110101199003071234' },
    },
    tasks: [
      { id: 'fire-review', key: 'review.fire', kind: 'review', status: 'completed', outcome: 'reject' },
      { id: 'water-review', key: 'review.water', kind: 'review', status: 'open', outcome: null },
      ...(decision === 'made' ? [{ id: 'joint', key: 'decision', kind: 'decision', status: 'completed', outcome: 'reject' }] : []),
    ],
    opinions: [
      { taskId: 'fire-review', departmentCode: 'fire', visibility: 'internal', text: '消防车道宽度不足' },
      ...(decision === 'made' ? [{ taskId: 'joint', departmentCode: 'housing', visibility: 'public' as const, text: '不予许可' }] : []),
    ],
    comments: [
      { departmentCode: 'fire', visibility: 'internal', text: '消防：请牵头部门关注车道' },
      { departmentCode: 'water', visibility: 'public', text: '水务：材料齐全' },
    ],
    timeline: [
      { seq: 1, type: 'case.started', actorId: 'window.clerk', actingFor: 'window', occurredAt: AT, data: {}, hash: 'h1' },
      { seq: 2, type: 'task.rejected', actorId: 'fire.handler', actingFor: 'fire', occurredAt: AT, data: { taskId: 'fire-review', outcome: 'reject' }, hash: 'h2' },
    ],
  };
}

/** Who sees which material of the construction permit. */
const NEEDS = materialNeeds(constructionPermit, { leadDepartment: 'housing', intakeDepartment: 'window' });
const WATER = actor('water', 'handler');
const FIRE = actor('fire', 'handler');

describe('what a viewer reads of a case', () => {
  it('before the joint decision, another member department reads that fire completed its review, not how', () => {
    const seen = discloseCase(WATER, inJointReview('pending'), NEEDS);
    expect(seen.applicant.idNumber).toBe('1101**********1234');
    expect(seen.tasks.map((t) => [t.key, t.outcome])).toEqual([['review.fire', null], ['review.water', null]]);
    expect(seen.opinions).toEqual([]);
    expect(seen.timeline.map((e) => [e.type, e.hash])).toEqual([['case.started', 'h1'], [WITHHELD_COMPLETION, null]]);
  });

  it('comments (批注) are read by the opinion rules: another department’s internal one only once the joint decision is made, a public one by all', () => {
    expect(discloseCase(WATER, inJointReview('pending'), NEEDS).comments.map((c) => c.text)).toEqual(['水务：材料齐全']);
    expect(discloseCase(FIRE, inJointReview('pending'), NEEDS).comments.map((c) => c.text)).toEqual(['消防：请牵头部门关注车道', '水务：材料齐全']);
    expect(discloseCase(actor('housing', 'handler'), inJointReview('pending'), NEEDS).comments).toHaveLength(2);
    expect(discloseCase(actor('supervision', 'supervisor'), inJointReview('pending'), NEEDS).comments).toHaveLength(2);
    expect(discloseCase(WATER, inJointReview('made'), NEEDS).comments).toHaveLength(2);
  });

  it('the department that wrote the opinion reads it, and its outcome, at once', () => {
    const seen = discloseCase(FIRE, inJointReview('pending'), NEEDS);
    expect(seen.tasks[0]).toEqual({ id: 'fire-review', key: 'review.fire', kind: 'review', status: 'completed', outcome: 'reject' });
    expect(seen.opinions.map((o) => o.text)).toEqual(['消防车道宽度不足']);
    expect(seen.timeline.map((e) => e.type)).toEqual(['case.started', 'task.rejected']);
  });

  it('once the joint decision is made, every department of the case reads every outcome and opinion', () => {
    const seen = discloseCase(WATER, inJointReview('made'), NEEDS);
    expect(seen.tasks.map((t) => t.outcome)).toEqual(['reject', null, 'reject']);
    expect(seen.opinions.map((o) => o.text)).toEqual(['消防车道宽度不足', '不予许可']);
    expect(seen.timeline.every((e) => !e.outcomeWithheld)).toBe(true);
  });

  it('the lead department reads the applicant in full', () => {
    expect(discloseCase(actor('housing', 'lead'), inJointReview('pending'), NEEDS).applicant.idNumber).toBe('110101199003071234');
  });
});
