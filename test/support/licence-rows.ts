import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/connection.js';
import type { IdType } from '../../engine/case-record.js';
import { signLicence, type LicenceContent } from '../../engine/licences/electronic-licence.js';
import type { LicenceSigner } from '../../engine/licences/licence-signer.js';

/**
 * Writes a licence as a case would have issued it, signed by `signer` (a past validity, a revocation, a row
 * tampered with after signing: what no case issues today). `tamper` changes the row after it was signed.
 */
export async function insertLicence(
  sql: Sql,
  signer: LicenceSigner | null,
  licence: Partial<LicenceContent> & { readonly caseId: string; readonly holder: { name: string; idType: IdType; idNumber: string } },
  tamper: { readonly title?: string; readonly revokedAt?: Date } = {},
): Promise<string> {
  const validFrom = licence.validFrom ?? new Date('2020-01-01T00:00:00Z');
  const content: LicenceContent = {
    number: `T-${randomUUID().slice(0, 8).toUpperCase()}`,
    licenceType: 'bl',
    title: '营业执照 Business licence',
    issuingDepartment: 'market',
    validUntil: null,
    ...licence,
    validFrom,
  };
  const seal = signer ? signLicence(content, signer) : { algorithm: null, keyId: null, signature: null };
  await sql`insert into licences (id, case_id, number, licence_type, title, holder, holder_id_type, holder_id_number, issuing_department,
      issued_at, valid_from, valid_until, algorithm, key_id, signature, revoked_at)
    values (${randomUUID()}, ${content.caseId}, ${content.number}, ${content.licenceType}, ${tamper.title ?? content.title}, ${JSON.stringify(content.holder)}::jsonb,
      ${content.holder.idType}, ${content.holder.idNumber}, ${content.issuingDepartment}, ${validFrom.toISOString()}, ${validFrom.toISOString()},
      ${content.validUntil?.toISOString() ?? null}, ${seal.algorithm}, ${seal.keyId}, ${seal.signature}, ${tamper.revokedAt?.toISOString() ?? null})`;
  return content.number;
}
