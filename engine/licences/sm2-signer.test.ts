import { describe, expect, it } from 'vitest';
import { signLicence, licenceVerdict, validUntilOf, type StoredLicence } from './electronic-licence.js';
import { ephemeralEd25519Signer } from './licence-signer.js';
import { verifyWithKey } from './signature-verification.js';
import { newSm2PrivateKey, SM2_SM3, sm2Signer, sm2Verify } from './sm2-signer.js';

/** 国密: licences signed with SM2 over SM3 verify as Ed25519-signed ones do, through the key `signing_keys` registers. */

const ISSUED = new Date('2026-12-01T02:00:00Z');
const privateKey = newSm2PrivateKey();
const signer = sm2Signer(privateKey);
const content = {
  number: 'BL-20261201-5E6F7A8B',
  licenceType: 'bl',
  title: '营业执照 Business licence',
  holder: { name: '上海某科技有限公司', idType: 'uscc' as const, idNumber: '91310115MA1H7XYZ2K' },
  issuingDepartment: 'market',
  caseId: '00000000-0000-4000-8000-000000000002',
  validFrom: ISSUED,
  validUntil: validUntilOf(ISSUED, null),
};

describe('the SM2 licence signer', () => {
  it('signs and verifies, and refuses what was changed, another key’s signature or a malformed one', () => {
    const signature = signer.sign('营业执照 BL-1');
    expect(signer.verify('营业执照 BL-1', signature)).toBe(true);
    expect(signer.verify('营业执照 BL-2', signature)).toBe(false);
    expect(sm2Signer(newSm2PrivateKey()).verify('营业执照 BL-1', signature)).toBe(false);
    expect(signer.verify('营业执照 BL-1', 'not-a-signature')).toBe(false);
    expect(sm2Verify('04deadbeef', '营业执照 BL-1', signature)).toBe(false);
  });

  it('names its algorithm and key the same in every process, from the key alone', () => {
    expect(signer.algorithm).toBe(SM2_SM3);
    expect(sm2Signer(privateKey.toUpperCase()).keyId).toBe(signer.keyId);
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(signer.publicKey).toMatch(/^04[0-9a-f]{128}$/);
  });

  it('takes a 256-bit private key in hex only', () => {
    expect(() => sm2Signer('-----BEGIN PRIVATE KEY-----')).toThrow(/64 hex digits/);
    expect(() => sm2Signer(privateKey.slice(2))).toThrow(/64 hex digits/);
  });

  it('signs a licence that verifies as valid through its registered key, and as forged once its content changed', () => {
    const licence: StoredLicence = { ...content, ...signLicence(content, signer), revokedAt: null };
    const key = { keyId: signer.keyId, algorithm: signer.algorithm, publicKey: signer.publicKey };
    expect(licence.algorithm).toBe(SM2_SM3);
    expect(licenceVerdict(licence, key, ISSUED)).toBe('valid');
    expect(licenceVerdict({ ...licence, holder: { ...content.holder, idNumber: '91310115MA1H7XYZ3X' } }, key, ISSUED)).toBe('forged');
  });

  it('is told apart from Ed25519 by the registered key’s algorithm: a key of one never verifies the other’s signature', () => {
    const ed25519 = ephemeralEd25519Signer();
    const signature = signer.sign('x');
    expect(verifyWithKey({ keyId: signer.keyId, algorithm: SM2_SM3, publicKey: signer.publicKey }, 'x', signature)).toBe(true);
    expect(verifyWithKey({ keyId: ed25519.keyId, algorithm: ed25519.algorithm, publicKey: ed25519.publicKey }, 'x', signature)).toBe(false);
    expect(verifyWithKey({ keyId: signer.keyId, algorithm: 'RSA-SHA256', publicKey: signer.publicKey }, 'x', signature)).toBe(false);
  });
});
