import { ED25519, ed25519Verify, type SigningKey } from './licence-signer.js';
import { SM2_SM3, sm2Verify } from './sm2-signer.js';

/** How a registered key of each algorithm this build signs with verifies (public keys as `signing_keys` keeps them). */
const VERIFIERS: Readonly<Record<string, (publicKey: string, content: string, signature: string) => boolean>> = {
  [ED25519]: ed25519Verify,
  [SM2_SM3]: sm2Verify,
};

/**
 * Whether `signature` is the signature of `content` under a registered key, whichever key signs today. An algorithm
 * this build cannot verify answers false: the verifier says `forged` rather than vouch for what it cannot check.
 */
export function verifyWithKey(key: SigningKey, content: string, signature: string): boolean {
  const verifier = VERIFIERS[key.algorithm];
  return verifier !== undefined && verifier(key.publicKey, content, signature);
}
