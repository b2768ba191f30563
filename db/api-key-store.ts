import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from './connection.js';
import { API_KEY_PREFIX, hashApiKeySecret } from './principals.js';
import { apiKeys } from './schema/index.js';

export type ApiKeyRow = Omit<typeof apiKeys.$inferSelect, 'secretHash'>;

const visible = {
  id: apiKeys.id,
  name: apiKeys.name,
  departmentCode: apiKeys.departmentCode,
  operations: apiKeys.operations,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
};

/** Creates a key; the returned `key` is the only time the secret exists outside its hash. */
export async function createApiKey(
  sql: Sql,
  input: { name: string; departmentCode: string; operations: string[]; createdBy: string; now: Date },
): Promise<ApiKeyRow & { key: string }> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const [row] = await drizzle(sql)
    .insert(apiKeys)
    .values({ id, ...input, secretHash: hashApiKeySecret(secret), createdAt: input.now })
    .returning(visible);
  if (!row) throw new Error('API key insert returned nothing');
  return { ...row, key: `${API_KEY_PREFIX}.${id}.${secret}` };
}

export function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return drizzle(sql).select(visible).from(apiKeys).orderBy(asc(apiKeys.createdAt));
}

/** Revokes a key; null when there is no such key. Revoking twice keeps the first revocation time. */
export async function revokeApiKey(sql: Sql, id: string, now: Date): Promise<ApiKeyRow | null> {
  const db = drizzle(sql);
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  const [row] = await db.select(visible).from(apiKeys).where(eq(apiKeys.id, id));
  return row ?? null;
}
