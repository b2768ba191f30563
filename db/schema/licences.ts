import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Licence types (证照类型): what a licence of the type is called and how long it is valid (`valid_years` null:
 * without end, as a business licence of an unlimited company). Reference data, installed at start.
 */
export const licenceTypes = pgTable('licence_types', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  validYears: integer('valid_years'),
});

/**
 * The public keys licences were signed with (`key_id` is in each signature), kept after a key is retired so
 * that older licences still verify. The private key is a secret of the deployment, never in the database.
 */
export const signingKeys = pgTable('signing_keys', {
  keyId: text('key_id').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicKey: text('public_key').notNull(),
  createdAt: instant('created_at').notNull(),
  retiredAt: instant('retired_at'),
});

/**
 * Every licence number issued, once: what keeps numbers unique across cases, since `licences` (sharded by case on a
 * distributed PostgreSQL) can only hold constraints that include the case. The command that issues a licence
 * claims its number here in the same statement (`db/effects/case-file-writers.ts`): a number drawn twice fails
 * that command, as the unique constraint on `licences.number` did. `case_id` says whose it is.
 */
export const licenceNumbers = pgTable('licence_numbers', {
  number: text('number').primaryKey(),
  caseId: uuid('case_id').notNull(),
});
