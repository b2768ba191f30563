/**
 * How each table would be placed on a PostgreSQL that shards by case (Citus, distribution column `case_id`), the
 * scale-out path of issue 19 (docs/scaling.md). One entry per table of the database: the schema test
 * (`test/integration/distribution-schema.test.ts`) fails on a table that is not here, and checks what a class promises.
 *
 * - `case-owned`: one case's rows, distributed by `column` (`case_id`; `id` for `cases` itself), colocated with the
 *   case. The column is NOT NULL and in the primary key and every unique constraint and index, so that a shard can
 *   enforce them alone; a command touches one case's rows, so its transaction is single-shard.
 * - `reference`: small, read by commands and queries of every case, written rarely: replicated to every node.
 * - `not-case-owned`: keyed by something else than a case (`why`); `underCitus` says where it would live.
 */
export type TableDistribution =
  | { readonly class: 'case-owned'; readonly column: 'case_id' | 'id'; readonly why?: string }
  | { readonly class: 'reference'; readonly why: string }
  | { readonly class: 'not-case-owned'; readonly why: string; readonly underCitus: string };

export const TABLE_DISTRIBUTION = {
  cases: { class: 'case-owned', column: 'id' },
  tasks: { class: 'case-owned', column: 'case_id' },
  opinions: { class: 'case-owned', column: 'case_id' },
  materials: { class: 'case-owned', column: 'case_id' },
  licences: { class: 'case-owned', column: 'case_id' },
  case_copies: { class: 'case-owned', column: 'case_id' },
  case_comments: { class: 'case-owned', column: 'case_id' },
  audit_events: { class: 'case-owned', column: 'case_id', why: 'the hash chain is per case' },
  timers: { class: 'case-owned', column: 'case_id' },
  notifications: {
    class: 'case-owned',
    column: 'case_id',
    why: 'written by the command that makes them; the relay that claims undelivered ones across cases reads every shard, outside any command',
  },
  notification_reads: {
    class: 'case-owned',
    column: 'case_id',
    why: 'beside its notice (its reference includes the case), so that a reader’s list joins them on one shard; marking several notices read is a request, not a command, and may touch several cases',
  },
  supplement_requests: { class: 'case-owned', column: 'case_id' },
  case_ratings: { class: 'case-owned', column: 'case_id', why: 'one per case: its key is the case' },
  supervision_notices: { class: 'case-owned', column: 'case_id' },
  timer_incidents: { class: 'case-owned', column: 'case_id', why: 'one failed timer of a case; opened by the timer worker, resolved by the case’s command' },

  departments: { class: 'reference', why: 'the organisation tree, read by authorization everywhere' },
  users: { class: 'reference', why: 'people and systems, read by authorization and task assignment' },
  substitutions: { class: 'reference', why: 'absence windows (代理), read when a command opens a task for someone; set rarely' },
  calendars: { class: 'reference', why: 'working calendars, read by every deadline' },
  calendar_years: { class: 'reference', why: 'a calendar’s years of official data, imported once a year' },
  service_items: { class: 'reference', why: 'the catalogue in force, read by every start' },
  service_item_versions: { class: 'reference', why: 'the catalogue’s history and drafts, pinned by cases' },
  process_definitions: { class: 'reference', why: 'published definitions, read by every command' },
  definition_drafts: { class: 'reference', why: 'a designer’s drafts: few, small, never read by commands' },
  licence_types: { class: 'reference', why: 'what a licence type is called and how long it lasts' },
  signing_keys: { class: 'reference', why: 'public keys licences are verified with' },
  api_keys: { class: 'reference', why: 'department systems’ keys, read by every machine request, made rarely' },
  webhook_subscriptions: { class: 'reference', why: 'a few per department, read by the workers for every notification' },

  licence_numbers: {
    class: 'not-case-owned',
    why: 'keeps licence numbers unique across every case, which a table sharded by case cannot',
    underCitus: 'distributed by `number`: the command issuing a licence (once per case) is a two-shard transaction',
  },
  idempotency_keys: {
    class: 'not-case-owned',
    why: 'a caller’s answers by its key, looked up before the case is known',
    underCitus: 'distributed by `principal`: a command sent with an Idempotency-Key writes its answer on a second shard',
  },
  outbox: {
    class: 'not-case-owned',
    why: 'the relay’s queue, drained in id order across every case (FOR UPDATE SKIP LOCKED)',
    underCitus: 'local to the coordinator, or one per worker node with a relay each; a command scheduling a timer due soon writes one row',
  },
  supervision_counts: {
    class: 'not-case-owned',
    why: 'counters per department and service item, kept by triggers on cases and tasks in every command',
    underCitus: 'kept asynchronously from the case shards (e.g. from the outbox): triggers on a distributed table may write only their own shard’s rows',
  },
  supervision_weeks: {
    class: 'not-case-owned',
    why: 'weekly counters per department, kept by the same triggers',
    underCitus: 'as supervision_counts',
  },
  material_blobs: {
    class: 'not-case-owned',
    why: 'an upload exists before its case (staged, `case_id` null); a start attaches it',
    underCitus: 'distributed by `id`, colocated with material_blob_chunks: a start with uploads is a two-shard transaction',
  },
  material_blob_chunks: {
    class: 'not-case-owned',
    why: 'an upload’s bytes, by its blob',
    underCitus: 'distributed by `blob_id`, colocated with material_blobs',
  },
  webhook_deliveries: {
    class: 'not-case-owned',
    why: 'one event for one subscription, written and retried by the workers, never by a command (`case_id` is null for events outside a case)',
    underCitus: 'distributed by `id`, its primary key (a claim of due deliveries then runs per shard)',
  },
  rate_limit_windows: {
    class: 'not-case-owned',
    why: 'request counters per caller and action',
    underCitus: 'distributed by `principal`',
  },
  security_events: {
    class: 'not-case-owned',
    why: 'one hash chain of what happens outside cases, appended in turn',
    underCitus: 'local to the coordinator with security_chain_head: appends are serial by design',
  },
  security_chain_head: {
    class: 'not-case-owned',
    why: 'the security chain’s one head row',
    underCitus: 'local to the coordinator, as security_events',
  },
  definition_migrations: {
    class: 'not-case-owned',
    why: 'a batch moving many cases between definition versions; each case moved is its own command',
    underCitus: 'local to the coordinator (few rows)',
  },
} as const satisfies Record<string, TableDistribution>;
