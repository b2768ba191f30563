import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto';
import type { LicenceSigner } from './licence-signer.js';

/** SM2 signatures over the SM3 digest (GB/T 32918.2, GM/T 0009), as licences record the algorithm. */
export const SM2_SM3 = 'SM2-SM3';

/**
 * The signer's distinguishing identifier in the SM3 digest (Z_A): GM/T 0009's default, which verifiers elsewhere
 * (a national licence platform, a GM library) assume when none is agreed.
 */
const USER_ID = '1234567812345678';

/** DER-encoded (r, s), as GM/T 0009 says a signature is exchanged; base64url on the licence, as Ed25519's. */
const FORMAT = { hash: true, der: true, userId: USER_ID } as const;

/**
 * The SM2 signer (国密) of a private key given as 64 hex digits (what GM tools and 密码机 exports give; a deployment
 * keeps it as a secret). Pure JavaScript (sm-crypto), since Node's OpenSSL here cannot read an SM2 key back from
 * PEM. Its public key is the uncompressed point in hex (`04…`), registered in `signing_keys` as given.
 *
 * @example
 * const signer = sm2Signer(process.env.TONGBAN_LICENCE_SIGNING_KEY);
 * signer.verify(content, signer.sign(content)); // true
 */
export function sm2Signer(privateKeyHex: string): LicenceSigner {
  const privateKey = privateKeyHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(privateKey)) throw new TypeError('An SM2 licence signing key is 64 hex digits (a 256-bit private key)');
  const publicKey = sm2.getPublicKeyFromPrivateKey(privateKey);
  return {
    algorithm: SM2_SM3,
    keyId: sm2KeyId(publicKey),
    publicKey,
    sign: (content) => Buffer.from(sm2.doSignature(content, privateKey, { ...FORMAT, publicKey }), 'hex').toString('base64url'),
    verify: (content, signature) => sm2Verify(publicKey, content, signature),
  };
}

/** Whether `signature` (base64url DER) is the SM2 signature of `content` under `publicKeyHex`; a malformed one is not. */
export function sm2Verify(publicKeyHex: string, content: string, signature: string): boolean {
  try {
    return sm2.verifyPublicKey(publicKeyHex) && sm2.doVerifySignature(content, Buffer.from(signature, 'base64url').toString('hex'), publicKeyHex, FORMAT);
  } catch {
    return false;
  }
}

/** As Ed25519 keys are named: the first 16 hex digits of the SHA-256 of the public key's bytes. */
function sm2KeyId(publicKeyHex: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyHex, 'hex')).digest('hex').slice(0, 16);
}

/** A new SM2 private key (64 hex digits): for `npm start`'s dev key and tests. */
export function newSm2PrivateKey(): string {
  return sm2.generateKeyPairHex().privateKey;
}
