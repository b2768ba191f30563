import { describe, expect, it } from 'vitest';
import { hashQueryCode, newQueryCode, normalizeQueryCode, QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH, verifyQueryCode } from '../../api/query-code.js';

describe('query codes (查询码)', () => {
  it('are 8 characters of an alphabet without look-alikes, drawn afresh each time', () => {
    const codes = Array.from({ length: 200 }, newQueryCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${QUERY_CODE_ALPHABET}]{${QUERY_CODE_LENGTH}}$`));
    expect(new Set(codes).size).toBe(codes.length);
    expect(QUERY_CODE_ALPHABET).not.toMatch(/[01ILO]/);
    // Every character of the alphabet turns up: nothing is left out of the draw.
    expect(new Set(codes.join('')).size).toBe(QUERY_CODE_ALPHABET.length);
  });

  it('are kept as a salted scrypt hash that never holds the code', async () => {
    const code = newQueryCode();
    const [a, b] = await Promise.all([hashQueryCode(code), hashQueryCode(code)]);
    expect(a).toMatch(/^scrypt:4096:8:1:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(a).not.toContain(code);
    expect(a).not.toBe(b); // salted
  });

  it('verify the code as typed (case, spaces and dashes aside), and nothing else', async () => {
    const code = 'ABCD2345';
    const hash = await hashQueryCode(code);
    expect(await verifyQueryCode('abcd-2345', hash)).toBe(true);
    expect(await verifyQueryCode(' ABCD 2345 ', hash)).toBe(true);
    expect(await verifyQueryCode('ABCD2346', hash)).toBe(false);
    expect(await verifyQueryCode('ABCD234', hash)).toBe(false);
    expect(await verifyQueryCode('', hash)).toBe(false);
    expect(await verifyQueryCode(code, null)).toBe(false);
    expect(await verifyQueryCode(code, 'not a hash')).toBe(false);
  });

  it('normalize only what can be a code', () => {
    expect(normalizeQueryCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalizeQueryCode('ABCDEFG0')).toBeNull(); // 0 is not in the alphabet
    expect(normalizeQueryCode('ABCDEFGHJ')).toBeNull();
  });
});
