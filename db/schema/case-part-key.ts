import { primaryKey, type PgColumn } from 'drizzle-orm/pg-core';

/**
 * The primary key of a case's part (a task, an opinion, a timer…): `(id, case_id)`. `case_id` is in it so that a
 * PostgreSQL sharded by case (Citus, distribution column `case_id`) can keep it: a distributed table's unique
 * constraints must hold its distribution column (`distribution.ts`). `id` comes first so that the rows found by
 * their id alone (`select case_id from tasks where id = $1`, the API's reads) still use it, with no second index
 * on `id` to write with every row; `id` stays unique on its own by construction, a random UUID.
 */
export const casePartKey = (t: { readonly id: PgColumn; readonly caseId: PgColumn }) => primaryKey({ columns: [t.id, t.caseId] });
