import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Agencies and offices; a tree from province down to district (`parent_code`). */
export const departments = pgTable(
  'departments',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    parentCode: text('parent_code').references((): AnyPgColumn => departments.code),
  },
  (t) => [index('departments_parent_idx').on(t.parentCode)],
);

/** People and department systems; each acts for exactly one department. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    roles: text('roles').array().notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [index('users_department_idx').on(t.departmentCode)],
);

/**
 * Out-of-office substitution (代理): while `[startsAt, endsAt)` holds, `substituteId` stands in for `userId` —
 * tasks opened for the absent person are opened for the substitute, and the absent person's claimed tasks may be
 * taken over. Cancelled windows are kept (the audit of who acted for whom refers to them).
 */
export const substitutions = pgTable(
  'substitutions',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    substituteId: text('substitute_id')
      .notNull()
      .references(() => users.id),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('substitutions_user_idx').on(t.userId, t.endsAt),
    index('substitutions_substitute_idx').on(t.substituteId, t.endsAt),
    check('substitutions_window', sql`${t.startsAt} < ${t.endsAt}`),
    check('substitutions_not_self', sql`${t.userId} <> ${t.substituteId}`),
  ],
);
