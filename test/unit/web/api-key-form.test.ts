import { describe, expect, it } from 'vitest';
import { OPERATIONS, PERMISSIONS } from '../../../engine/access/permission-matrix.js';
import { KEY_NAME_MAX, SCOPES, keyFormProblems, newKeyBody } from '../../../web/src/lib/api-key-form.js';
import { eventData } from '../../../web/src/lib/security-event.js';
import adminMessages from '../../../web/src/pages/admin/messages.js';

describe('the new API key form', () => {
  it('offers exactly the operations a department system may be given (the matrix’s department_system column)', () => {
    expect([...SCOPES].sort()).toEqual(OPERATIONS.filter((op) => PERMISSIONS[op].includes('department_system')).sort());
  });

  it('names every missing field, and a name too long, before anything is sent', () => {
    expect(keyFormProblems({ name: '  ', departmentCode: '', operations: [] })).toEqual({ name: 'required', departmentCode: 'required', operations: 'required' });
    expect(keyFormProblems({ name: 'x'.repeat(KEY_NAME_MAX + 1), departmentCode: 'fire', operations: ['task.read'] })).toEqual({ name: 'tooLong' });
    expect(keyFormProblems({ name: ` ${'x'.repeat(KEY_NAME_MAX)} `, departmentCode: 'fire', operations: ['task.read'] })).toEqual({});
  });

  it('sends the name trimmed and the scopes in the form’s order', () => {
    expect(newKeyBody({ name: ' 消防审批系统 ', departmentCode: 'fire', operations: ['task.complete', 'case.read', 'task.read'] })).toEqual({
      name: '消防审批系统',
      departmentCode: 'fire',
      operations: ['case.read', 'task.read', 'task.complete'],
    });
  });

  it('has a label for every scope in both languages', () => {
    const label = (tree: Record<string, unknown>, op: string) => op.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
    for (const locale of ['zh-CN', 'en'] as const) {
      const scopes = (adminMessages[locale].admin as { scope: Record<string, unknown> }).scope;
      for (const op of SCOPES) expect(typeof label(scopes, op), `${locale} ${op}`).toBe('string');
    }
  });
});

describe('the administration page’s messages', () => {
  it('have the same keys in both languages', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
    expect(keys(adminMessages.en).sort()).toEqual(keys(adminMessages['zh-CN']).sort());
  });
});

describe('a security event’s data', () => {
  it('reads as key: value pairs, JSON where it is not text', () => {
    expect(eventData({ keyId: 'k1', department: 'tax', operations: ['task.read'], year: 2027 })).toBe('keyId: k1 · department: tax · operations: ["task.read"] · year: 2027');
    expect(eventData({})).toBe('');
  });
});
