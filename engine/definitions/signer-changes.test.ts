import { describe, expect, it } from 'vitest';
import { opening, openedCountersign, resolveSigners, withVote, type Countersign, type CountersignMode, type OpenCountersignParams } from './countersign.js';
import { signerChangeRefusal, withSignersChanged, type SignerAddition, type SignerChange } from './signer-changes.js';

/** A step `sign` of `mode` with signers d1, d2, d3, opened as the machine opens it (the tasks that open now marked open). */
function step(mode: CountersignMode): Countersign {
  const params: OpenCountersignParams = { step: 'sign', mode, kind: 'countersign', title: 'Sign', workingDays: 2, signers: ['d1', 'd2', 'd3'].map((department) => ({ department })), ...(mode === 'vote' ? { threshold: { numerator: 2, denominator: 3 } } : {}) };
  return opening(openedCountersign(params, resolveSigners(params, {}))).step;
}

const add = (by: string, position: SignerAddition['position'], department = 'guest'): SignerChange => ({ step: 'sign', reason: 'needs a second look', add: { department, position, by: `sign.${by}` } });
const remove = (who: string): SignerChange => ({ step: 'sign', reason: 'on leave', remove: `sign.${who}` });

/** The change applied as the machine applies it: changed, then whoever's turn it is opened. */
function changed(s: Countersign, change: SignerChange) {
  const next = withSignersChanged(s, change);
  const opened = opening(next.step);
  return { step: opened.step, cancel: next.cancel, open: [...next.open, ...opened.opened].map((x) => x.task) };
}
const order = (s: Countersign) => s.signers.map((x) => `${x.task.slice('sign.'.length)}${x.open ? '*' : ''}`);
const vote = (s: Countersign, who: string) => opening(withVote(s, `sign.${who}`, 'approve', null));

describe('加签: a signer adds one', () => {
  it('in order (依次), alongside signs at once right after me; after waits for my vote; before closes my task until they approved', () => {
    const seq = step('sequential');
    expect(order(seq)).toEqual(['d1*', 'd2', 'd3']);

    const alongside = changed(seq, add('d1', 'alongside'));
    expect([order(alongside.step), alongside.open, alongside.cancel]).toEqual([['d1*', 'guest*', 'd2', 'd3'], ['sign.guest'], []]);
    // The next in order waits for both: the guest's vote opens nothing while I have not voted, mine opens d2 once both did.
    expect(vote(alongside.step, 'guest').opened).toEqual([]);
    expect(vote(vote(alongside.step, 'guest').step, 'd1').opened.map((x) => x.task)).toEqual(['sign.d2']);

    const after = changed(seq, add('d1', 'after'));
    expect([order(after.step), after.open]).toEqual([['d1*', 'guest', 'd2', 'd3'], []]);
    expect(vote(after.step, 'd1').opened.map((x) => x.task)).toEqual(['sign.guest']);

    const before = changed(seq, add('d1', 'before'));
    expect([order(before.step), before.open, before.cancel]).toEqual([['guest*', 'd1', 'd2', 'd3'], ['sign.guest'], ['sign.d1']]);
    expect(vote(before.step, 'guest').opened.map((x) => x.task)).toEqual(['sign.d1']);
  });

  it.each(['all', 'any', 'vote'] as const)('%s: alongside and after both sign at once, at the end; before is refused (everyone signs at once)', (mode) => {
    for (const position of ['alongside', 'after'] as const) {
      const next = changed(step(mode), add('d2', position));
      expect([order(next.step), next.open, next.cancel, next.step.outcome]).toEqual([['d1*', 'd2*', 'd3*', 'guest*'], ['sign.guest'], [], null]);
    }
    expect(signerChangeRefusal(step(mode), add('d2', 'before'))).toMatch(/only in sequential mode/);
  });

  it('a vote (票签) weighs the added signer 1: of four, two approvals do not reach two thirds, three do', () => {
    const panel = changed(step('vote'), add('d1', 'alongside')).step;
    expect(panel.signers.reduce((sum, s) => sum + s.weight, 0)).toBe(4);
    const two = vote(vote(panel, 'd1').step, 'd2').step;
    expect(two.outcome).toBeNull();
    expect(vote(two, 'guest').step.outcome).toBe('approved');
  });

  it('is refused by a signer whose task is not open, for one who signs already, and once the step is decided', () => {
    const seq = step('sequential');
    expect(signerChangeRefusal(seq, add('d2', 'after'))).toMatch(/only a signer whose task in the step is open/);
    expect(signerChangeRefusal(seq, add('d1', 'after', 'd3'))).toMatch(/d3 signs in this step already/);
    expect(signerChangeRefusal(vote(step('any'), 'd1').step, add('d2', 'after'))).toMatch(/decided \(approved\)/);
    expect(signerChangeRefusal(undefined, add('d1', 'after'))).toMatch(/no countersign step sign/);
    expect(signerChangeRefusal(seq, add('d1', 'after'))).toBeNull();
  });
});

describe('减签: the lead removes a pending signer', () => {
  it('all (会签): removing the last one pending after the others approved approves the step at once', () => {
    const twoApproved = vote(vote(step('all'), 'd1').step, 'd2').step;
    const next = changed(twoApproved, remove('d3'));
    expect([next.step.outcome, next.cancel, order(next.step)]).toEqual(['approved', ['sign.d3'], ['d1', 'd2']]);
  });

  it('in order, removing the signer whose turn it is opens the next one', () => {
    const next = changed(step('sequential'), remove('d1'));
    expect([next.cancel, next.open, order(next.step)]).toEqual([['sign.d1'], ['sign.d2'], ['d2*', 'd3']]);
    // One who has not had their turn yet had no task open: nothing to cancel.
    expect(changed(step('sequential'), remove('d3')).cancel).toEqual([]);
  });

  it('a vote (票签): the threshold counts the weight that is left', () => {
    const oneApproved = vote(step('vote'), 'd1').step;
    expect(changed(changed(oneApproved, remove('d3')).step, remove('d2')).step.outcome).toBe('approved');
  });

  it('is refused for one who voted, one who is not a signer, and the last signer', () => {
    const s = vote(step('all'), 'd1').step;
    expect(signerChangeRefusal(s, remove('d1'))).toMatch(/voted already/);
    expect(signerChangeRefusal(s, remove('nobody'))).toMatch(/not a signer/);
    const last = changed(changed(step('any'), remove('d1')).step, remove('d2')).step;
    expect(signerChangeRefusal(last, remove('d3'))).toMatch(/last signer/);
    expect(signerChangeRefusal(s, { step: 'sign', reason: 'both', add: add('d2', 'after').add, remove: 'sign.d3' })).toMatch(/adds one signer or removes one/);
  });
});
