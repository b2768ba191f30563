import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../api/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it('keeps a short printable id the caller sent', () => {
    expect(requestIdFrom('gw-7f3a:trace/1+x=')).toBe('gw-7f3a:trace/1+x=');
    expect(requestIdFrom('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('makes a new UUID when none was sent', () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(65)],
    ['a space', 'two words'],
    ['a line break that could forge a log line', 'a\n{"event":"forged"}'],
    ['a control character', 'a\u0007b'],
    ['non-ASCII', '请求-1'],
  ])('replaces an id with %s by a new UUID', (_, sent) => {
    expect(requestIdFrom(sent)).toMatch(UUID);
  });
});
