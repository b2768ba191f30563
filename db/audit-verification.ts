import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { hasRole, type Actor } from '../engine/access/actor.js';
import { verifyAuditChain, type AuditEvent, type ChainVerdict } from '../engine/audit/audit-chain.js';
import { caseId as toCaseId, type CaseId } from '../engine/ids.js';
import { caseTakesPartBy } from './case-visibility.js';
import type { Sql } from './connection.js';
import { cases } from './schema/index.js';

/**
 * Verification of the stored audit chains (the per-case hash chain of `engine/audit-chain.ts`), for the
 * `npm run audit:verify` command and the `GET /api/cases/{caseId}/audit/verification` endpoint.
 *
 * Every tampering short of recomputing the whole chain *and* the head on the case row is found, at its
 * first broken link:
 * - an edited row no longer matches its hash (`hash`);
 * - a deleted row leaves a gap in `seq` (`sequence`), or, if later rows were renumbered to close it, a row
 *   whose `prev_hash` is not its predecessor's hash (`link`); a deleted *last* row, or an appended one,
 *   leaves the chain ending somewhere else than the head kept on the case row (`sequence`);
 * - a reorder: events are loaded by `seq`, the position the hash covers, never by physical order (which
 *   PostgreSQL does not keep anyway). Swapping two rows' contents (everything but the key) puts, at the
 *   lower seq, a row whose `prev_hash` is another event's hash and whose hash was computed for another
 *   seq; swapping their `seq` values moves the same contents to the same positions. Either way the lower
 *   of the two seqs is reported (`link`, as the link is checked before the hash).
 * A whole rewrite by someone who recomputes every hash and the case row's head is beyond what a chain kept
 * in the same database can prove; anchoring heads outside it would be the next step.
 */
export type AuditVerdict = {
  readonly caseId: CaseId;
  /** Events stored for the case. */
  readonly length: number;
  /** The chain head kept on the case row: the seq of the case's last event. */
  readonly headSeq: number;
} & (
  | { readonly ok: true }
  | { readonly ok: false; readonly brokenAtSeq: number; readonly reason: Extract<ChainVerdict, { ok: false }>['reason'] }
);

/** One row of {@link CHAIN_COLUMNS}: the case's head, then one of its events (all null for a case without events). */
interface ChainRow {
  readonly case_id: string;
  readonly head_seq: number;
  readonly head_hash: string;
  readonly seq: number | null;
  readonly type: string;
  readonly actor_id: string;
  readonly acting_for: string | null;
  /** Milliseconds since the epoch as exact numeric text, e.g. `1796000400123.000000`. */
  readonly occurred_ms: string;
  readonly data: Record<string, unknown>;
  readonly prev_hash: string;
  readonly hash: string;
}

// Case head and events come from one statement, so from one snapshot: an event appended meanwhile can
// never look like a chain running past its head. occurred_at is read as exact epoch milliseconds rather
// than as timestamp text, which keeps the session's time zone out of it and shows sub-millisecond digits.
const CHAIN_COLUMNS = `c.id as case_id, c.audit_seq as head_seq, c.audit_head as head_hash,
  e.seq, e.type, e.actor_id, e.acting_for, (extract(epoch from e.occurred_at) * 1000)::text as occurred_ms,
  e.data, e.prev_hash, e.hash`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies one case's stored chain against its head; null when there is no such case.
 *
 * @example
 * const verdict = await verifyCaseAudit(sql, caseId);
 * if (verdict && !verdict.ok) console.log(`broken at ${verdict.brokenAtSeq}: ${verdict.reason}`);
 */
export async function verifyCaseAudit(sql: Sql, caseId: string): Promise<AuditVerdict | null> {
  if (!UUID.test(caseId)) return null;
  const rows = await sql.unsafe<ChainRow[]>(
    `select ${CHAIN_COLUMNS} from cases c left join audit_events e on e.case_id = c.id where c.id = $1 order by e.seq`,
    [caseId],
  );
  return verdictsOf(rows)[0] ?? null;
}

/**
 * The verdict on a case's chain if the actor may verify it, else null (the API answers 404 either way).
 * Leads verify the cases their department takes part in; supervisors and administrators any case, since
 * a verdict holds no case data and administrators answer for the system's integrity.
 */
export async function verifyVisibleCaseAudit(sql: Sql, actor: Actor, caseId: string): Promise<AuditVerdict | null> {
  if (!UUID.test(caseId)) return null;
  if (!hasRole(actor, 'admin')) {
    const [visible] = await drizzle(sql)
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.id, caseId), caseTakesPartBy(actor)));
    if (!visible) return null;
  }
  return verifyCaseAudit(sql, caseId);
}

/** What {@link verifyAllCases} saw. */
export interface AuditSweep {
  readonly cases: number;
  readonly events: number;
  readonly broken: number;
}

/**
 * Verifies every case, `batchSize` cases per statement in id order (a keyset cursor: memory stays bounded
 * however many cases there are; each batch reads heads and events from one snapshot), handing each verdict
 * to `onVerdict`.
 *
 * @example
 * const sweep = await verifyAllCases(sql, (v) => { if (!v.ok) console.log(v.caseId, v.brokenAtSeq); });
 */
export async function verifyAllCases(
  sql: Sql,
  onVerdict: (verdict: AuditVerdict) => void | Promise<void>,
  options: { batchSize?: number } = {},
): Promise<AuditSweep> {
  const batchSize = options.batchSize ?? 100;
  let after: string | null = null;
  let cases = 0;
  let events = 0;
  let broken = 0;
  for (;;) {
    const rows: ChainRow[] = await sql.unsafe<ChainRow[]>(
      `with batch as (select id, audit_seq, audit_head from cases where ($1::uuid is null or id > $1::uuid) order by id limit $2)
       select ${CHAIN_COLUMNS} from batch c left join audit_events e on e.case_id = c.id order by c.id, e.seq`,
      [after, batchSize],
    );
    const verdicts = verdictsOf(rows);
    for (const verdict of verdicts) {
      cases += 1;
      events += verdict.length;
      if (!verdict.ok) broken += 1;
      await onVerdict(verdict);
    }
    if (verdicts.length < batchSize) return { cases, events, broken };
    after = verdicts[verdicts.length - 1]!.caseId;
  }
}

/** Groups rows (ordered by case, then seq) by case and verifies each chain. */
function verdictsOf(rows: readonly ChainRow[]): AuditVerdict[] {
  const verdicts: AuditVerdict[] = [];
  let start = 0;
  while (start < rows.length) {
    const first = rows[start]!;
    let end = start;
    while (end < rows.length && rows[end]!.case_id === first.case_id) end += 1;
    const stored = rows.slice(start, end).filter((row) => row.seq !== null);
    const head = { seq: first.head_seq, hash: first.head_hash };
    const verdict = verifyStoredChain(stored.map(toStoredEvent), head);
    verdicts.push({ caseId: toCaseId(first.case_id), length: stored.length, headSeq: head.seq, ...verdict });
    start = end;
  }
  return verdicts;
}

/** An event as it was hashed, and whether its stored instant is a whole millisecond, as every hashed one is. */
interface StoredEvent {
  readonly event: AuditEvent;
  readonly exactInstant: boolean;
}

/**
 * Rows back to the `AuditEvent` that was hashed. `data` round-trips through jsonb, which reorders keys and
 * drops insignificant whitespace: the hash is over canonical JSON (keys sorted), so that is irrelevant.
 * The hash covers `occurredAt.toISOString()`, milliseconds; a stored instant with other sub-millisecond
 * digits cannot be what was hashed, yet would round to it: such a row is flagged instead.
 */
function toStoredEvent(row: ChainRow): StoredEvent {
  // Split as text: as a double, one microsecond more than 1.8e12 ms would round away.
  const [whole = '', fraction = ''] = row.occurred_ms.split('.');
  const ms = Number(whole);
  const representable = Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15;
  const exactInstant = representable && /^0*$/.test(fraction);
  return {
    event: {
      caseId: toCaseId(row.case_id),
      seq: row.seq!,
      type: row.type,
      actorId: row.actor_id,
      actingFor: row.acting_for,
      occurredAt: new Date(representable ? ms : 0),
      data: row.data,
      prevHash: row.prev_hash,
      hash: row.hash,
    },
    exactInstant,
  };
}

/**
 * `verifyAuditChain`, plus the rows whose instant was flagged: such a row is broken (`hash`) unless the
 * chain already broke before it. Rows are in seq order, so a smaller seq means an earlier link.
 */
function verifyStoredChain(stored: readonly StoredEvent[], head: { seq: number; hash: string }): ChainVerdict {
  const verdict = verifyAuditChain(stored.map((s) => s.event), head);
  const inexact = stored.find((s) => !s.exactInstant)?.event.seq;
  if (inexact !== undefined && (verdict.ok || inexact < verdict.brokenAtSeq)) {
    return { ok: false, brokenAtSeq: inexact, reason: 'hash' };
  }
  return verdict;
}
