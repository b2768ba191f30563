import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
