import { and, desc, eq } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Catalog } from '../engine/case-store.js';
import { DefinitionImmutableError, DefinitionNotFoundError, ServiceItemNotFoundError } from '../engine/errors.js';
import { compileDefinition, type CompiledDefinition, type ProcessDefinition } from '../engine/definitions/process-definition.js';
import type { LicenceType } from '../engine/licences/electronic-licence.js';
import type { ServiceItem } from '../engine/service-item.js';
import type { WorkingCalendar } from '../engine/time/working-calendar.js';
import { loadWorkingCalendar } from './calendars.js';
import type { Sql } from './connection.js';
import { licenceTypes, processDefinitions, serviceItemVersions, serviceItems } from './schema/index.js';

/**
 * Catalogue entries and calendars can be changed by administrators (a calendar by importing a year); re-read
 * them after this long. An import drops this process's calendars at once (`forgetCalendars`).
 */
const MUTABLE_TTL_MS = 30_000;

/**
 * The engine's `Catalog` on PostgreSQL. Published definition versions never change, so each is compiled
 * once per process and kept, as is each pinned item version; the items in force, calendars and "latest version" are
 * re-read every 30 s.
 */
export class PgCatalog implements Catalog {
  readonly #db: PostgresJsDatabase;
  readonly #compiled = new Map<string, Promise<CompiledDefinition>>();
  readonly #items = new Map<string, Promise<ServiceItem>>();
  readonly #mutable = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly sql: Sql,
    private readonly now: () => number,
  ) {
    this.#db = drizzle(sql);
  }

  serviceItem(code: string, version?: number): Promise<ServiceItem> {
    // A published version never changes: kept for good.
    if (version !== undefined) return kept(this.#items, `${code}@${version}`, () => this.#loadItem(code, version));
    return this.#fresh(`item:${code}`, async () => {
      const [row] = await this.#db.select().from(serviceItems).where(eq(serviceItems.code, code));
      if (!row) throw new ServiceItemNotFoundError(code);
      return row;
    });
  }

  /** A published version of an item: from its history, or the item's row when that is the version (an item written without its history, as some tests do). */
  async #loadItem(code: string, version: number): Promise<ServiceItem> {
    const [published] = await this.#db
      .select({ content: serviceItemVersions.content })
      .from(serviceItemVersions)
      .where(and(eq(serviceItemVersions.code, code), eq(serviceItemVersions.version, version), eq(serviceItemVersions.status, 'published')));
    if (published) return { ...published.content, code, version };
    const [row] = await this.#db.select().from(serviceItems).where(and(eq(serviceItems.code, code), eq(serviceItems.version, version)));
    if (!row) throw new ServiceItemNotFoundError(code);
    return row;
  }

  async definition(key: string, version?: number): Promise<CompiledDefinition> {
    const exact = version ?? (await this.#fresh(`latest:${key}`, () => this.#latestVersion(key)));
    return kept(this.#compiled, `${key}@${exact}`, () => this.#loadDefinition(key, exact));
  }

  /** The calendar with its parents and years, its horizon and version (`loadWorkingCalendar`). */
  calendar(code: string): Promise<WorkingCalendar> {
    return this.#fresh(`calendar:${code}`, () => loadWorkingCalendar(this.sql, code));
  }

  /** The licence types, re-read every 30 s as reference data may be installed meanwhile. */
  licenceTypes(): Promise<ReadonlyMap<string, LicenceType>> {
    return this.#fresh('licence-types', async () => new Map((await this.#db.select().from(licenceTypes)).map((t) => [t.code, t])));
  }

  /**
   * Drops every cached calendar, after an import in this process: a child calendar is built on its parent's
   * data, so an import into one calendar can change others. Other processes see the import when their
   * entries expire (`MUTABLE_TTL_MS`, 30 s).
   */
  forgetCalendars(): void {
    for (const key of this.#mutable.keys()) if (key.startsWith('calendar:')) this.#mutable.delete(key);
  }

  /**
   * Drops the cached item after a publication in this process, so its next case starts under the version in force.
   * Other processes see it when their entry expires (`MUTABLE_TTL_MS`, 30 s).
   */
  forgetServiceItem(code: string): void {
    this.#mutable.delete(`item:${code}`);
  }

  /**
   * Publishes a definition version. Publishing the same content again is a no-op; different content under
   * a published key and version is refused: a published version is immutable.
   */
  async publish(definition: ProcessDefinition): Promise<CompiledDefinition> {
    const compiled = compileDefinition(definition);
    await this.#db
      .insert(processDefinitions)
      .values({ key: compiled.key, version: compiled.version, title: compiled.title, machine: compiled.machine, checksum: compiled.checksum })
      .onConflictDoNothing();
    const [stored] = await this.#db
      .select({ checksum: processDefinitions.checksum })
      .from(processDefinitions)
      .where(and(eq(processDefinitions.key, compiled.key), eq(processDefinitions.version, compiled.version)));
    if (stored?.checksum !== compiled.checksum) throw new DefinitionImmutableError(compiled.key, compiled.version);
    this.#mutable.delete(`latest:${compiled.key}`);
    return compiled;
  }

  async #latestVersion(key: string): Promise<number> {
    const [row] = await this.#db
      .select({ version: processDefinitions.version })
      .from(processDefinitions)
      .where(eq(processDefinitions.key, key))
      .orderBy(desc(processDefinitions.version))
      .limit(1);
    if (!row) throw new DefinitionNotFoundError(key);
    return row.version;
  }

  async #loadDefinition(key: string, version: number): Promise<CompiledDefinition> {
    const [row] = await this.#db
      .select()
      .from(processDefinitions)
      .where(and(eq(processDefinitions.key, key), eq(processDefinitions.version, version)));
    if (!row) throw new DefinitionNotFoundError(key, version);
    return compileDefinition({ key: row.key, version: row.version, title: row.title, machine: row.machine as ProcessDefinition['machine'] });
  }

  #fresh<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#mutable.get(key);
    if (cached && this.now() - cached.at < MUTABLE_TTL_MS) return cached.value as Promise<T>;
    const value = load();
    this.#mutable.set(key, { at: this.now(), value });
    value.catch(() => this.#mutable.delete(key));
    return value;
  }
}

/** What `map` keeps under `id`, loaded once; a failed load is forgotten, to be tried again. */
function kept<T>(map: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> {
  let value = map.get(id);
  if (!value) {
    value = load();
    map.set(id, value);
    value.catch(() => map.delete(id));
  }
  return value;
}
