import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { insertLicence } from '../support/licence-rows.js';
import { VERIFICATIONS_PER_MINUTE } from '../../api/routes/licences.js';
import { newSm2PrivateKey, sm2Signer } from '../../engine/licences/sm2-signer.js';

/** Electronic licences over HTTP: public verification (valid, expired, revoked, forged, unsigned) and revocation. */

const HOLDER = { name: '上海某科技有限公司', idType: 'uscc', idNumber: '91310000MA1FL1234Q' } as const;

let f: ApiFixture;
const drive = caseDriver(() => f);
let caseId: string;
/** The business licence the case issued. */
let issued: string;
let signature: string;

const verify = (number: string, query = '') => f.as(null).get(`/api/licences/${encodeURIComponent(number)}/verification${query}`);
const revoke = (user: string, number: string, reason = '以欺骗手段取得许可，依法撤销') => f.as(user).post(`/api/licences/${encodeURIComponent(number)}/revocation`, { reason });
const securityEvents = async () => (await f.sql`select count(*)::int as n from security_events`)[0]?.['n'];
const licenceRow = async (number: string) => (await f.sql`select * from licences where number = ${number}`)[0];

beforeAll(async () => {
  f = await createApiFixture();
  caseId = await drive.start({ serviceItemCode: 'business-opening', applicant: HOLDER, materials: [] });
  await drive.complete('market.handler', 'registration', caseId);
  const [row] = await f.sql`select number, signature from licences where case_id = ${caseId}`;
  issued = String(row?.['number']);
  signature = String(row?.['signature']);
});
afterAll(() => f?.close());

describe('anyone verifies a licence, without signing in', () => {
  it('valid: with what a verifier needs, the holder masked', async () => {
    const res = await verify(issued);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      number: issued,
      status: 'valid',
      licence: {
        licenceType: 'bl',
        typeName: '营业执照 Business licence',
        issuingDepartment: { code: 'market' },
        validUntil: null,
        revokedAt: null,
        holder: { name: '上海*****公司', idType: 'uscc', idNumber: '9131**********234Q' },
        algorithm: 'Ed25519',
        keyId: f.licenceSigner.keyId,
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(HOLDER.idNumber);
    expect(JSON.stringify(res.body)).not.toContain(HOLDER.name);
  });

  it('with the signature printed on it: valid when it is its own, forged when not', async () => {
    expect((await verify(issued, `?signature=${signature}`)).body.status).toBe('valid');
    const forged = await verify(issued, `?signature=${signature.slice(1)}A`);
    expect(forged.body).toMatchObject({ status: 'forged', licence: null });
  });

  it('forged: a number nobody issued, or a row changed after it was signed', async () => {
    expect((await verify('BL-20261130-NOWHERE')).body).toMatchObject({ status: 'forged', licence: null });
    const tampered = await insertLicence(f.sql, f.licenceSigner, { caseId, holder: HOLDER }, { title: '营业执照（改）' });
    expect((await verify(tampered)).body).toMatchObject({ status: 'forged', licence: null });
  });

  it('expired after its validity; unsigned when issued before licences were signed', async () => {
    const expired = await insertLicence(f.sql, f.licenceSigner, { caseId, holder: HOLDER, licenceType: 'jy', validFrom: new Date('2015-01-01T00:00:00Z'), validUntil: new Date('2020-01-01T00:00:00Z') });
    expect((await verify(expired)).body).toMatchObject({ status: 'expired', licence: { validUntil: '2020-01-01T00:00:00.000Z', typeName: '食品经营许可证 Food business licence' } });
    const unsigned = await insertLicence(f.sql, null, { caseId, holder: HOLDER });
    expect((await verify(unsigned)).body).toMatchObject({ status: 'unsigned', licence: { algorithm: null, keyId: null } });
  });

  it('valid under an SM2 key (国密) registered beside the Ed25519 one; forged once changed', async () => {
    const sm2 = sm2Signer(newSm2PrivateKey());
    await f.sql`insert into signing_keys (key_id, algorithm, public_key, created_at) values (${sm2.keyId}, ${sm2.algorithm}, ${sm2.publicKey}, now())`;
    const signed = await insertLicence(f.sql, sm2, { caseId, holder: HOLDER });
    expect((await verify(signed)).body).toMatchObject({ status: 'valid', licence: { algorithm: 'SM2-SM3', keyId: sm2.keyId } });
    const sealed = String((await licenceRow(signed))?.['signature']);
    expect((await verify(signed, `?signature=${sealed}`)).body.status).toBe('valid');
    const changed = await insertLicence(f.sql, sm2, { caseId, holder: HOLDER }, { title: '营业执照（改）' });
    expect((await verify(changed)).body.status).toBe('forged');
  });

  it('refuses a number or signature out of shape', async () => {
    expect((await verify(issued, `?signature=${'A'.repeat(201)}`)).status).toBe(400);
  });
});

describe('revocation (吊销/注销): the issuing department’s lead or an administrator, on the security log', () => {
  it('refuses other roles and other departments’ leads; nothing changes', async () => {
    const before = [await licenceRow(issued), await securityEvents()];
    const handler = await revoke('market.handler', issued);
    expect([handler.status, handler.body.code]).toEqual([403, 'TB-PERMISSION']);
    const other = await revoke('fire.lead', issued);
    expect([other.status, other.body.code]).toEqual([403, 'TB-FORBIDDEN']);
    expect((await revoke('market.lead', issued, '短')).status).toBe(400);
    expect([await licenceRow(issued), await securityEvents()]).toEqual(before);
  });

  it('revokes: the licence verifies as revoked, and the security log says who and why', async () => {
    const res = await revoke('market.lead', issued);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.number).toBe(issued);
    const verdict = await verify(issued);
    expect(verdict.body).toMatchObject({ status: 'revoked', licence: { revokedAt: res.body.revokedAt } });
    const [event] = await f.sql`select type, actor_id, data from security_events order by seq desc limit 1`;
    expect(event).toMatchObject({ type: 'licence.revoked', actor_id: 'market.lead', data: { number: issued, caseId, reason: '以欺骗手段取得许可，依法撤销' } });
    const read = await f.as('market.lead').get(`/api/cases/${caseId}`);
    expect(read.body.licences[0]).toMatchObject({ number: issued, revokedAt: res.body.revokedAt, revocationReason: '以欺骗手段取得许可，依法撤销', signed: true });
  });

  it('answers 409 for a licence revoked already, and 404 for a number nobody issued; nothing changes', async () => {
    const before = [await licenceRow(issued), await securityEvents()];
    const again = await revoke('admin', issued);
    expect([again.status, again.body.code]).toEqual([409, 'TB-LICENCE-REVOKED']);
    const unknown = await revoke('admin', 'BL-NOWHERE');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'TB-LICENCE-404']);
    expect([await licenceRow(issued), await securityEvents()]).toEqual(before);
  });

  it('of two revocations at once, one revokes and the other is told it came second; one security event', async () => {
    const number = await insertLicence(f.sql, f.licenceSigner, { caseId, holder: HOLDER });
    const before = await securityEvents();
    const answers = await Promise.all([revoke('market.lead', number), revoke('admin', number)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await securityEvents()).toBe(before + 1);
  });

  it('lets an administrator revoke any department’s licence', async () => {
    const number = await insertLicence(f.sql, f.licenceSigner, { caseId, holder: HOLDER, issuingDepartment: 'fire' });
    expect((await revoke('admin', number)).status).toBe(200);
    expect((await verify(number)).body.status).toBe('revoked');
  });
});

describe('verification is rate limited per client address', () => {
  it(`answers 429 after ${VERIFICATIONS_PER_MINUTE} a minute`, async () => {
    let res = await verify(issued);
    // A window may end midway: twice the limit always crosses one.
    for (let i = 0; res.status === 200 && i < 2 * VERIFICATIONS_PER_MINUTE + 1; i += 1) res = await verify(issued);
    expect([res.status, res.body.code]).toEqual([429, 'TB-RATE-LIMITED']);
  });
});
