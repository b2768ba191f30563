import { boolean, index, pgTable, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

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
