import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { CaseId } from '../ids.js';

/**
 * The per-case audit chain: every event carries the hash of the one before it, so editing, deleting or
 * reordering any stored event breaks the chain at that point.
 */
export interface AuditEvent {
  readonly caseId: CaseId;
  readonly seq: number;
  /** A dot-namespaced fact in the past tense, e.g. `task.approved`. */
  readonly type: string;
  /** The user or system that acted; `system` for timers. */
  readonly actorId: string;
  /** The department the actor acted for. */
  readonly actingFor: string | null;
  readonly occurredAt: Date;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export type UnchainedAuditEvent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

/** Appends an event after the chain head `{ seq, hash }` (`{ seq: 0, hash: GENESIS_HASH }` for a new case). */
export function chainAuditEvent(head: { seq: number; hash: string }, event: UnchainedAuditEvent): AuditEvent {
  const linked = { ...event, seq: head.seq + 1, prevHash: head.hash };
  return { ...linked, hash: hashAuditEvent(linked) };
}

export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        caseId: event.caseId,
        seq: event.seq,
        type: event.type,
        actorId: event.actorId,
        actingFor: event.actingFor,
        occurredAt: event.occurredAt.toISOString(),
        data: event.data,
        prevHash: event.prevHash,
      }),
    )
    .digest('hex');
}

export type ChainVerdict =
  | { readonly ok: true; readonly length: number }
  | { readonly ok: false; readonly brokenAtSeq: number; readonly reason: 'hash' | 'link' | 'sequence' };

/**
 * Checks a case's events in stored order against each other and, when given, against the head kept on
 * the case row (which catches a deleted last event).
 */
export function verifyAuditChain(events: readonly AuditEvent[], head?: { seq: number; hash: string }): ChainVerdict {
  let prev = { seq: 0, hash: GENESIS_HASH };
  for (const event of events) {
    if (event.seq !== prev.seq + 1) return { ok: false, brokenAtSeq: prev.seq + 1, reason: 'sequence' };
    if (event.prevHash !== prev.hash) return { ok: false, brokenAtSeq: event.seq, reason: 'link' };
    if (hashAuditEvent(event) !== event.hash) return { ok: false, brokenAtSeq: event.seq, reason: 'hash' };
    prev = { seq: event.seq, hash: event.hash };
  }
  if (head && (head.seq !== prev.seq || head.hash !== prev.hash)) {
    // Missing events at the end break at the first missing seq; otherwise at the first event the head does not
    // vouch for: the last one when it is not the head, the first one past the head when events were appended.
    if (head.seq > prev.seq) return { ok: false, brokenAtSeq: prev.seq + 1, reason: 'sequence' };
    return head.seq === prev.seq
      ? { ok: false, brokenAtSeq: prev.seq, reason: 'hash' }
      : { ok: false, brokenAtSeq: head.seq + 1, reason: 'sequence' };
  }
  return { ok: true, length: events.length };
}
