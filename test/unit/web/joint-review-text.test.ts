import { describe, expect, it } from 'vitest';
import { modeText } from '../../../diagram/diagram-labels.js';
import {
  latestTaskStatus,
  memberReason,
  signerName,
  signerStanding,
  type CountersignStep,
  type ReviewMember,
  type Signer,
} from '../../../web/src/lib/joint-review-text.js';
import casePage from '../../../web/src/pages/case/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', casePage);
const en = pageWording('en', casePage);

const member = (m: Partial<ReviewMember>): ReviewMember => ({ department: 'water', required: false, joins: false, whenAnswer: null, answer: null, change: null, ...m });
const signer = (s: Partial<Signer>): Signer => ({ task: 'signOff.urban-management.deputy-b', department: 'urban-management', person: null, weight: 1, vote: null, reason: null, withheld: false, ...s });
const NAMES: Record<string, string> = { 'urban-management': '城市管理局 Urban management', 'expert-panel': '评审专家库 Expert panel' };
const name = (code: string) => NAMES[code] ?? code;

describe('why a member department takes part in a joint review, or not', () => {
  it('a required member is required', () => {
    expect(memberReason(member({ department: 'fire', required: true, joins: true }), zh)).toBe('必须参与');
    expect(memberReason(member({ department: 'fire', required: true, joins: true }), en)).toBe('required');
  });

  it('an optional one follows the application’s answer to its question, said as a question and yes, no or not answered', () => {
    const water = member({ whenAnswer: 'connectsToWaterSupply', answer: true, joins: true });
    expect(memberReason(water, en)).toBe('the application answers “Connects to the public water supply?”: yes');
    expect(memberReason(water, zh)).toBe('申请表「是否接入公共供水」答：是');
    expect(memberReason({ ...water, answer: false, joins: false }, en)).toBe('the application answers “Connects to the public water supply?”: no');
    expect(memberReason({ ...water, answer: null, joins: false }, zh)).toBe('申请表「是否接入公共供水」答：未填写');
    // A question the page has no words for is named as the definition names it; any other answer as it is.
    expect(memberReason(member({ whenAnswer: 'floors', answer: 12, joins: true }), en)).toBe('the application answers “floors”: 12');
  });

  it('the lead department’s decision, with its reason, overrides the answer', () => {
    const added = member({ whenAnswer: 'hasUndergroundSpace', answer: false, joins: true, change: { joins: true, reason: '地下车库 An underground car park' } });
    expect(memberReason(added, zh)).toBe('牵头部门决定增加，理由：地下车库 An underground car park');
    expect(memberReason({ ...added, joins: false, change: { joins: false, reason: '无地下空间' } }, en)).toBe('removed by the lead department: 无地下空间');
    expect(memberReason(member({}), en)).toBe('optional');
  });
});

describe('a countersign step in words', () => {
  it('names its mode, and a vote its threshold', () => {
    expect(modeText({ mode: 'any', threshold: null }, zh)).toBe('或签（任一人签署即定）');
    expect(modeText({ mode: 'all', threshold: null }, en)).toBe('all must approve (会签)');
    expect(modeText({ mode: 'sequential', threshold: null }, en)).toBe('one after another, in order (依次)');
    expect(modeText({ mode: 'vote', threshold: { numerator: 2, denominator: 3 } }, zh)).toBe('票签（按票数表决），通过门槛 ≥ 2/3');
    expect(modeText({ mode: 'vote', threshold: { numerator: 2, denominator: 3 } }, en)).toBe('a vote (票签), passes at ≥ 2/3');
  });

  it('names a signer: a person with their department, a department, and a weight only when it is not 1', () => {
    expect(signerName(signer({ person: 'urban-management.deputy-a' }), name, zh)).toBe('urban-management.deputy-a（城市管理局 Urban management）');
    expect(signerName(signer({ person: 'urban-management.deputy-a' }), name, en)).toBe('urban-management.deputy-a (城市管理局 Urban management)');
    expect(signerName(signer({ department: 'expert-panel', weight: 2 }), name, en)).toBe('评审专家库 Expert panel, weight 2');
    expect(signerName(signer({ department: 'expert-panel', weight: 2 }), name, zh)).toBe('评审专家库 Expert panel，权重 2');
  });
});

describe('where a signer stands', () => {
  const open: Pick<CountersignStep, 'outcome'> = { outcome: null };
  const decided: Pick<CountersignStep, 'outcome'> = { outcome: 'approved' };

  it('their vote, or withheld from the reader until the joint decision', () => {
    expect(signerStanding(signer({ vote: 'approve' }), decided, 'completed')).toBe('approve');
    expect(signerStanding(signer({ vote: 'reject', reason: '占用主干道' }), open, 'completed')).toBe('reject');
    expect(signerStanding(signer({ vote: null, withheld: true }), open, 'completed')).toBe('withheld');
  });

  it('without a vote: not yet while the step is open, cancelled when their task was, not needed when the step was decided before their turn', () => {
    expect(signerStanding(signer({}), open, 'open')).toBe('pending');
    expect(signerStanding(signer({}), open, null)).toBe('pending');
    expect(signerStanding(signer({}), decided, 'cancelled')).toBe('cancelled');
    expect(signerStanding(signer({}), { outcome: 'rejected' }, null)).toBe('notNeeded');
  });

  it('reads the status of the current task of a key: the open one (a withdrawn task reopens under the same key), else the last opened', () => {
    const status = latestTaskStatus([
      { key: 'review.fire', status: 'open', openedAt: '2026-11-29T01:00:00.000Z' },
      { key: 'review.fire', status: 'withdrawn', openedAt: '2026-11-30T01:00:00.000Z' },
      { key: 'signOff.a', status: 'completed', openedAt: '2026-11-30T02:00:00.000Z' },
      { key: 'signOff.a', status: 'cancelled', openedAt: '2026-12-01T02:00:00.000Z' },
      { key: 'signOff.a', status: 'withdrawn', openedAt: '2026-11-30T03:00:00.000Z' },
    ]);
    expect(status('review.fire')).toBe('open');
    expect(status('signOff.a')).toBe('cancelled');
    expect(status('signOff.b')).toBeNull();
  });
});
