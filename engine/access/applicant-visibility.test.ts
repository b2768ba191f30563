import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { applicantSeenBy } from './applicant-visibility.js';

const record = {
  intakeDepartment: 'window',
  leadDepartment: 'housing',
  applicant: { name: '张三', idNumber: '110101199003071234', phone: '13812345678' },
};

describe("who reads the applicant's personal data in full", () => {
  it.each([
    ['the intake window', actor('window', 'intake_clerk')],
    ['the lead department', actor('housing', 'handler')],
    ["the lead department's lead", actor('housing', 'lead')],
  ])('%s, who deal with the applicant', (_, viewer) => {
    expect(applicantSeenBy(viewer, record)).toEqual(record.applicant);
  });

  it.each([
    ['another member department', actor('fire', 'handler')],
    ['a supervisor (who asks, on the record, to read more)', actor('supervision', 'supervisor')],
  ])('not %s: the ID number and phone are masked, the name is kept', (_, viewer) => {
    expect(applicantSeenBy(viewer, record)).toEqual({ name: '张三', idNumber: '1101**********1234', phone: '13*******78' });
  });

  it('masks no phone that was never given', () => {
    const noPhone = { ...record, applicant: { name: '李四', idNumber: '110101199003071234' } };
    expect(applicantSeenBy(actor('fire', 'handler'), noPhone)).toEqual({ name: '李四', idNumber: '1101**********1234' });
  });
});
