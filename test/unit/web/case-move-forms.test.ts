import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extensionDaysProblem, materialProblems, MOVE_LIMITS, opinionProblem, returnAsksSupplement, supplementProblem, supplementRequestOf, urgeProblem } from '../../../web/src/lib/case-move-forms.js';

describe("the case page's forms, checked before sending", () => {
  it('an opinion is always written; a rejection or a return must give its reasons; it has the API’s limit', () => {
    expect(opinionProblem('approve', '  ')).toBe('opinionRequired');
    expect(opinionProblem('reject', '')).toBe('reasonsRequired');
    expect(opinionProblem('return', ' \n')).toBe('reasonsRequired');
    expect(opinionProblem('reject', '位于水源保护区')).toBeNull();
    expect(opinionProblem('approve', 'x'.repeat(MOVE_LIMITS.opinion + 1))).toBe('tooLong');
    expect(opinionProblem('approve', 'x'.repeat(MOVE_LIMITS.opinion))).toBeNull();
  });

  it('an extension adds a whole number of working days, at least one and at most what the service item still allows', () => {
    expect([undefined, null, 0, 1.5, 16].map((d) => extensionDaysProblem(d, 15))).toEqual(['range', 'range', 'range', 'range', 'range']);
    expect([1, 15].map((d) => extensionDaysProblem(d, 15))).toEqual([null, null]);
  });

  it('an urge says something, within the API’s limits', () => {
    expect(urgeProblem(' 催 ')).toBe('length');
    expect(urgeProblem('请尽快')).toBeNull();
    expect(urgeProblem('x'.repeat(1001))).toBe('length');
  });

  it('a material needs a name, its SHA-256 digest in lowercase hex, and its size', () => {
    const hex = createHash('sha256').update('施工合同').digest('hex');
    expect(materialProblems({ name: '施工合同', sha256: hex, sizeBytes: 1024 })).toEqual({ name: null, sha256: null, sizeBytes: null });
    expect(materialProblems({ name: ' ', sha256: hex.toUpperCase(), sizeBytes: -1 })).toEqual({ name: 'required', sha256: 'format', sizeBytes: 'range' });
    expect(materialProblems({ name: 'x', sha256: hex.slice(1), sizeBytes: null })).toMatchObject({ sha256: 'format', sizeBytes: 'range' });
  });

  it('a return asks for a supplement when its target goes to the applicant, or, fixed, when materials are offered', () => {
    const targets = [
      { to: 'applicant', asksSupplement: true },
      { to: 'correction', asksSupplement: false },
    ];
    expect(returnAsksSupplement('return', 'applicant', targets, [])).toBe(true);
    expect(returnAsksSupplement('return', 'correction', targets, ['施工合同'])).toBe(false);
    expect(returnAsksSupplement('approve', 'applicant', targets, ['施工合同'])).toBe(false);
    expect(returnAsksSupplement('return', '', [], ['施工合同'])).toBe(true);
    expect(returnAsksSupplement('return', '', [], [])).toBe(false);
  });

  it('a supplement request names at least one material, each chosen one with its reason (一次性告知); one not askable never counts', () => {
    const choice = (name: string, chosen: boolean, reason = '', askable = true) => ({ name, askable, chosen, reason });
    expect(supplementProblem([choice('申请表', false), choice('施工合同', true, '', false)])).toBe('noneChosen');
    expect(supplementProblem([choice('申请表', true, ' ')])).toBe('reasonRequired');
    expect(supplementProblem([choice('申请表', true, 'x'.repeat(MOVE_LIMITS.supplementReason + 1))])).toBe('tooLong');
    const list = [choice('申请表', true, ' 未签字 '), choice('规划许可证', false, '不清晰'), choice('施工合同', true, '未盖章')];
    expect(supplementProblem(list)).toBeNull();
    expect(supplementRequestOf(list)).toEqual({ materials: [{ name: '申请表', reason: '未签字' }, { name: '施工合同', reason: '未盖章' }] });
  });
});
