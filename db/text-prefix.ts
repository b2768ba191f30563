/**
 * The strings that start with `prefix`, as a half-open range `[from, below)` in byte order — the order of a
 * `text_pattern_ops` index (`~>=~`, `~<~`). A `like 'x%'` with a parameter for `x` cannot use such an index in a
 * prepared statement's generic plan (the bounds are derived from a constant pattern at planning); the two
 * comparisons can, whatever the parameter, and need no escaping of `%` or `_`.
 *
 * UTF-8 keeps code-point order in byte order, so `below` is the prefix with its last code point raised by one
 * (past the surrogates; a last code point that cannot be raised is dropped and the one before it raised). A
 * prefix of nothing but U+10FFFF has no upper bound: `below` is null.
 *
 * @example
 * textPrefixRange('王秀') // { from: '王秀', below: '王私' }
 */
export function textPrefixRange(prefix: string): { readonly from: string; readonly below: string | null } {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      points.push(last === 0xd7ff ? 0xe000 : last + 1);
      return { from: prefix, below: String.fromCodePoint(...points) };
    }
  }
  return { from: prefix, below: null };
}
