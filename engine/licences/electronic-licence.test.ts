import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeRevocation } from '../access/authorization-policy.js';
import { idNumberProblem } from '../applicant-id.js';
import { departmentCode, userId } from '../ids.js';
import { ForbiddenError, LicenceNotReusableError, MaterialTakesNoLicenceError } from '../errors.js';
import { canonicalLicence, licenceDigest, licenceVerdict, signLicence, validUntilOf, type StoredLicence } from './electronic-licence.js';
import { licenceTypeFor, reusedMaterial } from './licence-reuse.js';
import { ED25519, ed25519Signer, ephemeralEd25519Signer, type LicenceSigner } from './licence-signer.js';

const ISSUED = new Date('2026-11-30T01:00:00Z');
const signer = ephemeralEd25519Signer();
const key = { keyId: signer.keyId, algorithm: signer.algorithm, publicKey: signer.publicKey };
const content = {
  number: 'JY-20261130-1A2B3C4D',
  licenceType: 'jy',
  title: '食品经营许可证 Food business licence',
  holder: { name: '上海某餐饮有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL1234Q' },
  issuingDepartment: 'market',
  caseId: '00000000-0000-4000-8000-000000000001',
  validFrom: ISSUED,
  validUntil: validUntilOf(ISSUED, 5),
};
const licence: StoredLicence = { ...content, ...signLicence(content, signer), revokedAt: null };

describe('a licence is signed over its canonical content', () => {
  it('is the same content however its keys are ordered, with instants as ISO strings', () => {
    const reordered = { validUntil: content.validUntil, validFrom: content.validFrom, caseId: content.caseId, issuingDepartment: 'market', holder: { idNumber: '91310000MA1FL1234Q', idType: 'uscc' as const, name: '上海某餐饮有限公司' }, title: content.title, licenceType: 'jy', number: content.number };
    expect(canonicalLicence(reordered)).toBe(canonicalLicence(content));
    expect(canonicalLicence(content)).toContain('"validFrom":"2026-11-30T01:00:00.000Z"');
    expect(licenceDigest(content)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves what is not the licence out (a phone number of the applicant, a stored row’s revocation)', () => {
    const withExtras = { ...content, holder: { ...content.holder, phone: '+86 21 5555 0000' }, revokedAt: new Date() };
    expect(canonicalLicence(withExtras)).toBe(canonicalLicence(content));
  });

  it('verifies with the signer, and with the registered key after the signer changed', () => {
    expect(licence.algorithm).toBe(ED25519);
    expect(signer.verify(canonicalLicence(content), licence.signature ?? '')).toBe(true);
    expect(licenceVerdict(licence, key, ISSUED)).toBe('valid');
  });

  it('takes the key from a PEM, the same key id in every process', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(ed25519Signer(pem).keyId).toBe(ed25519Signer(pem).keyId);
    expect(ed25519Signer(pem).keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a private key of another algorithm', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => ed25519Signer(rsa)).toThrow(/Ed25519/);
  });

  it('takes any algorithm behind the port: a pluggable signer’s licences carry its name and key id', () => {
    const { privateKey } = generateKeyPairSync('ed448');
    const other: LicenceSigner = { algorithm: 'Ed448', keyId: 'hsm-1', publicKey: '', sign: (c) => sign(null, Buffer.from(c), privateKey).toString('base64url'), verify: () => true };
    expect(signLicence(content, other)).toMatchObject({ algorithm: 'Ed448', keyId: 'hsm-1' });
  });
});

describe('a verifier is told valid, expired, revoked, forged or unsigned', () => {
  it('expired from the end of its validity; a licence without end never expires', () => {
    const until = content.validUntil as Date;
    expect(until.toISOString()).toBe('2031-11-30T01:00:00.000Z');
    expect(licenceVerdict(licence, key, new Date(until.getTime() - 1))).toBe('valid');
    expect(licenceVerdict(licence, key, until)).toBe('expired');
    const forever = { ...content, validUntil: null };
    expect(licenceVerdict({ ...forever, ...signLicence(forever, signer), revokedAt: null }, key, new Date('2099-01-01'))).toBe('valid');
  });

  it('revoked once revoked', () => {
    expect(licenceVerdict({ ...licence, revokedAt: ISSUED }, key, ISSUED)).toBe('revoked');
  });

  it('forged: an unknown number, a tampered row, a key nobody registered, a signature presented that is not its own', () => {
    expect(licenceVerdict(null, null, ISSUED)).toBe('forged');
    expect(licenceVerdict({ ...licence, holder: { ...licence.holder, name: '另一家公司' } }, key, ISSUED)).toBe('forged');
    expect(licenceVerdict({ ...licence, validUntil: null }, key, ISSUED)).toBe('forged');
    expect(licenceVerdict(licence, null, ISSUED)).toBe('forged');
    expect(licenceVerdict(licence, { ...key, algorithm: 'SM2' }, ISSUED)).toBe('forged');
    expect(licenceVerdict(licence, key, ISSUED, 'AAAA')).toBe('forged');
    expect(licenceVerdict(licence, key, ISSUED, licence.signature ?? undefined)).toBe('valid');
  });

  it('a tampered row is forged even when revoked: forgery is told first', () => {
    expect(licenceVerdict({ ...licence, number: 'JY-X', revokedAt: ISSUED }, key, ISSUED)).toBe('forged');
  });

  it('unsigned: issued before licences were signed; revoked still says revoked', () => {
    const old = { ...content, algorithm: null, keyId: null, signature: null, revokedAt: null };
    expect(licenceVerdict(old, null, ISSUED)).toBe('unsigned');
    expect(licenceVerdict({ ...old, revokedAt: ISSUED }, null, ISSUED)).toBe('revoked');
    expect(licenceVerdict(old, null, ISSUED, 'AAAA')).toBe('forged');
  });
});

describe('a licence stands in for a material (证照复用) only when the item, the holder and the verdict allow', () => {
  const item = { materials: [{ name: '营业执照', form: 'electronic' as const, originals: 0, copies: 1, licenceType: 'jy' }, { name: '平面图', form: 'either' as const, originals: 0, copies: 1, licenceType: null }] };
  const applicant = { name: '上海某餐饮有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL1234Q' };

  it('records the licence’s number and the digest of its canonical content', () => {
    expect(reusedMaterial('营业执照', 'jy', applicant, licence, key, ISSUED)).toEqual({
      name: '营业执照',
      sha256: licenceDigest(content),
      sizeBytes: Buffer.byteLength(canonicalLicence(content)),
      licenceNumber: licence.number,
    });
  });

  it('refuses a material no licence replaces, one the item does not list, and a licence of another type', () => {
    expect(licenceTypeFor(item, '营业执照')).toBe('jy');
    expect(() => licenceTypeFor(item, '平面图')).toThrow(MaterialTakesNoLicenceError);
    expect(() => licenceTypeFor(item, '户口本')).toThrow(MaterialTakesNoLicenceError);
    expect(() => reusedMaterial('营业执照', 'bl', applicant, licence, key, ISSUED)).toThrow(MaterialTakesNoLicenceError);
  });

  it.each([
    ['another holder', { ...applicant, idNumber: '91310000MA1FL5678W' }, licence, ISSUED, 'another-holder'],
    ['the same number under another ID type', { ...applicant, idType: 'resident-id' as const }, licence, ISSUED, 'another-holder'],
    ['expired', applicant, licence, new Date('2032-01-01'), 'expired'],
    ['revoked', applicant, { ...licence, revokedAt: ISSUED }, ISSUED, 'revoked'],
    ['forged', applicant, { ...licence, title: '改过的' }, ISSUED, 'forged'],
    ['unsigned', applicant, { ...licence, algorithm: null, keyId: null, signature: null }, ISSUED, 'unsigned'],
  ])('refuses a licence of %s', (_, who, held, now, reason) => {
    expect(() => reusedMaterial('营业执照', 'jy', who, held, key, now)).toThrow(expect.objectContaining({ constructor: LicenceNotReusableError, reason }));
  });
});

describe('revocation: the issuing department’s lead or an administrator', () => {
  const actor = (department: string, role: 'lead' | 'admin') => ({ userId: userId('u'), departmentCode: departmentCode(department), roles: [role] });
  it('lets the issuing department and administrators revoke, and no other department', () => {
    expect(() => authorizeRevocation(actor('market', 'lead'), licence)).not.toThrow();
    expect(() => authorizeRevocation(actor('it', 'admin'), licence)).not.toThrow();
    expect(() => authorizeRevocation(actor('fire', 'lead'), licence)).toThrow(ForbiddenError);
  });
});

describe('ID numbers are checked against their type', () => {
  it.each([
    ['resident-id', '110101199003071233', null],
    ['resident-id', '110101900307123', null],
    ['resident-id', '110101199003071234', 'its check digit is wrong'],
    ['resident-id', '91310000MA1FL1234Q', expect.stringContaining('18 characters')],
    ['uscc', '91310000MA1FL1234Q', null],
    ['uscc', '91310000MA1FL1234X', 'its check character is wrong'],
    ['uscc', '91310000MA1FL1234', expect.stringContaining('18 digits')],
    ['passport', 'E12345678', null],
    ['passport', 'e1234', expect.stringContaining('capital')],
    ['hk-macao-permit', 'H12345678', null],
    ['taiwan-permit', '12345678', null],
  ] as const)('%s %s', (type, number, problem) => {
    expect(idNumberProblem(type, number)).toEqual(problem);
  });
});
