import { describe, expect, it } from 'vitest';
import { textPrefixRange } from '../../db/text-prefix.js';

/** The strings a prefix search finds, compared as a `text_pattern_ops` index compares them: UTF-8 bytes. */
const bytes = (s: string) => Buffer.from(s, 'utf8');
const inRange = (s: string, { from, below }: { from: string; below: string | null }) =>
  Buffer.compare(bytes(s), bytes(from)) >= 0 && (below === null || Buffer.compare(bytes(s), bytes(below)) < 0);

describe('textPrefixRange', () => {
  it('bounds the strings that start with the prefix by the prefix with its last character raised', () => {
    expect(textPrefixRange('王秀')).toEqual({ from: '王秀', below: '王私' });
    expect(textPrefixRange('ab')).toEqual({ from: 'ab', below: 'ac' });
  });

  it('holds every string that starts with the prefix and none other, in byte order', () => {
    const range = textPrefixRange('上海');
    for (const name of ['上海', '上海某建设有限公司', '上海\u{10FFFF}', '上海😀']) expect(inRange(name, range), name).toBe(true);
    for (const name of ['上', '上浦', '上洋', '北京上海', '上海'.slice(0, 1) + '浩']) expect(inRange(name, range), name).toBe(false);
  });

  it('takes % and _ as letters (no pattern), and characters outside the BMP whole', () => {
    expect(textPrefixRange('张%')).toEqual({ from: '张%', below: '张&' });
    expect(textPrefixRange('张_')).toEqual({ from: '张_', below: '张`' });
    expect(textPrefixRange('𠀀𠀀')).toEqual({ from: '𠀀𠀀', below: '𠀀𠀁' });
  });

  it('steps over the surrogates and carries past the last code point', () => {
    expect(textPrefixRange('a\u{D7FF}').below).toBe('a\u{E000}');
    expect(textPrefixRange('a\u{10FFFF}')).toEqual({ from: 'a\u{10FFFF}', below: 'b' });
    expect(textPrefixRange('\u{10FFFF}\u{10FFFF}')).toEqual({ from: '\u{10FFFF}\u{10FFFF}', below: null });
  });
});
