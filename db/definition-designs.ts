import type { Actor } from '../engine/access/actor.js';
import { compileDefinition, type ProcessDefinition } from '../engine/definitions/process-definition.js';
import { CatalogVersionError, DraftNotFoundError } from '../engine/errors.js';
import type { Sql } from './connection.js';
import { instant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';

/**
 * Definitions as designers work on them: drafts (`definition_drafts`) and published versions
 * (`process_definitions`, never changed). A draft is saved for a version after every published one of its key;
 * publishing it moves it, in one transaction with its security event, into the published versions.
 */

export type DesignStatus = 'draft' | 'published';

/** A definition version as a designer sees it: its content, whether it is published, who touched it last and when. */
export interface DefinitionDesign {
  readonly definition: ProcessDefinition;
  readonly status: DesignStatus;
  readonly at: Date;
  /** Who saved the draft or published it; null for a version shipped with Tongban. */
  readonly by: string | null;
}

export type DefinitionDesignSummary = Omit<DefinitionDesign, 'definition'> & Pick<ProcessDefinition, 'key' | 'version' | 'title'>;

type DesignRow = { key: string; version: number; title: string; machine: ProcessDefinition['machine']; status: DesignStatus; at: Date; by: string | null };

const DESIGNS = (sql: Sql) => sql`
  select key, version, title, machine, 'published' as status, published_at as at, published_by as by from process_definitions
  union all
  select key, version, title, machine, 'draft' as status, updated_at as at, updated_by as by from definition_drafts`;

/** Every version of every definition, drafts included, by key and latest version first (without their machines). */
export async function listDefinitionDesigns(sql: Sql): Promise<DefinitionDesignSummary[]> {
  const rows = await sql<DefinitionDesignSummary[]>`select key, version, title, status, at, by from (${DESIGNS(sql)}) d order by key, version desc`;
  return rows.map((r) => ({ ...r, at: instant(r.at) }));
}

/** One version of a definition, draft or published; null when there is neither. */
export async function findDefinitionDesign(sql: Sql, key: string, version: number): Promise<DefinitionDesign | null> {
  const [row] = await sql<DesignRow[]>`select * from (${DESIGNS(sql)}) d where key = ${key} and version = ${version}`;
  if (!row) return null;
  return { definition: { key: row.key, version: row.version, title: row.title, machine: row.machine }, status: row.status, at: instant(row.at), by: row.by };
}

/**
 * Saves (or replaces) the draft of a version. Refused when that version is published, or is not after the latest
 * published version of the key: a version, once published, is the process cases run on.
 */
export async function saveDefinitionDraft(sql: Sql, definition: ProcessDefinition, actor: Actor, at: Date): Promise<void> {
  await sql.begin(async (tx) => {
    // One designer at a time per key: two drafts saved at once cannot both pass the version check.
    await tx`select pg_advisory_xact_lock(hashtext(${`definition-design:${definition.key}`}))`;
    await assertDraftable(tx, definition.key, definition.version);
    await tx`insert into definition_drafts (key, version, title, machine, updated_by, updated_at)
      values (${definition.key}, ${definition.version}, ${definition.title}, ${JSON.stringify(definition.machine)}::jsonb, ${actor.userId}, ${at.toISOString()})
      on conflict (key, version) do update set title = excluded.title, machine = excluded.machine, updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
  });
}

/**
 * Publishes a draft: `check` refuses it (throws, the lint's errors) and nothing changes; else it becomes a published
 * version, its draft is gone, and the security log records who published what (its checksum and the warnings shown).
 */
export async function publishDefinitionDraft(
  sql: Sql,
  ref: { key: string; version: number },
  actor: Actor,
  at: Date,
  check: (definition: ProcessDefinition) => { warnings: number },
): Promise<{ checksum: string }> {
  return withSecurityEvent(
    sql,
    async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${`definition-design:${ref.key}`}))`;
      const [row] = await tx<DesignRow[]>`select key, version, title, machine from definition_drafts where key = ${ref.key} and version = ${ref.version} for update`;
      if (!row) throw new DraftNotFoundError(`Process definition ${ref.key}`, ref.version);
      const definition: ProcessDefinition = { key: row.key, version: row.version, title: row.title, machine: row.machine };
      await assertDraftable(tx, ref.key, ref.version);
      const { warnings } = check(definition);
      const { checksum } = compileDefinition(definition);
      await tx`insert into process_definitions (key, version, title, machine, checksum, published_at, published_by)
        values (${definition.key}, ${definition.version}, ${definition.title}, ${JSON.stringify(definition.machine)}::jsonb, ${checksum}, ${at.toISOString()}, ${actor.userId})`;
      await tx`delete from definition_drafts where key = ${ref.key} and version = ${ref.version}`;
      return { checksum, warnings };
    },
    ({ checksum, warnings }) => ({ type: 'catalog.definition-published', actor, at, data: { key: ref.key, version: ref.version, checksum, warnings } }),
  );
}

async function assertDraftable(tx: Tx, key: string, version: number): Promise<void> {
  const [latest] = await tx<{ version: number | null }[]>`select max(version) as version from process_definitions where key = ${key}`;
  const published = latest?.version ?? 0;
  if (version <= published) {
    const [same] = await tx`select 1 from process_definitions where key = ${key} and version = ${version}`;
    throw new CatalogVersionError(`Process definition ${key}`, version, same ? 'is published, and a published version never changes' : `versions go forward: the latest published is v${published}`);
  }
}
