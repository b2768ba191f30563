import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_PERMIT_MATERIALS } from '../../workflows/construction-permit.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { expectRefused } from '../support/case-footprint.js';
import { pdfOf, uploadedMaterial, uploadMaterial } from '../support/material-uploads.js';

/**
 * Material files through the HTTP API on real PostgreSQL: uploaded once (limits, types by their leading bytes, the
 * scan hook), attached at intake and on supplement (each supplement the next version), downloaded — audited — by
 * every department whose review needs them, and by no other.
 */
const { form, planningPermit, contract, drawings } = CONSTRUCTION_PERMIT_MATERIALS;
const MAX_BYTES = 3 * 1024 * 1024;
/** A scanner as a deployment configures one (`clamdscan --no-summary -`): this one flags the EICAR test string. */
const EICAR_SCANNER = "if grep -aq 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE'; then exit 1; else exit 0; fi";
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let f: ApiFixture;
const driver = caseDriver(() => f);
const saved = { max: process.env['TONGBAN_MATERIAL_MAX_BYTES'], scan: process.env['TONGBAN_MATERIAL_SCAN_COMMAND'] };
beforeAll(async () => {
  process.env['TONGBAN_MATERIAL_MAX_BYTES'] = String(MAX_BYTES);
  process.env['TONGBAN_MATERIAL_SCAN_COMMAND'] = EICAR_SCANNER;
  f = await createApiFixture();
});
afterAll(async () => {
  for (const [name, value] of [['TONGBAN_MATERIAL_MAX_BYTES', saved.max], ['TONGBAN_MATERIAL_SCAN_COMMAND', saved.scan]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await f.close();
});

const upload = (user: string, bytes: Buffer, fileName: string, type = '') => uploadMaterial(f, user, bytes, fileName, type);
const uploaded = (user: string, bytes: Buffer, fileName: string) => uploadedMaterial(f, user, bytes, fileName);

async function download(user: string, caseId: string, materialId: string) {
  const res = await f.app.request(`/api/cases/${caseId}/materials/${materialId}/content`, { headers: { authorization: `Bearer ${await f.token(user)}` } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A download answered as the other requests are (a refusal's problem+json parsed). */
async function downloadAnswer(user: string, caseId: string, materialId: string): Promise<Answer> {
  const { res, bytes } = await download(user, caseId, materialId);
  const contentType = res.headers.get('content-type');
  return { status: res.status, body: contentType?.includes('json') ? JSON.parse(bytes.toString()) : bytes, contentType };
}

const materialsSeenBy = async (user: string, caseId: string) => {
  const res = await f.as(user).get(`/api/cases/${caseId}`);
  expect(res.status).toBe(200);
  return res.body.materials as { id: string; name: string; version: number; visibleTo: string[]; hasFile: boolean; contentType: string | null }[];
};

/** The window returns the application to the applicant for the drawings (补正, 一次性告知). */
async function returnForDrawings(caseId: string): Promise<void> {
  const taskId = await driver.openTask('window.clerk', 'acceptance', caseId);
  const res = await f.as('window.clerk').post(`/api/tasks/${taskId}/complete`, {
    outcome: 'return',
    opinion: { text: '图纸缺页 Drawings incomplete' },
    supplementRequest: { materials: [{ name: drawings, reason: '缺少第3页 Page 3 missing' }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const blobCount = async () => Number((await f.sql`select count(*)::int as n from material_blobs`)[0]?.['n']);
const readsOf = async (caseId: string) => Number((await f.sql`select count(*)::int as n from audit_events where case_id = ${caseId} and type = 'material.read'`)[0]?.['n']);

describe('an applicant submits a material once and every department that needs it sees it', () => {
  const files = { form: pdfOf('申请表', 10), drawings: Buffer.concat([PNG, Buffer.alloc(2.5 * 1024 * 1024, 7)]), contract: pdfOf('施工合同') };
  let caseId: string;

  beforeAll(async () => {
    const start = await f.as('window.clerk').post('/api/cases', {
      ...CONSTRUCTION_APPLICATION,
      materials: [
        { name: form, blobId: await uploaded('window.clerk', files.form, '申请表.pdf') },
        { name: drawings, blobId: await uploaded('window.clerk', files.drawings, 'drawings.png') },
        { name: contract, blobId: await uploaded('window.clerk', files.contract, 'contract.pdf') },
        // Recorded on paper, without a file.
        { name: planningPermit, sha256: 'b'.repeat(64), sizeBytes: 2048 },
      ],
    });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    caseId = start.body.caseId;
    await driver.complete('window.clerk', 'acceptance', caseId);
  });

  it('each department sees what its review needs, the lead, the window and supervisors every material, each with who sees it', async () => {
    const names = async (user: string) => (await materialsSeenBy(user, caseId)).map((m) => m.name).sort();
    expect(await names('fire.handler')).toEqual([form, drawings].sort());
    expect(await names('planning.handler')).toEqual([form, planningPermit, drawings].sort());
    for (const user of ['housing.lead', 'window.clerk', 'supervisor']) expect(await names(user)).toEqual([form, planningPermit, contract, drawings].sort());
    const all = await materialsSeenBy('housing.lead', caseId);
    const seenBy = Object.fromEntries(all.map((m) => [m.name, m.visibleTo]));
    expect(seenBy[contract]).toEqual(['housing', 'window']);
    expect(seenBy[planningPermit]).toEqual(['housing', 'planning', 'window']);
    expect(seenBy[drawings]).toEqual(['civil-air-defence', 'ecology', 'fire', 'housing', 'planning', 'water', 'window']);
    expect(all.find((m) => m.name === drawings)).toMatchObject({ version: 1, hasFile: true, contentType: 'image/png' });
    expect(all.find((m) => m.name === planningPermit)).toMatchObject({ hasFile: false, contentType: null });
  });

  it('a department that needs the drawings downloads them, in chunks as stored, and the read is audited without changing the case version', async () => {
    const material = (await materialsSeenBy('fire.handler', caseId)).find((m) => m.name === drawings)!;
    const before = await f.as('supervisor').get(`/api/cases/${caseId}`);
    const { res, bytes } = await download('fire.handler', caseId, material.id);
    expect(res.status).toBe(200);
    expect(bytes.equals(files.drawings)).toBe(true);
    expect(Object.fromEntries(['content-type', 'etag', 'content-disposition'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'content-type': 'image/png',
      etag: `"${sha256(files.drawings)}"`,
      'content-disposition': `attachment; filename="drawings.png"; filename*=UTF-8''drawings.png`,
    });
    const [chunks] = await f.sql`select count(*)::int as n from material_blob_chunks c join materials m on m.blob_id = c.blob_id where m.id = ${material.id}`;
    expect(chunks?.['n']).toBe(3);
    const after = await f.as('supervisor').get(`/api/cases/${caseId}`);
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.timeline.at(-1)).toMatchObject({ type: 'material.read', actorId: 'fire.handler', data: { materialId: material.id, name: drawings, version: 1 } });
    // A Chinese file name is sent in full (RFC 5987), and as ASCII for older clients.
    const formMaterial = (await materialsSeenBy('fire.handler', caseId)).find((m) => m.name === form)!;
    const named = await download('fire.handler', caseId, formMaterial.id);
    expect(named.res.headers.get('content-disposition')).toBe(`attachment; filename="___.pdf"; filename*=UTF-8''${encodeURIComponent('申请表.pdf')}`);
  });

  it('a download by a department that may not see the material is refused as not found, and audits nothing', async () => {
    const hidden = (await materialsSeenBy('housing.lead', caseId)).find((m) => m.name === contract)!;
    const reads = await readsOf(caseId);
    // Fire takes part in the case, but its review does not need the contract.
    await expectRefused(f, caseId, () => downloadAnswer('fire.handler', caseId, hidden.id), 404, 'TB-MATERIAL-404');
    // Market regulation takes no part in the case at all; a material recorded without a file has nothing to send.
    await expectRefused(f, caseId, () => downloadAnswer('market.handler', caseId, hidden.id), 404, 'TB-MATERIAL-404');
    const paper = (await materialsSeenBy('housing.lead', caseId)).find((m) => m.name === planningPermit)!;
    await expectRefused(f, caseId, () => downloadAnswer('housing.lead', caseId, paper.id), 404, 'TB-MATERIAL-404');
    expect(await readsOf(caseId)).toBe(reads);
  });

  it('the timeline names to each department only the materials it sees: its start, the downloads', async () => {
    const materialNamed = async (name: string) => (await materialsSeenBy('housing.lead', caseId)).find((m) => m.name === name)!;
    expect((await download('ecology.handler', caseId, (await materialNamed(drawings)).id)).res.status).toBe(200);
    expect((await download('housing.lead', caseId, (await materialNamed(contract)).id)).res.status).toBe(200);
    // Market regulation reads the case as a copy's recipient (抄送): the definition gives it no task, so no material.
    const copied = await f.as('housing.lead').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'market' }], note: '请知悉' });
    expect(copied.status, JSON.stringify(copied.body)).toBe(200);
    const timelineOf = async (user: string) => {
      const res = await f.as(user).get(`/api/cases/${caseId}`);
      expect(res.status).toBe(200);
      return res.body.timeline as { type: string; data: Record<string, unknown> }[];
    };
    const naming = (timeline: { type: string; data: Record<string, unknown> }[], name: string) => timeline.filter((e) => JSON.stringify(e.data).includes(name)).map((e) => e.type);

    const byMarket = await timelineOf('market.handler');
    expect(byMarket.map((e) => e.type)).toContain('case.copied');
    for (const name of [form, planningPermit, contract, drawings]) expect(naming(byMarket, name), name).toEqual([]);
    expect(byMarket.find((e) => e.type === 'case.started')?.data['materials']).toEqual([]);

    const byFire = await timelineOf('fire.handler');
    expect(naming(byFire, drawings)).toEqual(expect.arrayContaining(['case.started', 'material.read']));
    expect(byFire.find((e) => e.type === 'case.started')?.data['materials']).toEqual([form, drawings]);
    expect(naming(byFire, contract)).toEqual([]);
    expect(naming(byFire, planningPermit)).toEqual([]);

    // The lead reads every material, and every event naming one.
    const byLead = await timelineOf('housing.lead');
    expect(naming(byLead, contract)).toEqual(['case.started', 'material.read']);
    expect(naming(byLead, planningPermit)).toEqual(['case.started']);
  });
});

describe('uploads', () => {
  it('are refused over the configured size, whatever the body says of it (413), and nothing is kept', async () => {
    const blobs = await blobCount();
    const over = await upload('window.clerk', pdfOf('big', MAX_BYTES), 'big.pdf');
    expect({ status: over.status, code: over.body.code }).toEqual({ status: 413, code: 'TB-UPLOAD-TOO-LARGE' });
    const farOver = await upload('window.clerk', pdfOf('bigger', MAX_BYTES * 2), 'bigger.pdf');
    expect({ status: farOver.status, code: farOver.body.code }).toEqual({ status: 413, code: 'TB-UPLOAD-TOO-LARGE' });
    // The limit comes before anything reads the body, an Idempotency-Key's fingerprint included.
    const body = new FormData();
    body.set('file', new File([pdfOf('bigger', MAX_BYTES * 2)], 'bigger.pdf'));
    const keyed = await f.app.request('/api/materials/uploads', { method: 'POST', headers: { authorization: `Bearer ${await f.token('window.clerk')}`, 'idempotency-key': 'upload-0001' }, body });
    expect({ status: keyed.status, code: ((await keyed.json()) as { code: string }).code }).toEqual({ status: 413, code: 'TB-UPLOAD-TOO-LARGE' });
    expect(await blobCount()).toBe(blobs);
  });

  it('are judged by their leading bytes: other types, and a type claimed that the bytes belie, are refused (422)', async () => {
    const blobs = await blobCount();
    for (const [bytes, name, type] of [
      [Buffer.from('just text'), 'notes.txt', 'text/plain'],
      [Buffer.from('MZ\x90\x00 an executable'), 'form.pdf', 'application/pdf'],
      [PNG, 'scan.pdf', 'application/pdf'],
    ] as const) {
      const res = await upload('window.clerk', bytes, name, type);
      expect({ status: res.status, code: res.body.code }, name).toEqual({ status: 422, code: 'TB-UPLOAD-TYPE' });
    }
    expect(await blobCount()).toBe(blobs);
    const ok = await upload('window.clerk', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]), 'photo.jpg', 'image/jpeg');
    expect(ok.body).toMatchObject({ contentType: 'image/jpeg', sizeBytes: 6, fileName: 'photo.jpg' });
    const ofd = await upload('window.clerk', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('OFD.xml')]), 'licence.ofd');
    expect(ofd.body).toMatchObject({ contentType: 'application/ofd' });
  });

  it('answer their digest and size; a file the scanner flags is refused (422) and nothing is kept', async () => {
    const bytes = pdfOf('clean');
    const ok = await upload('window.clerk', bytes, 'clean.pdf');
    expect(ok).toMatchObject({ status: 201, body: { sha256: sha256(bytes), sizeBytes: bytes.length, contentType: 'application/pdf', fileName: 'clean.pdf' } });
    const blobs = await blobCount();
    const infected = await upload('window.clerk', pdfOf(EICAR), 'infected.pdf');
    expect({ status: infected.status, code: infected.body.code }).toEqual({ status: 422, code: 'TB-UPLOAD-INFECTED' });
    expect(await blobCount()).toBe(blobs);
  });

  it('without a file (400), or not as a form (415), are refused, and nothing is kept', async () => {
    const blobs = await blobCount();
    const headers = { authorization: `Bearer ${await f.token('window.clerk')}` };
    const form = new FormData();
    form.set('note', 'no file');
    const noFile = await f.app.request('/api/materials/uploads', { method: 'POST', headers, body: form });
    const problem = (await noFile.json()) as { code: string; errors: { path: string }[] };
    expect({ status: noFile.status, code: problem.code, paths: problem.errors.map((e) => e.path) }).toEqual({ status: 400, code: 'TB-VALIDATION', paths: ['file'] });
    const json = await f.as('window.clerk').post('/api/materials/uploads', { file: 'x' });
    expect({ status: json.status, code: json.body.code }).toEqual({ status: 415, code: 'TB-HTTP-415' });
    expect(await blobCount()).toBe(blobs);
  });

  it('are for those who start cases or submit supplements: a designer may not upload (403)', async () => {
    const res = await upload('designer', pdfOf('x'), 'x.pdf');
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'TB-PERMISSION' });
  });
});

describe('attaching uploads', () => {
  it('an upload attached twice, another person’s, an unknown one, a name the item does not list: each refused, nothing changed', async () => {
    const mine = await uploaded('window.clerk', pdfOf('申请表'), 'form.pdf');
    const caseId = await driver.start({ ...CONSTRUCTION_APPLICATION, materials: [{ name: form, blobId: mine }] });
    const cases = async () => Number((await f.sql`select count(*)::int as n from cases`)[0]?.['n']);
    const count = await cases();
    const again = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: form, blobId: mine }] });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'TB-UPLOAD-ATTACHED' });
    const theirs = await uploaded('housing.handler', pdfOf('施工合同'), 'contract.pdf');
    const stolen = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: contract, blobId: theirs }] });
    expect({ status: stolen.status, code: stolen.body.code }).toEqual({ status: 404, code: 'TB-UPLOAD-404' });
    const unknown = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: form, blobId: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknown.body.code).toBe('TB-UPLOAD-404');
    const fresh = await uploaded('window.clerk', pdfOf('x'), 'x.pdf');
    const unlisted = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: '身份证 ID card', blobId: fresh }] });
    expect({ status: unlisted.status, code: unlisted.body.code, path: unlisted.body.errors?.[0]?.path }).toEqual({ status: 422, code: 'TB-COMMAND-INVALID', path: 'materials.0.name' });
    const twice = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [{ name: form, blobId: fresh }, { name: drawings, blobId: fresh }] });
    expect({ status: twice.status, path: twice.body.errors?.[0]?.path }).toEqual({ status: 422, path: 'materials.1.blobId' });
    expect(await cases()).toBe(count);
    const [attached] = await f.sql`select case_id from material_blobs where id = ${fresh}`;
    expect(attached?.['case_id']).toBeNull();
    // On a supplement too: the case does not change.
    await returnForDrawings(caseId);
    await expectRefused(f, caseId, () => f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: [{ name: drawings, blobId: mine }] }), 409, 'TB-UPLOAD-ATTACHED');
    await expectRefused(f, caseId, () => f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: [{ name: drawings, blobId: theirs }] }), 404, 'TB-UPLOAD-404');
  });

  it('a supplement’s material of the same name is its next version; every version stays, and each downloads', async () => {
    const first = pdfOf('图纸 v1');
    const caseId = await driver.start({ ...CONSTRUCTION_APPLICATION, materials: [{ name: drawings, blobId: await uploaded('window.clerk', first, 'drawings-v1.pdf') }] });
    await returnForDrawings(caseId);
    const second = pdfOf('图纸 v2');
    const supplied = await f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: [{ name: drawings, blobId: await uploaded('window.clerk', second, 'drawings-v2.pdf') }] });
    expect(supplied.status, JSON.stringify(supplied.body)).toBe(200);
    await driver.complete('window.clerk', 'acceptance', caseId);
    const versions = (await materialsSeenBy('ecology.handler', caseId)).filter((m) => m.name === drawings);
    expect(versions.map((m) => m.version)).toEqual([1, 2]);
    for (const [m, bytes] of [[versions[0]!, first], [versions[1]!, second]] as const) expect((await download('ecology.handler', caseId, m.id)).bytes.equals(bytes)).toBe(true);
  });
});
