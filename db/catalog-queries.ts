import { asc, desc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { ServiceItem } from '../engine/service-item.js';
import type { Sql } from './connection.js';
import { processDefinitions, serviceItems } from './schema/index.js';

/**
 * The catalogue as the API lists it. The engine reads single entries through its `Catalog` port
 * (`pg-catalog.ts`, cached); these are plain listings, read afresh each time.
 */

/** Every service item (事项), by code. */
export function listServiceItems(sql: Sql): Promise<ServiceItem[]> {
  return drizzle(sql).select().from(serviceItems).orderBy(asc(serviceItems.code));
}

/** A published process definition without its machine. */
export interface PublishedDefinition {
  readonly key: string;
  readonly version: number;
  readonly title: string;
  readonly checksum: string;
  readonly publishedAt: Date;
}

/** Every published version of every definition, by key, the latest version first. */
export function listPublishedDefinitions(sql: Sql): Promise<PublishedDefinition[]> {
  return drizzle(sql)
    .select({
      key: processDefinitions.key,
      version: processDefinitions.version,
      title: processDefinitions.title,
      checksum: processDefinitions.checksum,
      publishedAt: processDefinitions.publishedAt,
    })
    .from(processDefinitions)
    .orderBy(asc(processDefinitions.key), desc(processDefinitions.version));
}
