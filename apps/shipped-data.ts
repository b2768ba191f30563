import { addDepartments, installCalendar, seedServiceItems } from '../db/reference-data.js';
import type { Sql } from '../db/connection.js';
import type { PgCatalog } from '../db/pg-catalog.js';
import { CHINA_CALENDAR_BASE, chineseDaysYears } from '../engine/time/china-calendar.js';
import { SHIPPED_DEPARTMENTS } from '../workflows/departments.js';
import { SHIPPED_LICENCE_TYPES } from '../workflows/licence-types.js';
import { addLicenceTypes } from '../db/licence-queries.js';
import { shippedDefinitions, shippedServiceItems } from '../workflows/index.js';

/**
 * Installs what the shipped processes need: departments, the `cn` calendar with its years from the
 * `chinese-days` package, the service items and their published definitions, the licence types they issue and take. Idempotent; runs at every start.
 */
export async function installReferenceData(sql: Sql, catalog: PgCatalog): Promise<void> {
  await addDepartments(sql, SHIPPED_DEPARTMENTS);
  // 2024–2026 from the package (source `chinese-days <version>`); later years are imported as the State
  // Council publishes them, and an imported year is never overwritten here.
  await installCalendar(sql, { ...CHINA_CALENDAR_BASE, name: '中国大陆 Mainland China' }, chineseDaysYears(2024, 2026));
  for (const definition of shippedDefinitions) await catalog.publish(definition);
  await seedServiceItems(sql, shippedServiceItems);
  await addLicenceTypes(sql, SHIPPED_LICENCE_TYPES);
}
