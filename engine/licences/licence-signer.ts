import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * What signs electronic licences (电子证照): a key the deployment holds as a secret, under an algorithm. The
 * engine signs each licence it issues with the signer it is given (`EngineDeps.licenceSigner`); it never reads
 * a key itself. Any algorithm plugs in behind this port — Ed25519 ships (`ed25519Signer`); an SM2 signer (GB/T
 * 32918 with SM3), a signing server or a cryptographic machine (密码机) implements the same members; SM2 with SM3 ships too
 * (`sm2-signer.ts`), and `signature-verification.ts` verifies both.
 *
 * @example
 * const signer = ed25519Signer(readFileSync('licence-key.pem', 'utf8'));
 * const signature = signer.sign(canonicalJson(content));
 * signer.verify(canonicalJson(content), signature); // true
 */
export interface LicenceSigner {
  /** The algorithm's name as licences record it, e.g. `Ed25519`. */
  readonly algorithm: string;
  /** Names the key in `signing_keys` and on each licence, so that a licence verifies after the key is rotated. */
  readonly keyId: string;
  /** The public key (SPKI PEM) registered in `signing_keys` at start. */
  readonly publicKey: string;
  /** The signature of `content` (UTF-8), base64url. */
  sign(content: string): string;
  verify(content: string, signature: string): boolean;
}

/** A registered public key: what a licence signed under it is verified with, whichever key signs today. */
export interface SigningKey {
  readonly keyId: string;
  readonly algorithm: string;
  readonly publicKey: string;
}

export const ED25519 = 'Ed25519';

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (DER), the same in every process. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** The Ed25519 signer of a PKCS#8 PEM private key (`openssl genpkey -algorithm ed25519`). */
export function ed25519Signer(privateKeyPem: string): LicenceSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError(`The licence signing key is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; an Ed25519 one is needed`);
  const publicKey = createPublicKey(privateKey);
  const verifier = ed25519Verifier(publicKey);
  return {
    algorithm: ED25519,
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (content) => sign(null, Buffer.from(content, 'utf8'), privateKey).toString('base64url'),
    verify: verifier,
  };
}

/** Whether `signature` is the Ed25519 signature of `content` under a public key (SPKI PEM); a malformed key or signature is not. */
export function ed25519Verify(publicKeyPem: string, content: string, signature: string): boolean {
  try {
    return ed25519Verifier(createPublicKey(publicKeyPem))(content, signature);
  } catch {
    return false;
  }
}

function ed25519Verifier(publicKey: KeyObject) {
  return (content: string, signature: string): boolean => verify(null, Buffer.from(content, 'utf8'), publicKey, Buffer.from(signature, 'base64url'));
}

/** An Ed25519 signer on a key generated in memory: for tests and benchmarks, whose licences nobody verifies later. */
export function ephemeralEd25519Signer(): LicenceSigner {
  return ed25519Signer(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}
