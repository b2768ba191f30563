import type { ApiQueries } from '../db/api-queries.js';
import type { MaterialInput } from '../engine/case-command.js';
import type { Applicant } from '../engine/case-record.js';
import { LicenceNotFoundError, MaterialTakesNoLicenceError } from '../engine/errors.js';
import { holderOf, licenceVerdict } from '../engine/licences/electronic-licence.js';
import { licenceTypeFor, reusedMaterial } from '../engine/licences/licence-reuse.js';
import type { ServiceItem } from '../engine/service-item.js';

/** A material the window names a licence for (证照复用), as the intake body gives it (`ReusedLicenceMaterial`). */
export interface NamedLicence {
  readonly name: string;
  readonly licence: { readonly licenceType: string } | { readonly number: string };
}

/**
 * The materials licences stand in for, each verified before the case starts (`reusedMaterial`): by number, that
 * licence; by type, the applicant's latest licence of the type that verifies as valid — or, when none does, the
 * refusal of the latest (revoked, expired…), so the window learns why. Any refusal refuses the start: nothing is written.
 */
export async function reusedLicences(
  queries: Pick<ApiQueries, 'findLicence' | 'findHolderLicences'>,
  item: Pick<ServiceItem, 'materials'>,
  applicant: Applicant,
  named: readonly NamedLicence[],
  now: Date,
): Promise<MaterialInput[]> {
  const inputs: MaterialInput[] = [];
  for (const m of named) {
    const licenceType = licenceTypeFor(item, m.name);
    if ('number' in m.licence) {
      const licence = await queries.findLicence(m.licence.number);
      if (!licence) throw new LicenceNotFoundError(m.licence.number);
      inputs.push(reusedMaterial(m.name, licenceType, applicant, licence, licence.key, now));
      continue;
    }
    if (m.licence.licenceType !== licenceType) throw new MaterialTakesNoLicenceError(m.name, licenceType);
    const held = await queries.findHolderLicences(holderOf(applicant), licenceType, now);
    const chosen = held.find((l) => licenceVerdict(l, l.key, now) === 'valid') ?? held[0];
    if (!chosen) throw new LicenceNotFoundError(`of type ${licenceType} held by the applicant`);
    inputs.push(reusedMaterial(m.name, licenceType, applicant, chosen, chosen.key, now));
  }
  return inputs;
}
