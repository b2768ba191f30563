import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { casePartKey } from './case-part-key.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A material named in a supplement request (补正告知): which one, and what is wrong with it. */
export interface RequestedMaterial {
  readonly name: string;
  readonly reason: string;
}

/**
 * The bytes of an uploaded file (材料文件), stored before any command names them: an upload is checked (size,
 * type, sha256, the scan hook) and kept here; a start or a supplement then attaches it to the case's material
 * (`materials.blob_id`), and only then does anyone but its uploader read it. `storage` says where the bytes are:
 * `pg` (in `material_blob_chunks`, the default) or `s3` (an S3-compatible store, `storage_key` its object key).
 * `scan_status`: `clean`, `infected` (refused, never attached) or `pending` (no scanner answered yet).
 */
export const materialBlobs = pgTable(
  'material_blobs',
  {
    id: uuid('id').primaryKey(),
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    fileName: text('file_name').notNull(),
    storage: text('storage').notNull(),
    storageKey: text('storage_key'),
    scanStatus: text('scan_status').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    uploadedAt: instant('uploaded_at').notNull(),
    /** The case it was attached to; null while staged (a staged blob older than a day is purged). */
    caseId: uuid('case_id'),
  },
  (t) => [index('material_blobs_staged_idx').on(t.uploadedAt).where(sql`${t.caseId} is null`)],
);

/** A blob's bytes in PostgreSQL, in chunks of at most 1 MiB (a bytea row stays small enough to stream). */
export const materialBlobChunks = pgTable(
  'material_blob_chunks',
  {
    blobId: uuid('blob_id').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.blobId, t.seq] })],
);

/**
 * Supplement requests (补正告知): what the intake window told the applicant was missing or defective, all at once
 * (一次性告知). A later request for the same case may name only what an earlier one named, or a material the
 * applicant changed since.
 */
export const supplementRequests = pgTable(
  'supplement_requests',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    taskId: uuid('task_id').notNull(),
    materials: jsonb('materials').$type<RequestedMaterial[]>().notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: instant('requested_at').notNull(),
    /** When the applicant's supplement answered it; null while awaited. */
    answeredAt: instant('answered_at'),
  },
  (t) => [casePartKey(t), index('supplement_requests_case_idx').on(t.caseId, t.requestedAt)],
);
