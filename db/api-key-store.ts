import { randomBytes, randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { API_KEY_PREFIX, hashApiKeySecret } from './principals.js';
import { apiKeys } from './schema/index.js';
import { withSecurityEvent, type Tx } from './security-log.js';

export type ApiKeyRow = Omit<typeof apiKeys.$inferSelect, 'secretHash'>;

const COLUMNS = `id, name, department_code as "departmentCode", operations, created_by as "createdBy",
  created_at as "createdAt", revoked_at as "revokedAt"`;

/** Raw rows carry timestamps as text (see `instants.ts`). */
const toRow = (r: Record<string, unknown>): ApiKeyRow => ({
  ...(r as unknown as ApiKeyRow),
  createdAt: instant(r['createdAt']),
  revokedAt: optionalInstant(r['revokedAt']),
});

/**
 * Creates a key, recorded in the security log in the same transaction; the returned `key` is the only
 * time the secret exists outside its hash.
 */
export async function createApiKey(
  sql: Sql,
  input: { name: string; departmentCode: string; operations: string[]; actor: Actor; now: Date },
): Promise<ApiKeyRow & { key: string }> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const row = await withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const [inserted] = await tx.unsafe(
        `insert into api_keys (id, name, department_code, operations, secret_hash, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
        [id, input.name, input.departmentCode, input.operations, hashApiKeySecret(secret), input.actor.userId, input.now.toISOString()],
      );
      return toRow(inserted as Record<string, unknown>);
    },
    (created) => ({ type: 'api-key.created', actor: input.actor, at: input.now, data: { keyId: created.id, department: created.departmentCode, operations: created.operations } }),
  );
  return { ...row, key: `${API_KEY_PREFIX}.${id}.${secret}` };
}

export function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return drizzle(sql)
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      departmentCode: apiKeys.departmentCode,
      operations: apiKeys.operations,
      createdBy: apiKeys.createdBy,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.createdAt));
}

/**
 * Revokes a key, recorded in the security log; null when there is no such key. Revoking twice keeps the
 * first revocation time (and records nothing the second time).
 */
export async function revokeApiKey(sql: Sql, id: string, actor: Actor, now: Date): Promise<ApiKeyRow | null> {
  const [existing] = await sql.unsafe(`select ${COLUMNS} from api_keys where id = $1`, [id]);
  if (!existing) return null;
  if (existing['revokedAt']) return toRow(existing);
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const [row] = await tx.unsafe(`update api_keys set revoked_at = coalesce(revoked_at, $2) where id = $1 returning ${COLUMNS}`, [id, now.toISOString()]);
      return toRow(row as Record<string, unknown>);
    },
    (revoked) => ({ type: 'api-key.revoked', actor, at: now, data: { keyId: revoked.id, department: revoked.departmentCode } }),
  );
}
