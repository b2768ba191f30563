import { and, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import { caseVisibleTo } from './case-visibility.js';
import type { Sql } from './connection.js';
import { cases, materialBlobs, materials } from './schema/index.js';
import type { BlobLocation } from './material-storage.js';

/** A staged or attached upload, as an attaching command needs to check it. */
export interface UploadRecord {
  readonly id: string;
  readonly uploadedBy: string;
  readonly caseId: string | null;
  readonly scanStatus: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/** The uploads a command names, by id (`material_blobs` primary key); those that do not exist are left out. */
export async function findUploads(sql: Sql, blobIds: readonly string[]): Promise<UploadRecord[]> {
  if (blobIds.length === 0) return [];
  const rows = await sql<{ id: string; uploaded_by: string; case_id: string | null; scan_status: string; sha256: string; size_bytes: string; content_type: string }[]>`
    select id, uploaded_by, case_id, scan_status, sha256, size_bytes, content_type from material_blobs where id = any(${blobIds as string[]}::uuid[])`;
  return rows.map((r) => ({ id: r.id, uploadedBy: r.uploaded_by, caseId: r.case_id, scanStatus: r.scan_status, sha256: r.sha256, sizeBytes: Number(r.size_bytes), contentType: r.content_type }));
}

/** A material's file as a download sends it. */
export interface MaterialFile extends BlobLocation {
  readonly fileName: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * The file of one material of a case the actor may read (`caseVisibleTo`: a case they do not take part in is not
 * found), by the material's id; null for no such case or material, or a material recorded without a file. Whether
 * the actor's department sees that material is the engine's to decide (`material.read`).
 */
export async function findMaterialFile(sql: Sql, actor: Actor, caseId: string, materialId: string): Promise<MaterialFile | null> {
  const [row] = await drizzle(sql)
    .select({
      id: materialBlobs.id,
      storage: materialBlobs.storage,
      storageKey: materialBlobs.storageKey,
      fileName: materialBlobs.fileName,
      contentType: materialBlobs.contentType,
      sha256: materialBlobs.sha256,
      sizeBytes: materialBlobs.sizeBytes,
    })
    .from(materials)
    .innerJoin(cases, eq(cases.id, materials.caseId))
    .innerJoin(materialBlobs, and(eq(materialBlobs.id, materials.blobId), eq(materialBlobs.caseId, materials.caseId)))
    .where(and(eq(materials.id, materialId), eq(materials.caseId, caseId), caseVisibleTo(actor)));
  return row ?? null;
}

/** How long an upload waits to be attached before it is purged (a start or a supplement attaches it the same day). */
export const STAGED_UPLOAD_RETENTION_MS = 24 * 3_600_000;

/**
 * Deletes up to `limit` uploads never attached and staged before `before`, oldest first, with their chunks
 * (`material_blobs_staged_idx`); answers where their bytes were, for those kept outside PostgreSQL to be deleted
 * there too (`MaterialStorage.forget`). Rows another purge holds are skipped; an upload a command attaches meanwhile
 * has its case set, and stays.
 */
export async function purgeStagedUploads(sql: Sql, before: Date, limit: number): Promise<BlobLocation[]> {
  const rows = await sql<{ id: string; storage: string; storage_key: string | null }[]>`
    with purged as (
      delete from material_blobs where id in (
        select id from material_blobs where case_id is null and uploaded_at < ${before.toISOString()}
        order by uploaded_at limit ${limit} for update skip locked)
      returning id, storage, storage_key),
    chunks as (delete from material_blob_chunks where blob_id in (select id from purged))
    select id, storage, storage_key from purged`;
  return rows.map((r) => ({ id: r.id, storage: r.storage, storageKey: r.storage_key }));
}

/** The service item version a case the actor may read was started under (what its materials are named after); null when not visible. */
export async function findCaseServiceItem(sql: Sql, actor: Actor, caseId: string): Promise<{ code: string; version: number } | null> {
  const [row] = await drizzle(sql)
    .select({ code: cases.serviceItemCode, version: cases.serviceItemVersion })
    .from(cases)
    .where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  return row ?? null;
}
