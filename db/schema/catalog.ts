import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { departments } from './organization.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Working calendars (工作日历) per jurisdiction; dates are local `YYYY-MM-DD`. */
export const calendars = pgTable('calendars', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  utcOffsetMinutes: integer('utc_offset_minutes').notNull(),
  holidays: text('holidays').array().notNull(),
  makeUpWorkdays: text('make_up_workdays').array().notNull(),
});

/** Published process definitions; a (key, version) row is never updated. */
export const processDefinitions = pgTable(
  'process_definitions',
  {
    key: text('key').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    machine: jsonb('machine').notNull(),
    checksum: text('checksum').notNull(),
    publishedAt: instant('published_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] }), check('process_definitions_version_positive', sql`${t.version} > 0`)],
);

/** The catalogue of service items (事项). */
export const serviceItems = pgTable(
  'service_items',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    legalBasis: text('legal_basis').notNull(),
    leadDepartment: text('lead_department')
      .notNull()
      .references(() => departments.code),
    legalLimitDays: integer('legal_limit_days').notNull(),
    committedLimitDays: integer('committed_limit_days').notNull(),
    definitionKey: text('definition_key').notNull(),
    calendarCode: text('calendar_code')
      .notNull()
      .references(() => calendars.code),
  },
  (t) => [
    check('service_items_limits', sql`${t.committedLimitDays} > 0 and ${t.committedLimitDays} <= ${t.legalLimitDays}`),
  ],
);
