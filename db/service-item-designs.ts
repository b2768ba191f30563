import type { Actor } from '../engine/access/actor.js';
import { CatalogVersionError, DraftNotFoundError, ServiceItemNotFoundError } from '../engine/errors.js';
import type { ServiceItem } from '../engine/service-item.js';
import type { CatalogueReferences } from '../engine/service-item-rules.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';
import type { DesignStatus } from './definition-designs.js';

/**
 * The service-item catalogue as designers work on it (事项清单): every version of an item (`service_item_versions`),
 * drafts among them, and the version in force (`service_items`), which new cases start under. Publishing a draft
 * makes it the version in force, in one transaction with its security event.
 */

/** One version of an item, as the catalogue keeps it. */
export interface ServiceItemVersion {
  readonly item: ServiceItem;
  readonly status: DesignStatus;
  /** Whether new cases start under it now. */
  readonly inForce: boolean;
  readonly updatedAt: Date;
  readonly updatedBy: string;
  readonly publishedAt: Date | null;
  /** Who published it; null for a shipped version, or a draft. */
  readonly publishedBy: string | null;
}

type VersionRow = {
  code: string;
  version: number;
  status: DesignStatus;
  content: Omit<ServiceItem, 'code' | 'version'>;
  in_force: boolean;
  updated_at: Date;
  updated_by: string;
  published_at: Date | null;
  published_by: string | null;
};

const toVersion = (r: VersionRow): ServiceItemVersion => ({
  item: { ...r.content, code: r.code, version: r.version },
  status: r.status,
  inForce: r.in_force,
  updatedAt: instant(r.updated_at),
  updatedBy: r.updated_by,
  publishedAt: optionalInstant(r.published_at),
  publishedBy: r.published_by,
});

/** Every version of an item, latest first; refused for an item with none. */
export async function listServiceItemVersions(sql: Sql, code: string): Promise<ServiceItemVersion[]> {
  const rows = await sql<VersionRow[]>`select v.*, (s.version is not null) as in_force
    from service_item_versions v left join service_items s on s.code = v.code and s.version = v.version
    where v.code = ${code} order by v.version desc`;
  if (rows.length === 0) throw new ServiceItemNotFoundError(code);
  return rows.map(toVersion);
}

/** One version of an item; null when there is none. */
export async function findServiceItemVersion(sql: Sql, code: string, version: number): Promise<ServiceItemVersion | null> {
  const [row] = await sql<VersionRow[]>`select v.*, (s.version is not null) as in_force
    from service_item_versions v left join service_items s on s.code = v.code and s.version = v.version
    where v.code = ${code} and v.version = ${version}`;
  return row ? toVersion(row) : null;
}

/** What an item version may name: departments, calendars, published definition versions. */
export async function catalogueReferences(sql: Sql | Tx): Promise<CatalogueReferences> {
  const [departments, calendars, definitions] = await Promise.all([
    sql<{ code: string }[]>`select code from departments`,
    sql<{ code: string }[]>`select code from calendars`,
    sql<{ ref: string }[]>`select key || '@' || version as ref from process_definitions`,
  ]);
  return { departments: new Set(departments.map((r) => r.code)), calendars: new Set(calendars.map((r) => r.code)), definitions: new Set(definitions.map((r) => r.ref)) };
}

/** Saves (or replaces) an item's draft version; refused for a published version or one not after the latest published. */
export async function saveServiceItemDraft(sql: Sql, item: ServiceItem, actor: Actor, at: Date): Promise<void> {
  const { code, version, ...content } = item;
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`item-design:${code}`}))`;
    await assertDraftable(tx, code, version);
    await tx`insert into service_item_versions (code, version, status, content, updated_by, updated_at)
      values (${code}, ${version}, 'draft', ${JSON.stringify(content)}::jsonb, ${actor.userId}, ${at.toISOString()})
      on conflict (code, version) do update set content = excluded.content, updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
  });
}

/**
 * Publishes an item's draft: `check` refuses it (throws) and nothing changes; else it is published and in force —
 * new cases start under it; running cases keep the version they pinned — and the security log says who did it.
 */
export async function publishServiceItemDraft(
  sql: Sql,
  ref: { code: string; version: number },
  actor: Actor,
  at: Date,
  check: (item: ServiceItem, references: CatalogueReferences) => void,
): Promise<ServiceItem> {
  return withSecurityEvent(
    sql,
    async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`item-design:${ref.code}`}))`;
      const [row] = await tx<VersionRow[]>`select *, false as in_force from service_item_versions
        where code = ${ref.code} and version = ${ref.version} and status = 'draft' for update`;
      if (!row) throw new DraftNotFoundError(`Service item ${ref.code}`, ref.version);
      const item = toVersion(row).item;
      await assertDraftable(tx, ref.code, ref.version);
      check(item, await catalogueReferences(tx));
      await tx`update service_item_versions set status = 'published', published_by = ${actor.userId}, published_at = ${at.toISOString()}
        where code = ${ref.code} and version = ${ref.version}`;
      await putInForce(tx, item);
      return item;
    },
    (item) => ({ type: 'catalog.service-item-published', actor, at, data: { code: item.code, version: item.version, definition: `${item.definitionKey}@${item.definitionVersion}` } }),
  );
}

/** Makes the version the item's in force (`service_items`): what the engine's catalogue starts new cases under. */
async function putInForce(tx: Tx, item: ServiceItem): Promise<void> {
  const j = (value: unknown) => JSON.stringify(value);
  await tx`insert into service_items (code, version, name, type, legal_basis, legal_basis_version, scope, lead_department, participating_departments,
      legal_limit_days, committed_limit_days, definition_key, definition_version, calendar_code, counting_rule, extension, uncounted_procedures, ladder, materials)
    values (${item.code}, ${item.version}, ${item.name}, ${item.type}, ${item.legalBasis}, ${item.legalBasisVersion}, ${item.scope}, ${item.leadDepartment},
      ${[...item.participatingDepartments]}, ${item.legalLimitDays}, ${item.committedLimitDays}, ${item.definitionKey}, ${item.definitionVersion}, ${item.calendarCode},
      ${j(item.countingRule)}::jsonb, ${j(item.extension)}::jsonb, ${j(item.uncountedProcedures)}::jsonb, ${j(item.ladder)}::jsonb, ${j(item.materials)}::jsonb)
    on conflict (code) do update set version = excluded.version, name = excluded.name, type = excluded.type, legal_basis = excluded.legal_basis,
      legal_basis_version = excluded.legal_basis_version, scope = excluded.scope, lead_department = excluded.lead_department,
      participating_departments = excluded.participating_departments, legal_limit_days = excluded.legal_limit_days,
      committed_limit_days = excluded.committed_limit_days, definition_key = excluded.definition_key, definition_version = excluded.definition_version,
      calendar_code = excluded.calendar_code, counting_rule = excluded.counting_rule, extension = excluded.extension,
      uncounted_procedures = excluded.uncounted_procedures, ladder = excluded.ladder, materials = excluded.materials`;
}

async function assertDraftable(tx: Tx, code: string, version: number): Promise<void> {
  const [latest] = await tx<{ version: number | null }[]>`select max(version) as version from service_item_versions where code = ${code} and status = 'published'`;
  const published = latest?.version ?? 0;
  if (version <= published) {
    const [same] = await tx`select 1 from service_item_versions where code = ${code} and version = ${version} and status = 'published'`;
    throw new CatalogVersionError(`Service item ${code}`, version, same ? 'is published, and a published version never changes' : `versions go forward: the latest published is v${published}`);
  }
}
