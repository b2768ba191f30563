import type { Actor } from '../engine/access/actor.js';
import type { MaterialInput } from '../engine/case-command.js';
import { InvalidCommandError, UploadAttachedError, UploadNotFoundError } from '../engine/errors.js';
import type { ServiceItem } from '../engine/service-item.js';
import type { ApiQueries } from '../db/api-queries.js';

/** A material as a start or a supplement names it: an upload to attach, or one recorded without a file. */
export type NamedMaterial = { readonly name: string; readonly blobId: string } | { readonly name: string; readonly sha256: string; readonly sizeBytes: number };

/**
 * The materials of a start or a supplement as the engine takes them (`MaterialInput`): each named as the service item
 * lists it (a name it does not list is refused: 422 on `materials.<i>.name`), an upload read for its digest, size and
 * type. An upload must be the caller's own, staged and clean (else 404 `TB-UPLOAD-404`), not attached already (409
 * `TB-UPLOAD-ATTACHED`), and named once. The commit attaches it (`material.add`); nothing is written before.
 * `positions`: where each of `named` stands in the request's `materials` (when others, such as licences reused, were
 * taken out before), so that a refusal names the entry the caller sent.
 */
export async function materialInputs(
  queries: Pick<ApiQueries, 'findUploads'>,
  actor: Actor,
  item: Pick<ServiceItem, 'code' | 'materials'>,
  named: readonly NamedMaterial[],
  positions: readonly number[] = named.map((_, i) => i),
): Promise<MaterialInput[]> {
  const listed = new Set(item.materials.map((m) => m.name));
  const at = (i: number) => positions[i] ?? i;
  named.forEach((m, i) => {
    if (!listed.has(m.name)) {
      throw new InvalidCommandError(`Service item ${item.code} lists no material ${m.name}: its materials are ${[...listed].join('; ')}.`, ['materials', at(i), 'name']);
    }
  });
  const blobIds = named.flatMap((m) => ('blobId' in m ? [m.blobId] : []));
  blobIds.forEach((id, i) => {
    if (blobIds.indexOf(id) !== i) throw new InvalidCommandError(`Upload ${id} is named twice: a file is one material.`, ['materials', at(named.findLastIndex((m) => 'blobId' in m && m.blobId === id)), 'blobId']);
  });
  const uploads = new Map((await queries.findUploads(blobIds)).map((u) => [u.id, u]));
  return named.map((m) => {
    if (!('blobId' in m)) return m;
    const upload = uploads.get(m.blobId);
    if (!upload || upload.uploadedBy !== actor.userId || upload.scanStatus !== 'clean') throw new UploadNotFoundError(m.blobId);
    if (upload.caseId !== null) throw new UploadAttachedError(m.blobId);
    return { name: m.name, blobId: upload.id, sha256: upload.sha256, sizeBytes: upload.sizeBytes, contentType: upload.contentType };
  });
}
