import type { Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { validationProblem } from './problem.js';

/**
 * A NUL character, or half of a UTF-16 surrogate pair. PostgreSQL's text and jsonb cannot hold NUL, and
 * jsonb refuses an unpaired surrogate (JSON allows `"\ud800"`, so validation alone would let it through).
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Issue = { path: PropertyKey[]; message: string };

/** Every string in a validated input (object keys included) that PostgreSQL would refuse, with its path. */
function unstorableStrings(value: unknown, path: PropertyKey[] = []): Issue[] {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? [{ path, message: 'must not contain NUL characters or unpaired UTF-16 surrogates' }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableStrings(item, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...unstorableStrings(key, [...path, key]),
    ...unstorableStrings(item, [...path, key]),
  ]);
}

/**
 * The one validation hook of every route: a body, query or path that fails its zod schema, or passes it
 * but holds a string PostgreSQL cannot store, is answered 400 with field paths, before the handler runs.
 * Checked here rather than in each string schema so that no new field or route can forget it.
 */
export const validationHook: Hook<unknown, any, string, Response | undefined> = (result, c: Context) => {
  const where = result.target === 'json' ? 'body' : result.target;
  if (!result.success) return validationProblem(c, result.error.issues, where);
  const unstorable = unstorableStrings(result.data);
  return unstorable.length > 0 ? validationProblem(c, unstorable, where) : undefined;
};
