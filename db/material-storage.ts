import type { Sql } from './connection.js';
import type { Queryable } from './delivery-queries.js';

/** 1 MiB: a chunk row stays small enough to write and stream without holding a whole file in one value. */
export const CHUNK_BYTES = 1024 * 1024;

/** An uploaded file as checked (type, digest, scan), before it is kept; the uploader's alone until a command attaches it. */
export interface StagedBlob {
  readonly id: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly contentType: string;
  readonly fileName: string;
  readonly uploadedBy: string;
  readonly uploadedAt: Date;
}

/** Where a kept file's bytes are: `storage` and its `storageKey` as `material_blobs` records them. */
export interface BlobLocation {
  readonly id: string;
  readonly storage: string;
  readonly storageKey: string | null;
}

/**
 * Where material files (材料文件) are kept: the port the API uploads to and downloads from, and the purge deletes
 * from. Every file has its `material_blobs` row in PostgreSQL; its bytes are in `material_blob_chunks` (`pg`) or an
 * object of an S3-compatible store (`s3`, `storage_key` its key), as the row says.
 */
export interface MaterialStorage {
  /** Keeps the file: its bytes, then its `material_blobs` row (scan status `clean`). */
  keep(blob: StagedBlob, chunks: readonly Buffer[]): Promise<void>;
  /** The file's bytes in order, one chunk at a time. */
  read(blob: BlobLocation): AsyncIterable<Buffer>;
  /** Deletes the bytes kept outside PostgreSQL of blobs whose rows were purged (the rows' chunks go with them). */
  forget(blobs: readonly BlobLocation[]): Promise<void>;
}

/** Where the bytes kept outside PostgreSQL are: an S3-compatible store's objects (`s3-material-store.ts`). */
export interface ObjectStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): AsyncIterable<Buffer>;
  remove(keys: readonly string[]): Promise<void>;
}

/** The object key of a blob's bytes in an object store. */
const objectKey = (blobId: string) => `materials/${blobId}`;

/**
 * The store the configuration names: new files in PostgreSQL (the row and its 1 MiB chunks, one transaction; read
 * back one chunk per query, so a download holds one chunk in memory at a time), or, with `objects`, as objects of
 * the S3-compatible store. Each file is read where its row says, so files kept before a change of store stay readable.
 *
 * @example const storage = materialStorage(sql, s3ObjectStore(config.s3));
 */
export function materialStorage(sql: Sql, objects: ObjectStore | null): MaterialStorage {
  const insertRow = (tx: Queryable, blob: StagedBlob, storage: 'pg' | 's3', key: string | null) =>
    tx`insert into material_blobs (id, sha256, size_bytes, content_type, file_name, storage, storage_key, scan_status, uploaded_by, uploaded_at)
      values (${blob.id}, ${blob.sha256}, ${blob.sizeBytes}, ${blob.contentType}, ${blob.fileName}, ${storage}, ${key}, 'clean', ${blob.uploadedBy}, ${blob.uploadedAt.toISOString()})`;
  const objectsFor = (blob: BlobLocation): ObjectStore => {
    if (!objects) throw new Error(`Material file ${blob.id} is kept in an S3-compatible store, which is not configured.`);
    return objects;
  };
  return {
    async keep(blob, chunks) {
      if (objects) {
        // The object first: a row never names bytes that are not there (a failed insert leaves an object nobody reads).
        await objects.put(objectKey(blob.id), Buffer.concat(chunks), blob.contentType);
        await insertRow(sql, blob, 's3', objectKey(blob.id));
        return;
      }
      await sql.begin(async (tx) => {
        await insertRow(tx, blob, 'pg', null);
        for (const [seq, data] of chunks.entries()) await tx`insert into material_blob_chunks (blob_id, seq, data) values (${blob.id}, ${seq}, ${data})`;
      });
    },
    async *read(blob) {
      if (blob.storage === 's3') {
        yield* objectsFor(blob).get(blob.storageKey ?? objectKey(blob.id));
        return;
      }
      for (let seq = 0; ; seq++) {
        const [row] = await sql<{ data: Buffer }[]>`select data from material_blob_chunks where blob_id = ${blob.id} and seq = ${seq}`;
        if (!row) return;
        yield row.data;
      }
    },
    async forget(blobs) {
      const kept = blobs.filter((b) => b.storage === 's3');
      if (kept.length > 0) await objectsFor(kept[0]!).remove(kept.map((b) => b.storageKey ?? objectKey(b.id)));
    },
  };
}
