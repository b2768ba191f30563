import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialStorage } from '../../db/material-storage.js';
import { s3ObjectStore } from '../../db/s3-material-store.js';
import { systemClock } from '../../platform/system-clock.js';
import { RetentionPurge } from '../../workers/retention-purge.js';
import { CONSTRUCTION_PERMIT_MATERIALS } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION } from '../support/case-driver.js';
import { pdfOf, uploadedMaterial } from '../support/material-uploads.js';
import { startS3Server } from '../support/s3-server.js';

/**
 * Material files in an S3-compatible store (a real one: s3rver) when one is configured: uploaded as objects, their
 * rows in PostgreSQL naming them, downloaded from there, and deleted there when an upload is purged unattached.
 */
const S3_ENV = ['TONGBAN_S3_ENDPOINT', 'TONGBAN_S3_BUCKET', 'TONGBAN_S3_REGION', 'TONGBAN_S3_ACCESS_KEY_ID', 'TONGBAN_S3_SECRET_ACCESS_KEY'] as const;

let f: ApiFixture;
let s3: Awaited<ReturnType<typeof startS3Server>>;
const saved = Object.fromEntries(S3_ENV.map((name) => [name, process.env[name]]));
beforeAll(async () => {
  s3 = await startS3Server('tongban-materials');
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = s3.config;
  Object.assign(process.env, { TONGBAN_S3_ENDPOINT: endpoint, TONGBAN_S3_BUCKET: bucket, TONGBAN_S3_REGION: region, TONGBAN_S3_ACCESS_KEY_ID: accessKeyId, TONGBAN_S3_SECRET_ACCESS_KEY: secretAccessKey });
  f = await createApiFixture();
});
afterAll(async () => {
  for (const name of S3_ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await f.close();
  await s3.close();
});

const objects = () => s3ObjectStore(s3.config);
async function objectBytes(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of objects().get(key)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('material files in an S3-compatible store', () => {
  it('an upload is kept as an object, attached at intake, and downloads from the store', async () => {
    const bytes = pdfOf('申请表', 1024 * 1024 + 10);
    const blobId = await uploadedMaterial(f, 'window.clerk', bytes, 'form.pdf');
    const [row] = await f.sql`select storage, storage_key from material_blobs where id = ${blobId}`;
    expect(row).toEqual({ storage: 's3', storage_key: `materials/${blobId}` });
    expect((await f.sql`select count(*)::int as n from material_blob_chunks where blob_id = ${blobId}`)[0]?.['n']).toBe(0);
    expect((await objectBytes(`materials/${blobId}`)).equals(bytes)).toBe(true);

    const started = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: CONSTRUCTION_PERMIT_MATERIALS.form, blobId }] });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const [material] = (await f.as('housing.lead').get(`/api/cases/${started.body.caseId}`)).body.materials;
    const res = await f.app.request(`/api/cases/${started.body.caseId}/materials/${material.id}/content`, { headers: { authorization: `Bearer ${await f.token('housing.lead')}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('an upload never attached is purged after a day, its object with it', async () => {
    const blobId = await uploadedMaterial(f, 'window.clerk', pdfOf('never attached'), 'stale.pdf');
    await f.sql`update material_blobs set uploaded_at = now() - interval '25 hours' where id = ${blobId}`;
    const purge = new RetentionPurge({ sql: f.sql, clock: systemClock, logger: { log: () => {} }, materials: materialStorage(f.sql, objects()) });
    expect((await purge.purge()).stagedUploads).toBe(1);
    expect(await f.sql`select id from material_blobs where id = ${blobId}`).toHaveLength(0);
    await expect(objectBytes(`materials/${blobId}`)).rejects.toThrow(/NoSuchKey|does not exist/);
  });
});
