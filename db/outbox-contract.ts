/**
 * What the two sides of the outbox agree on. The writer is the commit statement (`commit-statement.ts`): it
 * inserts an outbox row per topic below, in the command's transaction, and NOTIFYs {@link OUTBOX_CHANNEL} when it
 * wrote any row or notification. The reader is the outbox relay (`workers/outbox-relay.ts`): it LISTENs on the
 * channel and claims the rows of the topics it routes. Renaming either here renames it on both sides; a row
 * already committed under an old name waits for a relay that knows it (`claimUnsentOutbox`).
 */

/**
 * Outbox topics, each a kind of delivery with its own payload. `timer`: `{ timerId, dueAt, requestId?, traceparent? }`,
 * a timer due soon, relayed to BullMQ as its delayed job; `requestId`, the request whose command wrote the row, goes with
 * the job so that the worker's lines for it name the request, and `traceparent` (the commit's span, while tracing is
 * on) so that the relay's and the worker's spans join its trace. Notifications have no topic: their table is their own outbox.
 */
export const OUTBOX_TOPICS = { timer: 'timer' } as const;

/** The name of an outbox topic, as stored in `outbox.topic`. */
export type OutboxTopic = (typeof OUTBOX_TOPICS)[keyof typeof OUTBOX_TOPICS];

/** The NOTIFY channel that wakes the relay after a commit wrote outbox rows or notifications. */
export const OUTBOX_CHANNEL = 'tongban_outbox';
