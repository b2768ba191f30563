import { describe, expect, it } from 'vitest';
import { copyRecipients, receiptText, recipientText, type CaseCopy } from '../../../web/src/lib/copy-receipts.js';
import casePage from '../../../web/src/pages/case/messages.js';
import { pageWording } from './support/page-wording.js';

const zh = pageWording('zh-CN', casePage);
const en = pageWording('en', casePage);

const names: Record<string, string> = { tax: '税务局 Taxation' };
const departmentName = (code: string) => names[code] ?? code;

const copy = (over: Partial<CaseCopy>): CaseCopy => ({
  id: 'c1',
  caseId: 'k1',
  sentBy: 'fire.handler',
  sentByName: 'fire handler',
  sentByDepartment: 'fire',
  recipient: { departmentCode: 'tax' },
  note: '',
  sentAt: '2026-11-30T01:00:00.000Z',
  read: false,
  readAt: null,
  readBy: null,
  readByName: null,
  ...over,
});

describe('a copy (抄送) in the workspace', () => {
  it('its recipients from the form: departments, then people chosen or typed (pasted lists split), each once', () => {
    expect(copyRecipients(['tax', 'tax'], ['market.handler， police.lead', 'market.handler', ''])).toEqual([
      { departmentCode: 'tax' },
      { userId: 'market.handler' },
      { userId: 'police.lead' },
    ]);
    expect(copyRecipients([], ['  '])).toEqual([]);
  });

  it('whom it went to: a person by name and id, a department by name', () => {
    expect(recipientText(copy({ recipient: { userId: 'market.handler', name: 'market handler' } }), departmentName)).toBe('market handler (market.handler)');
    expect(recipientText(copy({ recipient: { userId: 'gone', name: null } }), departmentName)).toBe('gone');
    expect(recipientText(copy({}), departmentName)).toBe('税务局 Taxation');
  });

  it('its read receipt: 已阅 by whom and when, or 未阅', () => {
    expect(receiptText(copy({}), zh)).toBe('未阅');
    expect(receiptText(copy({}), en)).toBe('Not read yet');
    const read = copy({ read: true, readAt: '2026-11-30T02:30:00.000Z', readBy: 'tax.handler', readByName: 'tax handler' });
    expect(receiptText(read, zh)).toBe('tax handler 已阅（2026-11-30 10:30）');
    expect(receiptText(read, en)).toBe('Read by tax handler at 2026-11-30 10:30');
  });
});
