import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { userId } from '../ids.js';
import { delegationSeenBy } from './delegation-visibility.js';

const returned = {
  departmentCode: 'fire',
  delegatedBy: 'fire.holder',
  delegation: 'resolved',
  delegationProposal: { outcome: 'reject', opinion: { text: '不符合规范', visibility: 'internal' }, by: userId('fire.delegate'), at: '2026-03-02T02:00:00.000Z' },
} as const;

describe('who reads a task’s delegation (委派)', () => {
  it('the task’s department reads who delegated it, where it stands and the proposal', () => {
    expect(delegationSeenBy(actor('fire', 'handler'), returned)).toEqual({ delegatedBy: 'fire.holder', delegation: 'resolved', delegationProposal: returned.delegationProposal });
  });

  it.each([actor('housing', 'lead'), actor('supervision', 'supervisor')])('%s reads none of it: the proposal tells an outcome', (viewer) => {
    expect(delegationSeenBy(viewer, returned)).toEqual({ delegatedBy: null, delegation: null, delegationProposal: null });
  });
});
