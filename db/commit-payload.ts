import type { CaseEffect, CaseUpdate, IdempotentAnswer, NewCase } from '../engine/case-effect.js';
import type { AuditEvent } from '../engine/audit/audit-chain.js';
import { PAYLOAD_LISTS, type PayloadDraft, type PayloadList } from './effects/effect-writer.js';
import { writeEffect } from './effects/effect-writers.js';
import { currentRequestId } from '../platform/request-context.js';
import { currentTraceparent } from '../platform/tracing.js';

/**
 * The rows one command writes, grouped by table, as the single jsonb parameter of the commit statement
 * (`commit-statement.ts`). One parameter keeps the statement text fixed, so PostgreSQL prepares it once
 * per connection, whatever the command.
 */
export type CommitPayload = {
  readonly case: CaseUpdate | NewCase;
  readonly audits: readonly AuditEvent[];
  readonly answers: IdempotentAnswer[];
  /** The request that sent the command (`platform/request-context.ts`), written into its outbox rows; none for a worker's own. */
  readonly requestId?: string;
  /** The span of the commit writing it (`platform/tracing.ts`), written into its outbox rows beside the request id; none while tracing is off. */
  readonly traceparent?: string;
} & Readonly<PayloadDraft>;

/** Builds the payload: each effect becomes rows through its kind's writer (`effects/effect-writers.ts`). */
export function commitPayload(
  row: CaseUpdate | NewCase,
  effects: readonly CaseEffect[],
  audits: readonly AuditEvent[],
  answer: IdempotentAnswer | undefined,
): CommitPayload {
  const draft: PayloadDraft = { closing: false, ...emptyLists() };
  for (const effect of effects) writeEffect(effect, draft);
  const requestId = currentRequestId();
  const traceparent = currentTraceparent();
  return {
    case: row,
    ...draft,
    audits,
    answers: answer ? [answer] : [],
    ...(requestId === undefined ? {} : { requestId }),
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}

/** Every list, empty ones too: the statement's checks compare counts with their lengths. */
function emptyLists(): Record<PayloadList, unknown[]> {
  const lists = {} as Record<PayloadList, unknown[]>;
  for (const list of PAYLOAD_LISTS) lists[list] = [];
  return lists;
}
