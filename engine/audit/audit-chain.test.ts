import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, chainAuditEvent, hashAuditEvent, verifyAuditChain, type AuditEvent } from './audit-chain.js';
import { caseId } from '../ids.js';

const CASE = caseId('6f1c1d8e-0000-4000-8000-000000000001');

/** A case's chain of `length` events, one an hour from 09:00 on 30 November 2026 (Beijing). */
function chain(length: number, id = CASE): AuditEvent[] {
  const events: AuditEvent[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 1; i <= length; i += 1) {
    const event = chainAuditEvent(head, {
      caseId: id,
      type: i === 1 ? 'case.started' : 'task.approved',
      actorId: `user-${i}`,
      actingFor: i % 2 ? 'window' : 'fire',
      occurredAt: new Date(Date.UTC(2026, 10, 30, i)),
      data: { step: i, task: `task-${i}` },
    });
    events.push(event);
    head = { seq: event.seq, hash: event.hash };
  }
  return events;
}

const headOf = (events: readonly AuditEvent[]) => {
  const last = events.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
};

/** The chain with the event at `index` replaced. */
const replaced = (events: readonly AuditEvent[], index: number, event: AuditEvent) => events.map((e, i) => (i === index ? event : e));

describe('audit chain', () => {
  const events = chain(5);
  const head = headOf(events);

  it('links each event to the one before, from the genesis hash', () => {
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(new Set(events.map((e) => e.hash)).size).toBe(5);
  });

  it('verifies an untouched chain, with and without the head kept on the case', () => {
    expect(verifyAuditChain(events)).toEqual({ ok: true, length: 5 });
    expect(verifyAuditChain(events, head)).toEqual({ ok: true, length: 5 });
    expect(verifyAuditChain([], { seq: 0, hash: GENESIS_HASH })).toEqual({ ok: true, length: 0 });
  });

  it('detects an edited event at that event', () => {
    const edited = { ...events[2]!, data: { step: 3, task: 'task-3', note: 'changed afterwards' } };
    expect(verifyAuditChain(replaced(events, 2, edited), head)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
    const redated = { ...events[2]!, occurredAt: new Date(Date.UTC(2026, 10, 29)) };
    expect(verifyAuditChain(replaced(events, 2, redated), head)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'hash' });
  });

  it('detects an edited event whose own hash was recomputed at the next event', () => {
    const { hash: _old, ...rest } = { ...events[2]!, actorId: 'someone-else' };
    const rehashed = { ...rest, hash: hashAuditEvent(rest) };
    expect(verifyAuditChain(replaced(events, 2, rehashed), head)).toEqual({ ok: false, brokenAtSeq: 4, reason: 'link' });
  });

  it('detects an event of another case put in place of one of this case', () => {
    const foreign = chain(5, caseId('6f1c1d8e-0000-4000-8000-000000000002'));
    expect(verifyAuditChain(replaced(events, 2, foreign[2]!), head)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'link' });
  });

  it('detects a deleted event in the middle, or the first, at the missing seq', () => {
    expect(verifyAuditChain([events[0]!, events[1]!, events[3]!, events[4]!], head)).toEqual({ ok: false, brokenAtSeq: 3, reason: 'sequence' });
    expect(verifyAuditChain(events.slice(1), head)).toEqual({ ok: false, brokenAtSeq: 1, reason: 'sequence' });
  });

  it('detects a deleted last event only through the head kept on the case', () => {
    const truncated = events.slice(0, 4);
    expect(verifyAuditChain(truncated)).toEqual({ ok: true, length: 4 });
    expect(verifyAuditChain(truncated, head)).toEqual({ ok: false, brokenAtSeq: 5, reason: 'sequence' });
    expect(verifyAuditChain([], head)).toEqual({ ok: false, brokenAtSeq: 1, reason: 'sequence' });
  });

  it('detects two events swapped at the first position out of order', () => {
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    expect(verifyAuditChain(swapped, head)).toEqual({ ok: false, brokenAtSeq: 2, reason: 'sequence' });
    // Swapped and renumbered: the seq is hashed, and the links no longer match.
    const renumbered = [events[0]!, { ...events[2]!, seq: 2 }, { ...events[1]!, seq: 3 }, events[3]!, events[4]!];
    expect(verifyAuditChain(renumbered, head)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('names the last event when the whole chain was rewritten behind the head', () => {
    // Rewrite the last event and recompute its hash: the chain alone looks fine, the head does not match it.
    const { hash: _old, ...rest } = { ...events[4]!, data: { step: 5, task: 'rewritten' } };
    const rewritten = replaced(events, 4, { ...rest, hash: hashAuditEvent(rest) });
    expect(verifyAuditChain(rewritten)).toEqual({ ok: true, length: 5 });
    expect(verifyAuditChain(rewritten, head)).toMatchObject({ ok: false, brokenAtSeq: 5 });
  });

  it('names the first event past the head when events were appended behind the case’s back', () => {
    const [, ...extra] = chain(6);
    const appended = [...events, chainAuditEvent(head, { ...extra[4]!, data: { forged: true } })];
    expect(verifyAuditChain(appended)).toEqual({ ok: true, length: 6 });
    expect(verifyAuditChain(appended, head)).toMatchObject({ ok: false, brokenAtSeq: 6 });
  });
});
