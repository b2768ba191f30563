import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { DEFAULT_COUNTING_RULE, type CountingRule } from '../../engine/time/counting-rule.js';
import { DEFAULT_LADDER, type Ladder } from '../../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED, type ExtensionPolicy, type PauseReasonKind } from '../../engine/time/legal-clock.js';
import type { RequiredMaterial, ServiceItem, ServiceItemType } from '../../engine/service-item.js';
import { departments } from './organization.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Working calendars (工作日历) per jurisdiction. Their days are not here but in {@link calendarYears}, one row
 * per year of official data: the horizon (last day of the last year) and the version are derived from the
 * years, so an import that adds a year cannot leave a merged copy or a stored horizon behind.
 */
export const calendars = pgTable('calendars', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** IANA zone; `utcOffsetMinutes` is its fixed offset, checked against it when the calendar is built. */
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  utcOffsetMinutes: integer('utc_offset_minutes').notNull(),
  /** Days of the week off, 0 = Sunday … 6 = Saturday. */
  weekendDays: integer('weekend_days').array().notNull().default(sql`'{0,6}'::int[]`),
  /** The calendar this one adds its days to (a province's or autonomous region's on the national one). */
  parentCode: text('parent_code').references((): AnyPgColumn => calendars.code),
});

/**
 * One year of a calendar's official data (a 放假调休 arrangement): dates are local `YYYY-MM-DD`. Rows with
 * `imported_by` null were installed from the maintained package at start and follow it; an imported row
 * (an administrator's or the CLI's) is never overwritten by the package.
 */
export const calendarYears = pgTable(
  'calendar_years',
  {
    calendarCode: text('calendar_code')
      .notNull()
      .references(() => calendars.code),
    year: integer('year').notNull(),
    holidays: text('holidays').array().notNull(),
    makeUpWorkdays: text('make_up_workdays').array().notNull(),
    source: text('source').notNull(),
    /** `sha256:` of the canonical JSON of the year's data, as written on the security log at its import. */
    checksum: text('checksum').notNull(),
    importedAt: instant('imported_at').notNull().defaultNow(),
    importedBy: text('imported_by'),
  },
  (t) => [primaryKey({ columns: [t.calendarCode, t.year] })],
);

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
    /** The designer who published it; null for a version shipped with Tongban (installed at start). */
    publishedBy: text('published_by'),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] }), check('process_definitions_version_positive', sql`${t.version} > 0`)],
);

/**
 * A designer's draft of a definition version (uploaded JSON in the engine's vocabulary), until it is published
 * into {@link processDefinitions}, which deletes it. A version already published cannot be drafted again.
 */
export const definitionDrafts = pgTable(
  'definition_drafts',
  {
    key: text('key').notNull(),
    version: integer('version').notNull(),
    title: text('title').notNull(),
    machine: jsonb('machine').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] }), check('definition_drafts_version_positive', sql`${t.version} > 0`)],
);

/**
 * The catalogue of service items (事项): each item's version in force, the one a new case starts under
 * (`cases.service_item_version` pins it). Its history, and the drafts, are in {@link serviceItemVersions}.
 */
export const serviceItems = pgTable(
  'service_items',
  {
    code: text('code').primaryKey(),
    version: integer('version').notNull().default(1),
    name: text('name').notNull(),
    type: text('type').$type<ServiceItemType>().notNull().default('administrative-licence'),
    legalBasis: text('legal_basis').notNull(),
    legalBasisVersion: text('legal_basis_version').notNull().default(''),
    scope: text('scope').notNull().default(''),
    leadDepartment: text('lead_department')
      .notNull()
      .references(() => departments.code),
    participatingDepartments: text('participating_departments').array().notNull().default(sql`'{}'::text[]`),
    legalLimitDays: integer('legal_limit_days').notNull(),
    committedLimitDays: integer('committed_limit_days').notNull(),
    definitionKey: text('definition_key').notNull(),
    definitionVersion: integer('definition_version').notNull(),
    calendarCode: text('calendar_code')
      .notNull()
      .references(() => calendars.code),
    /** When a receipt starts the count (cut-off time); the law's usual rule unless the item's regulation says otherwise. */
    countingRule: jsonb('counting_rule').$type<CountingRule>().notNull().default(DEFAULT_COUNTING_RULE),
    /** How far its cases' clocks may be extended (art. 42); a single department's rule (¶1) unless the item says otherwise. */
    extension: jsonb('extension').$type<ExtensionPolicy>().notNull().default({ maxWorkingDays: 10, maxTimes: 1 }),
    /** The procedures whose time its limits do not count (art. 32, art. 45, and what the item's own law adds). */
    uncountedProcedures: jsonb('uncounted_procedures').$type<readonly PauseReasonKind[]>().notNull().default(STATUTORY_UNCOUNTED),
    /** The warning ladder its clocks climb. */
    ladder: jsonb('ladder').$type<Ladder>().notNull().default(DEFAULT_LADDER),
    materials: jsonb('materials').$type<readonly RequiredMaterial[]>().notNull().default([]),
  },
  (t) => [
    check('service_items_limits', sql`${t.committedLimitDays} > 0 and ${t.committedLimitDays} <= ${t.legalLimitDays}`),
  ],
);

/**
 * Every version of every service item, drafts included: `content` is the item (a `ServiceItem` without its code
 * and version). A published version is never changed or deleted (a trigger of migration 0027 refuses it);
 * publishing one makes it the item's version in force ({@link serviceItems}). `published_by` null: a version
 * shipped with Tongban, installed at start (a seed, which never replaces a designer's publication).
 */
export const serviceItemVersions = pgTable(
  'service_item_versions',
  {
    code: text('code').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull(),
    content: jsonb('content').$type<Omit<ServiceItem, 'code' | 'version'>>().notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: instant('updated_at').notNull(),
    publishedBy: text('published_by'),
    publishedAt: instant('published_at'),
  },
  (t) => [
    primaryKey({ columns: [t.code, t.version] }),
    check('service_item_versions_version_positive', sql`${t.version} > 0`),
    check('service_item_versions_status', sql`${t.status} in ('draft', 'published')`),
  ],
);
