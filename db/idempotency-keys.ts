import type { Sql } from './connection.js';

/**
 * How long an Idempotency-Key is honoured: a retry within a day gets the kept answer; later the key is
 * purged (workers/retention-purge.ts) and may be used again. Clients retry within minutes, not days.
 */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 3_600_000;

/** What was kept for a replay of one caller's key (commands write theirs in `commit-statement.ts`). */
export interface KeptAnswer {
  readonly requestHash: string;
  readonly status: number;
  readonly response: unknown;
}

export async function findKeptAnswer(sql: Sql, principal: string, key: string): Promise<KeptAnswer | null> {
  const [row] = await sql`select request_hash, status, response from idempotency_keys where principal = ${principal} and key = ${key}`;
  return row ? { requestHash: row['request_hash'] as string, status: row['status'] as number, response: row['response'] } : null;
}

/** Keeps the answer of a request that is not a case command; a twin that kept one first wins. */
export async function keepAnswer(sql: Sql, principal: string, key: string, answer: KeptAnswer): Promise<void> {
  await sql`insert into idempotency_keys (principal, key, request_hash, status, response)
    values (${principal}, ${key}, ${answer.requestHash}, ${answer.status}, ${JSON.stringify(answer.response)}::jsonb)
    on conflict do nothing`;
}

/**
 * Deletes up to `limit` keys kept before `before`, oldest first through `idempotency_keys_created_idx`;
 * returns how many. Each call is its own short statement, and rows another purge holds are skipped, so
 * purges in several worker processes neither wait on each other nor hold locks for long.
 */
export async function purgeIdempotencyKeys(sql: Sql, before: Date, limit: number): Promise<number> {
  const deleted = await sql`delete from idempotency_keys where (principal, key) in (
      select principal, key from idempotency_keys where created_at < ${before.toISOString()}
      order by created_at limit ${limit} for update skip locked)`;
  return deleted.count;
}
