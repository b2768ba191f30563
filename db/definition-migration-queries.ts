import { randomUUID } from 'node:crypto';
import { desc, eq, sql as sqlText } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { StateMapping } from '../engine/definitions/state-mapping.js';
import type { Sql } from './connection.js';
import { definitionMigrations, type MigrationRefusal } from './schema/definition-migrations.js';
import { withSecurityEvent } from './security-log.js';

/**
 * Migrations of running cases between versions of a definition (流程版本迁移), as the API starts, advances and lists
 * them. Each case is moved by its own engine command; the row here is the batch's progress.
 */

/** What a designer asks for: the key, both versions, the mapping, and the cases (null: every open case on the source). */
export interface MigrationRequest {
  readonly definitionKey: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly mapping: StateMapping;
  readonly caseIds: readonly string[] | null;
}

export type DefinitionMigration = typeof definitionMigrations.$inferSelect;

/**
 * The cases a migration takes, oldest first: the chosen ones, or every running or suspended case on the source
 * version. A case chosen but since closed or moved is still listed: its command refuses it, and the report says why.
 */
export async function casesToMigrate(sql: Sql, request: Pick<MigrationRequest, 'definitionKey' | 'fromVersion' | 'caseIds'>): Promise<string[]> {
  const rows = request.caseIds
    ? await sql`select id from cases where id = any(${request.caseIds}::uuid[]) order by created_at, id`
    : await sql`select id from cases where definition_key = ${request.definitionKey} and definition_version = ${request.fromVersion}
        and status in ('running', 'suspended') order by created_at, id`;
  return rows.map((r) => String(r['id']));
}

/** Of the chosen case ids, those that are no case of the definition (unknown ids, cases of another key). */
export async function casesNotOfDefinition(sql: Sql, definitionKey: string, caseIds: readonly string[]): Promise<string[]> {
  const rows = await sql`select id from unnest(${caseIds}::uuid[]) as chosen(id)
    where not exists (select 1 from cases c where c.id = chosen.id and c.definition_key = ${definitionKey})`;
  return rows.map((r) => String(r['id']));
}

/** Records a migration about to run over `total` cases, with its security event (who moves which cases how). */
export async function startDefinitionMigration(sql: Sql, request: MigrationRequest, total: number, actor: Actor, at: Date): Promise<string> {
  const id = randomUUID();
  return withSecurityEvent(
    sql,
    async (tx) => {
      await tx`insert into definition_migrations (id, definition_key, from_version, to_version, mapping, case_ids, status, total, started_by, started_at)
        values (${id}, ${request.definitionKey}, ${request.fromVersion}, ${request.toVersion}, ${JSON.stringify(request.mapping)}::jsonb,
          ${request.caseIds ? [...request.caseIds] : null}::uuid[], 'running', ${total}, ${actor.userId}, ${at.toISOString()})`;
      return id;
    },
    () => ({
      type: 'definition.migration.started',
      actor,
      at,
      data: { migrationId: id, definitionKey: request.definitionKey, fromVersion: request.fromVersion, toVersion: request.toVersion, mapping: request.mapping, total },
    }),
  );
}

/** One batch done: its migrated cases counted, its refusals appended. */
export async function recordMigrationBatch(sql: Sql, id: string, migrated: number, refusals: readonly MigrationRefusal[]): Promise<void> {
  await drizzle(sql)
    .update(definitionMigrations)
    .set({
      migrated: sqlText`${definitionMigrations.migrated} + ${migrated}`,
      refusals: sqlText`${definitionMigrations.refusals} || ${JSON.stringify(refusals)}::jsonb`,
    })
    .where(eq(definitionMigrations.id, id));
}

export async function finishDefinitionMigration(sql: Sql, id: string, at: Date): Promise<void> {
  await drizzle(sql).update(definitionMigrations).set({ status: 'finished', finishedAt: at }).where(eq(definitionMigrations.id, id));
}

export async function findDefinitionMigration(sql: Sql, id: string): Promise<DefinitionMigration | null> {
  const [row] = await drizzle(sql).select().from(definitionMigrations).where(eq(definitionMigrations.id, id));
  return row ?? null;
}

/** The migrations of a definition, latest first. */
export function listDefinitionMigrations(sql: Sql, definitionKey: string): Promise<DefinitionMigration[]> {
  return drizzle(sql).select().from(definitionMigrations).where(eq(definitionMigrations.definitionKey, definitionKey)).orderBy(desc(definitionMigrations.startedAt));
}
