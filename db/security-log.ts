import type postgres from 'postgres';
import type { Actor } from '../engine/access/actor.js';
import { chainAuditEvent, verifyAuditChain, type AuditEvent, type ChainVerdict } from '../engine/audit/audit-chain.js';
import { caseId } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { instant } from './instants.js';

/** The chain id hashed into security events, where case events carry their case id. */
const SECURITY_CHAIN = caseId('security');

export type Tx = postgres.TransactionSql;

/**
 * Who did it: a user or department system acting for its department (an `Actor`), or someone outside the
 * API acting for no department (`npm run calendar:import` records `cli:<os user>`).
 */
export type SecurityActor = Pick<Actor, 'userId'> & { readonly departmentCode: Actor['departmentCode'] | null };

/** What happened, by whom, for which department, with what outcome (in `data`). */
export interface SecurityEvent {
  readonly type: string;
  readonly actor: SecurityActor;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Runs `work` and appends the security event describing it in the same transaction, so there is no
 * export without its record and no record of an export that did not happen. `describe` sees the work's
 * result (e.g. the id of a created key, the number of exported rows).
 */
export function withSecurityEvent<T>(sql: Sql, work: (tx: Tx) => Promise<T>, describe: (result: T) => SecurityEvent): Promise<T> {
  return sql.begin(async (tx) => {
    const [head] = await tx`select seq, hash from security_chain_head where id = 1 for update`;
    const result = await work(tx);
    const e = describe(result);
    const event = chainAuditEvent(
      { seq: Number(head?.['seq']), hash: String(head?.['hash']) },
      { caseId: SECURITY_CHAIN, type: e.type, actorId: e.actor.userId, actingFor: e.actor.departmentCode, occurredAt: e.at, data: e.data },
    );
    await tx`insert into security_events (seq, type, actor_id, acting_for, occurred_at, data, prev_hash, hash)
      values (${event.seq}, ${event.type}, ${event.actorId}, ${event.actingFor}, ${event.occurredAt.toISOString()},
        ${JSON.stringify(event.data)}::jsonb, ${event.prevHash}, ${event.hash})`;
    await tx`update security_chain_head set seq = ${event.seq}, hash = ${event.hash} where id = 1`;
    return result;
  }) as Promise<T>;
}

/** A security event as listed: what happened, by whom, for which department, when, and its link in the chain. */
export interface LoggedSecurityEvent {
  readonly seq: number;
  readonly type: string;
  readonly actorId: string;
  readonly actingFor: string | null;
  readonly occurredAt: Date;
  readonly data: Record<string, unknown>;
  readonly hash: string;
}

/** A page of the security log, latest first. */
export async function listSecurityEvents(sql: Sql, page: { readonly page: number; readonly pageSize: number }): Promise<LoggedSecurityEvent[]> {
  const rows = await sql`select seq, type, actor_id, acting_for, occurred_at, data, hash from security_events
    order by seq desc limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`;
  return rows.map((r) => ({
    seq: Number(r['seq']),
    type: r['type'] as string,
    actorId: r['actor_id'] as string,
    actingFor: (r['acting_for'] as string | null) ?? null,
    occurredAt: instant(r['occurred_at']),
    data: r['data'] as Record<string, unknown>,
    hash: r['hash'] as string,
  }));
}

/** Verifies the whole security chain against its head; reports the first broken link. */
export async function verifySecurityLog(sql: Sql): Promise<ChainVerdict & { headSeq: number }> {
  const rows = await sql`select h.seq as head_seq, h.hash as head_hash, e.seq, e.type, e.actor_id, e.acting_for,
      (extract(epoch from e.occurred_at) * 1000)::float8 as occurred_ms, e.data, e.prev_hash, e.hash
    from security_chain_head h left join security_events e on true where h.id = 1 order by e.seq`;
  const head = { seq: Number(rows[0]?.['head_seq'] ?? 0), hash: String(rows[0]?.['head_hash'] ?? '') };
  const events: AuditEvent[] = rows
    .filter((r) => r['seq'] !== null)
    .map((r) => ({
      caseId: SECURITY_CHAIN,
      seq: Number(r['seq']),
      type: r['type'] as string,
      actorId: r['actor_id'] as string,
      actingFor: (r['acting_for'] as string | null) ?? null,
      occurredAt: new Date(Number(r['occurred_ms'])),
      data: r['data'] as Record<string, unknown>,
      prevHash: r['prev_hash'] as string,
      hash: r['hash'] as string,
    }));
  return { ...verifyAuditChain(events, head), headSeq: head.seq };
}
