import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createHash, randomUUID } from 'node:crypto';
import { MaterialNotFoundError, UploadRefusedError, UploadTooLargeError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import { CHUNK_BYTES } from '../../db/material-storage.js';
import type { ApiDeps } from '../api-deps.js';
import { limitBody } from '../body-limit.js';
import type { IdempotentEnv } from '../idempotency.js';
import { HEAD_BYTES, MATERIAL_TYPES, materialType } from '../material-types.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** The upload route's path under `/api`: the JSON body limit does not apply to it (its own, the configured size, does). */
export const MATERIAL_UPLOAD_PATH = '/materials/uploads';

/** Room for a multipart body's boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const Upload = z
  .object({
    blobId: z.string().openapi({ description: 'Name it as `{ name, blobId }` in a start (`POST /api/cases`) or a supplement to attach it; unattached, it is purged after a day.' }),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    contentType: z.enum(MATERIAL_TYPES.map((t) => t.contentType)),
    fileName: z.string(),
  })
  .openapi('MaterialUpload');

const UploadForm = z.object({
  file: z.instanceof(File, { message: 'must be a file' }).openapi({ type: 'string', format: 'binary', description: 'The file: PDF, OFD, JPEG or PNG (judged by its leading bytes).' }),
});

const upload = protectedRoute('material.upload', {
  method: 'post',
  path: MATERIAL_UPLOAD_PATH,
  summary: "Upload a material's file (材料上传), to attach at intake or to a supplement",
  description:
    'One file per request, as `multipart/form-data` field `file`, up to the configured size (`TONGBAN_MATERIAL_MAX_BYTES`, 20 MiB by default: 413 `TB-UPLOAD-TOO-LARGE`). ' +
    'Its type is judged by its leading bytes (422 `TB-UPLOAD-TYPE` outside PDF, OFD, JPEG and PNG, or when they belie the type claimed); it is scanned (422 `TB-UPLOAD-INFECTED`: nothing is kept). ' +
    'The file is yours alone until a start or a supplement of yours attaches it.',
  request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } } },
  responses: { 201: { description: 'Kept, waiting to be attached', ...json(Upload) } },
});

const MaterialParams = z.object({
  caseId: Uuid.openapi({ param: { name: 'caseId', in: 'path' } }),
  materialId: Uuid.openapi({ param: { name: 'materialId', in: 'path' } }),
});

const download = protectedRoute('case.material.read', {
  method: 'get',
  path: '/cases/{caseId}/materials/{materialId}/content',
  summary: "Download a material's file (材料下载), audited",
  description:
    "For a reader of the case whose department sees the material (the definition's tasks name what each department's review needs; the lead and intake departments and supervisors see all). " +
    'The read is appended to the case audit chain (`material.read`) before the file is sent; the case version does not change. A material you do not see, or recorded without a file, is not found (404 `TB-MATERIAL-404`) and nothing is written. ' +
    'ETag is the file\'s sha256.',
  request: { params: MaterialParams },
  responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any().openapi({ type: 'string', format: 'binary' }) } } } },
});

/**
 * The upload route's own body limit, in place of the JSON one: the configured size and room for the form around the
 * file. Registered before authentication, as the JSON limit is, so that nothing reads a body past it.
 */
export function limitUpload(maxBytes: number): MiddlewareHandler {
  const { code, message } = new UploadTooLargeError(maxBytes);
  return limitBody({ maxBytes: maxBytes + MULTIPART_OVERHEAD_BYTES, code, detail: message });
}

/** Material files: uploaded once (checked, scanned, kept), attached by a command, downloaded by whoever needs them. */
export function materialRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  const { maxBytes } = deps.materials;

  app.openapi(upload, async (c) => {
    const { file } = c.req.valid('form');
    const { chunks, sha256, sizeBytes } = await readChunks(file);
    if (sizeBytes > maxBytes) throw new UploadTooLargeError(maxBytes);
    // The first chunk (1 MiB, or the whole of a smaller file) holds the leading bytes.
    const contentType = materialType((chunks[0] ?? Buffer.alloc(0)).subarray(0, HEAD_BYTES), file.type);
    if (!contentType) {
      throw new UploadRefusedError('TB-UPLOAD-TYPE', `The file is not one of ${MATERIAL_TYPES.map((t) => t.contentType).join(', ')} by its leading bytes, or they belie the type claimed (${file.type || 'none'}).`);
    }
    if ((await deps.materials.scanner.scan(chunks)) !== 'clean') throw new UploadRefusedError('TB-UPLOAD-INFECTED', 'The scanner flagged the file: it is refused and nothing is kept.');
    const blob = { id: randomUUID(), sha256, sizeBytes, contentType, fileName: fileNameOf(file.name), uploadedBy: c.get('actor').userId, uploadedAt: deps.clock.now() };
    await deps.materials.storage.keep(blob, chunks);
    return c.json({ blobId: blob.id, sha256, sizeBytes, contentType, fileName: blob.fileName }, 201);
  });

  app.openapi(download, async (c) => {
    const { caseId: id, materialId } = c.req.valid('param');
    const actor = c.get('actor');
    const file = await deps.queries.findMaterialFile(actor, id, materialId);
    if (!file) throw new MaterialNotFoundError(id, materialId);
    await deps.engine.execute({ type: 'material.read', actor, caseId: caseId(id), materialId });
    const bytes = deps.materials.storage.read(file)[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await bytes.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      },
    });
    return c.body(body, 200, {
      'content-type': file.contentType,
      'content-length': String(file.sizeBytes),
      'content-disposition': contentDisposition(file.fileName),
      etag: `"${file.sha256}"`,
      'cache-control': 'private, no-store',
    });
  });
}

/** The file in chunks of at most 1 MiB (as they are stored), its sha256 computed as it is read. */
async function readChunks(file: File): Promise<{ chunks: Buffer[]; sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let sizeBytes = 0;
  for await (const part of file.stream() as unknown as AsyncIterable<Uint8Array>) {
    hash.update(part);
    sizeBytes += part.byteLength;
    pending.push(Buffer.from(part));
    pendingBytes += part.byteLength;
    while (pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(pending);
      chunks.push(all.subarray(0, CHUNK_BYTES));
      pending = [all.subarray(CHUNK_BYTES)];
      pendingBytes = all.byteLength - CHUNK_BYTES;
    }
  }
  if (pendingBytes > 0) chunks.push(Buffer.concat(pending));
  return { chunks, sha256: hash.digest('hex'), sizeBytes };
}

/** The name the file is kept under: its last path segment, without control characters, at most 200 characters. */
function fileNameOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'material';
}

/** `attachment` with the name as ASCII for old clients and in full (RFC 5987) for the rest. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
