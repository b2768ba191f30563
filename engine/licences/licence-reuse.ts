import type { MaterialInput } from '../case-command.js';
import type { Applicant } from '../case-record.js';
import { LicenceNotReusableError, MaterialTakesNoLicenceError } from '../errors.js';
import type { ServiceItem } from '../service-item.js';
import { canonicalLicence, holderOf, licenceDigest, licenceVerdict, type StoredLicence } from './electronic-licence.js';
import type { SigningKey } from './licence-signer.js';

/**
 * 证照复用: a licence stands in for a material the service item says a licence type can replace, so that the
 * applicant is not asked again for what a department already issued. The API finds the licence; these rules
 * decide whether it may stand in, before the case starts.
 */

/** The licence type the item's material takes; refused when the item has no such material or no licence replaces it. */
export function licenceTypeFor(item: Pick<ServiceItem, 'materials'>, material: string): string {
  const licenceType = item.materials.find((m) => m.name === material)?.licenceType ?? null;
  if (licenceType === null) throw new MaterialTakesNoLicenceError(material, null);
  return licenceType;
}

/**
 * The material the licence stands for: its number, and as digest the SHA-256 of the licence's canonical content
 * (its size, that content's) — what was verified, fixed in the case file. Refused unless the licence is of the
 * type the material takes, held by the applicant (same ID type and number), and verifies as valid at `now`.
 */
export function reusedMaterial(
  name: string,
  licenceType: string,
  applicant: Applicant,
  licence: StoredLicence,
  key: SigningKey | null,
  now: Date,
): MaterialInput {
  if (licence.licenceType !== licenceType) throw new MaterialTakesNoLicenceError(name, licenceType);
  const holder = holderOf(applicant);
  if (licence.holder.idType !== holder.idType || licence.holder.idNumber !== holder.idNumber) throw new LicenceNotReusableError(licence.number, 'another-holder');
  const verdict = licenceVerdict(licence, key, now);
  if (verdict !== 'valid') throw new LicenceNotReusableError(licence.number, verdict);
  return { name, sha256: licenceDigest(licence), sizeBytes: Buffer.byteLength(canonicalLicence(licence), 'utf8'), licenceNumber: licence.number };
}
