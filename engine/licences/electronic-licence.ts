import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { DEFAULT_ID_TYPE, type Applicant, type IdType } from '../case-record.js';
import type { LicenceSigner, SigningKey } from './licence-signer.js';
import { verifyWithKey } from './signature-verification.js';

/**
 * Electronic licences (电子证照): what a licence says, signed. The signature covers the licence's canonical
 * content (`canonicalJson`: keys sorted, instants as ISO strings), so any change to a stored licence — its
 * holder, its validity, its number — makes it verify as forged.
 */

/** A licence type (证照类型) as `licence_types` keeps it: `validYears` null is without end. */
export interface LicenceType {
  readonly code: string;
  readonly name: string;
  readonly validYears: number | null;
}

/** What the engine issues licences with: the signer of the deployment and the licence types' validity. */
export interface Licensing {
  readonly signer: LicenceSigner;
  readonly types: ReadonlyMap<string, LicenceType>;
}

/** What a licence says, and its signature covers. */
export interface LicenceContent {
  readonly number: string;
  readonly licenceType: string;
  readonly title: string;
  readonly holder: { readonly name: string; readonly idType: IdType; readonly idNumber: string };
  readonly issuingDepartment: string;
  readonly caseId: string;
  readonly validFrom: Date;
  /** Null: valid without end. */
  readonly validUntil: Date | null;
}

/** A licence as stored: its content, its signature (null on licences issued before they were signed), its revocation. */
export interface StoredLicence extends LicenceContent {
  readonly algorithm: string | null;
  readonly keyId: string | null;
  readonly signature: string | null;
  readonly revokedAt: Date | null;
}

/**
 * What a verifier is told: `valid`; `expired` (past its validity); `revoked` (吊销/注销); `forged` (no such
 * licence, a signature that does not verify against what is stored, or a presented signature that is not the
 * licence's); `unsigned`: a licence issued before licences were signed, which exists but nothing vouches for.
 */
export const LICENCE_STATUSES = ['valid', 'expired', 'revoked', 'forged', 'unsigned'] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/** The holder a licence names: its applicant, under the applicant's ID type (a resident ID when none was given). */
export function holderOf(applicant: Applicant): LicenceContent['holder'] {
  return { name: applicant.name, idType: applicant.idType ?? DEFAULT_ID_TYPE, idNumber: applicant.idNumber };
}

/** The end of a validity of `years` from `from` (the same instant, years later); null without end. */
export function validUntilOf(from: Date, years: number | null): Date | null {
  if (years === null) return null;
  const until = new Date(from);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
}

/** The licence's canonical content: what is signed, and what a material reusing it is the digest of. */
export function canonicalLicence(licence: LicenceContent): string {
  const { number, licenceType, title, holder, issuingDepartment, caseId, validFrom, validUntil } = licence;
  return canonicalJson({ number, licenceType, title, holder: { name: holder.name, idType: holder.idType, idNumber: holder.idNumber }, issuingDepartment, caseId, validFrom, validUntil });
}

/** SHA-256 (hex) of the canonical content: the digest a material standing for the licence (证照复用) records. */
export function licenceDigest(licence: LicenceContent): string {
  return createHash('sha256').update(canonicalLicence(licence), 'utf8').digest('hex');
}

/** The signature of the licence by `signer`, with what names it. */
export function signLicence(licence: LicenceContent, signer: LicenceSigner): { readonly algorithm: string; readonly keyId: string; readonly signature: string } {
  return { algorithm: signer.algorithm, keyId: signer.keyId, signature: signer.sign(canonicalLicence(licence)) };
}

/**
 * The verdict on a licence at `now`: `licence` null is an unknown number; `key` is the registered key its
 * `keyId` names (null when none is). `presented` is the signature a printed licence or its QR code carries,
 * when the verifier has one: it must be the licence's own. Forgery is told before revocation and expiry, so that
 * a tampered row never passes for a merely revoked licence.
 */
export function licenceVerdict(licence: StoredLicence | null, key: SigningKey | null, now: Date, presented?: string): LicenceStatus {
  if (!licence) return 'forged';
  if (presented !== undefined && presented !== licence.signature) return 'forged';
  if (licence.signature !== null) {
    if (!key || key.algorithm !== licence.algorithm || !verifyWithKey(key, canonicalLicence(licence), licence.signature)) return 'forged';
  }
  if (licence.revokedAt) return 'revoked';
  if (licence.signature === null) return 'unsigned';
  if (licence.validUntil && now.getTime() >= licence.validUntil.getTime()) return 'expired';
  return 'valid';
}
