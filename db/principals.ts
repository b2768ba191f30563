import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor, Role } from '../engine/access/actor.js';
import { departmentCode, userId } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { apiKeys, users } from './schema/index.js';

/**
 * Who a credential stands for, read from the database: the department and roles are never taken from
 * the request.
 */

/** An active user as an actor, or null. */
export async function userActor(sql: Sql, id: string): Promise<Actor | null> {
  const [u] = await drizzle(sql).select().from(users).where(eq(users.id, id));
  return u && u.active ? { userId: userId(u.id), departmentCode: departmentCode(u.departmentCode), roles: u.roles as Role[] } : null;
}

/** Prefix of API keys, so a leaked one is recognisable in logs and secret scanners. */
export const API_KEY_PREFIX = 'tbk';

export const hashApiKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The department system an API key (`tbk.<id>.<secret>`) stands for, or null when the key is unknown,
 * revoked or its secret does not match. Secrets are random 256-bit values, so a plain sha256 is enough;
 * the comparison is constant-time.
 */
export async function apiKeyActor(sql: Sql, key: string): Promise<Actor | null> {
  const [prefix, id, secret] = key.split('.');
  if (prefix !== API_KEY_PREFIX || !id || !secret || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await drizzle(sql)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, 'hex');
  const actual = Buffer.from(hashApiKeySecret(secret), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return { userId: userId(`apikey:${row.id}`), departmentCode: departmentCode(row.departmentCode), roles: ['department_system'], scopes: row.operations };
}
