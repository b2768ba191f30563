import { describe, expect, it } from 'vitest';
import { openedCountersign, resolveSigners, signersToOpen, tally, withVote, type Countersign, type CountersignMode, type OpenCountersignParams, type SignerVote, type Threshold } from './countersign.js';

/** A step of `mode` with one signer per weight (departments d1, d2, …), opened with nobody having signed. */
function step(mode: CountersignMode, weights: readonly number[] = [1, 1, 1], extra: Partial<Pick<OpenCountersignParams, 'threshold' | 'onRejection'>> = {}): Countersign {
  const params: OpenCountersignParams = {
    step: 'sign',
    mode,
    kind: 'countersign',
    title: 'Sign',
    workingDays: 2,
    signers: weights.map((weight, i) => ({ department: `d${i + 1}`, weight })),
    ...extra,
  };
  return openedCountersign(params, resolveSigners(params, {}));
}

/** The step after the signers at these positions (1-based) voted, in this order. */
const after = (s: Countersign, ...cast: readonly [number, SignerVote][]) => cast.reduce((acc, [i, vote]) => withVote(acc, `sign.d${i}`, vote, vote === 'reject' ? 'reasons' : null), s);
const TWO_THIRDS: Threshold = { numerator: 2, denominator: 3 };

describe('tally: the outcome once it is certain', () => {
  it('all (会签): every signer approves; a rejection ends it at once, or once everyone has signed when every reason is heard', () => {
    expect(after(step('all'), [1, 'approve'], [2, 'approve']).outcome).toBeNull();
    expect(after(step('all'), [1, 'approve'], [2, 'approve'], [3, 'approve']).outcome).toBe('approved');
    expect(after(step('all'), [2, 'reject']).outcome).toBe('rejected');
    const finish = step('all', [1, 1, 1], { onRejection: 'finish' });
    expect(after(finish, [2, 'reject'], [1, 'approve']).outcome).toBeNull();
    expect(after(finish, [2, 'reject'], [1, 'approve'], [3, 'approve']).outcome).toBe('rejected');
  });

  it('any (或签): the first to decide decides, either way', () => {
    expect(step('any').outcome).toBeNull();
    expect(after(step('any'), [3, 'approve']).outcome).toBe('approved');
    expect(after(step('any'), [2, 'reject']).outcome).toBe('rejected');
  });

  it('sequential (依次): approved when the last has approved, rejected by any rejection', () => {
    expect(after(step('sequential'), [1, 'approve'], [2, 'approve']).outcome).toBeNull();
    expect(after(step('sequential'), [1, 'approve'], [2, 'approve'], [3, 'approve']).outcome).toBe('approved');
    expect(after(step('sequential'), [1, 'approve'], [2, 'reject']).outcome).toBe('rejected');
  });

  it('vote (票签), five experts and two thirds: four approvals pass, two rejections fail, three of five do not reach it', () => {
    const panel = step('vote', [1, 1, 1, 1, 1], { threshold: TWO_THIRDS });
    expect(after(panel, [1, 'approve'], [2, 'approve'], [3, 'approve']).outcome).toBeNull();
    expect(after(panel, [1, 'approve'], [2, 'approve'], [3, 'approve'], [4, 'approve']).outcome).toBe('approved');
    expect(after(panel, [1, 'approve'], [2, 'approve'], [3, 'approve'], [4, 'reject']).outcome).toBeNull();
    expect(after(panel, [1, 'reject'], [2, 'reject']).outcome).toBe('rejected');
    expect(after(panel, [1, 'approve'], [2, 'approve'], [3, 'approve'], [4, 'reject'], [5, 'reject']).outcome).toBe('rejected');
  });

  it('vote with weights [2,1,1,1,1] and two thirds: 4 of 6 pass exactly; the chair and one more against fail it', () => {
    const weighted = step('vote', [2, 1, 1, 1, 1], { threshold: TWO_THIRDS });
    expect(after(weighted, [1, 'approve'], [2, 'approve']).outcome).toBeNull();
    expect(after(weighted, [1, 'approve'], [2, 'approve'], [3, 'approve']).outcome).toBe('approved');
    expect(after(weighted, [2, 'approve'], [3, 'approve'], [4, 'approve'], [5, 'approve']).outcome).toBe('approved');
    expect(after(weighted, [1, 'reject']).outcome).toBeNull();
    expect(after(weighted, [1, 'reject'], [2, 'reject']).outcome).toBe('rejected');
    expect(after(weighted, [2, 'reject'], [3, 'reject']).outcome).toBeNull();
    expect(after(weighted, [2, 'reject'], [3, 'reject'], [4, 'reject']).outcome).toBe('rejected');
  });

  it('vote without a threshold takes a simple majority of the weight', () => {
    expect(tally({ mode: 'vote', threshold: null, onRejection: 'end', signers: after(step('vote', [1, 1, 1, 1], { threshold: TWO_THIRDS }), [1, 'approve'], [2, 'approve']).signers })).toBe('approved');
    expect(tally({ mode: 'vote', threshold: null, onRejection: 'end', signers: after(step('vote', [1, 1, 1], { threshold: TWO_THIRDS }), [1, 'approve']).signers })).toBeNull();
  });

  it.each(['all', 'any', 'sequential', 'vote'] as const)('%s: a step without signers has nothing to wait for and is approved as it opens', (mode) => {
    expect(step(mode, [], mode === 'vote' ? { threshold: TWO_THIRDS } : {}).outcome).toBe('approved');
  });
});

describe('a step as the case keeps it', () => {
  it('sets its outcome once: a vote after it is counted, never changes it', () => {
    const decided = after(step('any'), [1, 'approve']);
    const late = after(decided, [2, 'reject']);
    expect(late.outcome).toBe('approved');
    expect(late.signers.map((s) => s.vote)).toEqual(['approve', 'reject', null]);
  });

  it('keeps a dissent’s reasons and nothing for an approval', () => {
    expect(after(step('all', [1, 1, 1], { onRejection: 'finish' }), [1, 'approve'], [2, 'reject']).signers.map((s) => s.reason)).toEqual([null, 'reasons', null]);
  });

  it('opens every undecided signer at once, in order (依次) only the first undecided, and nobody once decided', () => {
    expect(signersToOpen(step('all')).map((s) => s.task)).toEqual(['sign.d1', 'sign.d2', 'sign.d3']);
    const inOrder = step('sequential');
    expect(signersToOpen(inOrder).map((s) => s.task)).toEqual(['sign.d1']);
    expect(signersToOpen(after(inOrder, [1, 'approve'])).map((s) => s.task)).toEqual(['sign.d2']);
    expect(signersToOpen(after(inOrder, [1, 'approve'], [2, 'approve'])).map((s) => s.task)).toEqual(['sign.d3']);
    expect(signersToOpen(after(step('any'), [2, 'approve']))).toEqual([]);
  });

  it('takes its signers as declared — a person by user id, a department — or the departments that rejected the named tasks', () => {
    const declared: OpenCountersignParams = {
      step: 'signOff',
      mode: 'any',
      kind: 'decision',
      title: 'Sign-off',
      workingDays: 1,
      signers: [{ department: 'urban', person: 'urban.deputy-a' }, { department: 'urban', weight: 3 }],
    };
    expect(resolveSigners(declared, {})).toEqual([
      { task: 'signOff.urban.deputy-a', department: 'urban', person: 'urban.deputy-a', weight: 1, vote: null, reason: null, open: false },
      { task: 'signOff.urban', department: 'urban', person: null, weight: 3, vote: null, reason: null, open: false },
    ]);
    const dissent = { ...declared, mode: 'all' as const, signers: { dissentersOf: ['review.a', 'review.b', 'review.c'] } };
    const outcomes = { 'review.a': { outcome: 'reject', department: 'a' }, 'review.b': { outcome: 'approve', department: 'b' }, 'review.c': { outcome: 'reject', department: 'c' } };
    expect(resolveSigners(dissent, outcomes).map((s) => s.task)).toEqual(['signOff.a', 'signOff.c']);
  });
});
