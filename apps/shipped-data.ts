import { addDepartments, addServiceItems, upsertCalendar } from '../db/reference-data.js';
import type { Sql } from '../db/connection.js';
import type { PgCatalog } from '../db/pg-catalog.js';
import { chinaCalendar } from '../engine/time/china-calendar.js';
import { SHIPPED_DEPARTMENTS } from '../workflows/departments.js';
import { shippedDefinitions, shippedServiceItems } from '../workflows/index.js';

/**
 * Installs what the shipped processes need: departments, the `cn` calendar, the service items and their
 * published definitions. Idempotent; runs at every start.
 */
export async function installReferenceData(sql: Sql, catalog: PgCatalog): Promise<void> {
  await addDepartments(sql, SHIPPED_DEPARTMENTS);
  await upsertCalendar(sql, { ...chinaCalendar(2024, 2026), name: '中国大陆 Mainland China' });
  for (const definition of shippedDefinitions) await catalog.publish(definition);
  await addServiceItems(sql, shippedServiceItems);
}
