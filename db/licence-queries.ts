import { and, desc, eq, gt, inArray, isNotNull, isNull, ne, or } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { IdType } from '../engine/case-record.js';
import { LicenceAlreadyRevokedError } from '../engine/errors.js';
import type { LicenceType, StoredLicence } from '../engine/licences/electronic-licence.js';
import type { SigningKey } from '../engine/licences/licence-signer.js';
import type { Sql } from './connection.js';
import { departments, licences, licenceTypes, signingKeys } from './schema/index.js';
import { withSecurityEvent } from './security-log.js';

/**
 * Electronic licences (电子证照) as the API reads them: by number (verification, revocation), by holder and type
 * (reuse), each with the registered key its signature names; the keys and licence types installed at start.
 */

/** A licence as stored, with its row's id, issue, revocation and the registered key its `key_id` names (null: none). */
export interface LicenceRecord extends StoredLicence {
  readonly id: string;
  readonly issuedAt: Date;
  readonly revokedBy: string | null;
  readonly revocationReason: string | null;
  readonly key: SigningKey | null;
  /** The type's and the issuing department's names, as a verifier reads them (null for a type or department not installed). */
  readonly typeName: string | null;
  readonly departmentName: string | null;
}

type Row = typeof licences.$inferSelect;

function recordOf(row: Row, key: SigningKey | null, names: { typeName: string | null; departmentName: string | null }): LicenceRecord {
  const holder = row.holder as { name: string; idType?: IdType };
  return {
    id: row.id,
    number: row.number,
    licenceType: row.licenceType,
    title: row.title,
    // Rows issued before holders were columns were given them by migration 0028; `holder` keeps the name.
    holder: { name: holder.name, idType: (row.holderIdType ?? holder.idType ?? 'resident-id') as IdType, idNumber: row.holderIdNumber ?? '' },
    issuingDepartment: row.issuingDepartment ?? '',
    caseId: row.caseId,
    issuedAt: row.issuedAt,
    validFrom: row.validFrom ?? row.issuedAt,
    validUntil: row.validUntil,
    algorithm: row.algorithm,
    keyId: row.keyId,
    signature: row.signature,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
    revocationReason: row.revocationReason,
    key,
    ...names,
  };
}

const withKey = (sql: Sql) =>
  drizzle(sql)
    .select({
      licence: licences,
      key: { keyId: signingKeys.keyId, algorithm: signingKeys.algorithm, publicKey: signingKeys.publicKey },
      typeName: licenceTypes.name,
      departmentName: departments.name,
    })
    .from(licences)
    .leftJoin(signingKeys, eq(signingKeys.keyId, licences.keyId))
    .leftJoin(licenceTypes, eq(licenceTypes.code, licences.licenceType))
    .leftJoin(departments, eq(departments.code, licences.issuingDepartment));

/** The licence of this number, or null. */
export async function findLicence(sql: Sql, number: string): Promise<LicenceRecord | null> {
  const [row] = await withKey(sql).where(eq(licences.number, number));
  return row ? recordOf(row.licence, row.key, row) : null;
}

/** How many of a holder's reusable licences are read at most (the caller verifies each one's signature): bounded however many it holds. */
const REUSABLE_READ = 20;

/**
 * The licences of a type its holder holds that reuse may take at `now`, the latest issued first (`licences_holder_idx`):
 * not revoked, signed, not expired (the caller still verifies each: a forged row passes this) — and the latest issued,
 * whatever its state, whose refusal tells the window why when none is valid. Filtered here, not by the caller, so that
 * no number of later revoked or expired licences hides a valid one.
 */
export async function findHolderLicences(sql: Sql, holder: { idType: IdType; idNumber: string }, licenceType: string, now: Date): Promise<LicenceRecord[]> {
  const held = and(eq(licences.holderIdType, holder.idType), eq(licences.holderIdNumber, holder.idNumber), eq(licences.licenceType, licenceType));
  // What `licenceVerdict` refuses without a key: revoked, unsigned, expired (`valid_until` is the first instant it is not).
  const reusable = and(isNull(licences.revokedAt), isNotNull(licences.signature), or(isNull(licences.validUntil), gt(licences.validUntil, now)));
  const latest = drizzle(sql).select({ number: licences.number }).from(licences).where(held).orderBy(desc(licences.issuedAt)).limit(1);
  // The latest sorts first, so the bound keeps it and the reusable ones after it.
  const rows = await withKey(sql)
    .where(and(held, or(reusable, inArray(licences.number, latest))))
    .orderBy(desc(licences.issuedAt))
    .limit(REUSABLE_READ + 1);
  return rows.map((r) => recordOf(r.licence, r.key, r));
}

/**
 * Revokes the licence (吊销/注销) and appends `licence.revoked` to the security log, in one transaction. A
 * revocation that came first (two at once: the row's lock orders them) refuses the second, which writes nothing.
 */
export async function revokeLicence(
  sql: Sql,
  input: { readonly number: string; readonly actor: Actor; readonly reason: string; readonly at: Date },
): Promise<{ readonly number: string; readonly revokedAt: Date }> {
  return withSecurityEvent(
    sql,
    async (tx) => {
      const [row] = await tx`update licences set revoked_at = ${input.at.toISOString()}, revoked_by = ${input.actor.userId}, revocation_reason = ${input.reason}
        where number = ${input.number} and revoked_at is null
        returning case_id as "caseId", licence_type as "licenceType", issuing_department as "issuingDepartment"`;
      if (!row) throw new LicenceAlreadyRevokedError(input.number);
      return { caseId: String(row['caseId']), licenceType: String(row['licenceType']), issuingDepartment: row['issuingDepartment'] as string | null };
    },
    (revoked) => ({ type: 'licence.revoked', actor: input.actor, at: input.at, data: { number: input.number, ...revoked, reason: input.reason } }),
  ).then(() => ({ number: input.number, revokedAt: input.at }));
}

/** Adds the licence types that do not exist yet; an administrator's change to one is kept. */
export async function addLicenceTypes(sql: Sql, list: readonly LicenceType[]): Promise<void> {
  if (list.length > 0) await drizzle(sql).insert(licenceTypes).values([...list]).onConflictDoNothing();
}

/**
 * Registers the public key licences are signed with now, and marks every other key retired (kept: licences
 * signed with it still verify). Idempotent: every process of a deployment registers the same key at start.
 */
export async function registerSigningKey(sql: Sql, key: SigningKey, at: Date): Promise<void> {
  const db = drizzle(sql);
  await db.insert(signingKeys).values({ ...key, createdAt: at }).onConflictDoUpdate({ target: signingKeys.keyId, set: { retiredAt: null } });
  await db.update(signingKeys).set({ retiredAt: at }).where(and(ne(signingKeys.keyId, key.keyId), isNull(signingKeys.retiredAt)));
}
