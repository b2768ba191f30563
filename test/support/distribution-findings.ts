import type postgres from 'postgres';
import { TABLE_DISTRIBUTION, type TableDistribution } from '../../db/schema/distribution.js';

const classes: Readonly<Record<string, TableDistribution>> = TABLE_DISTRIBUTION;

/** The distribution column of a case-owned table; none for another class. */
const columnOf = (table: string): string | undefined => {
  const entry = classes[table];
  return entry?.class === 'case-owned' ? entry.column : undefined;
};

/**
 * What in the live schema (`public`, read from pg_catalog) breaks the promises of `db/schema/distribution.ts`, one
 * sentence each: a table not classified (or classified and absent), a case-owned table whose distribution column is
 * nullable or missing from its primary key or from one of its unique indexes (unique constraints included) or with an
 * `id` that no index leads with (rows are found by their id alone: `select case_id from tasks where id = $1`), and a
 * foreign key to a case-owned table that does not hold the case on both sides. None: the schema could be sharded by case.
 */
export async function distributionFindings(sql: postgres.Sql): Promise<string[]> {
  const tables = await sql<{ table: string }[]>`
    select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  const indexes = await sql<{ table: string; index: string; primary: boolean; columns: string[] }[]>`
    select t.relname as table, i.relname as index, x.indisprimary as primary,
      array(select a.attname from unnest(x.indkey) k join pg_attribute a on a.attrelid = t.oid and a.attnum = k)::text[] as columns
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and x.indisunique order by 1, 2`;
  // Every index's first column: a row found by its id alone needs an index led by `id`.
  const leading = await sql<{ table: string; column: string }[]>`
    select t.relname as table, a.attname as column
    from pg_index x join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
    where n.nspname = 'public'`;
  const nullable = await sql<{ table: string; column: string }[]>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = 'public' and is_nullable = 'YES'`;
  const present = await sql<{ table: string; column: string }[]>`
    select table_name as table, column_name as column from information_schema.columns where table_schema = 'public'`;
  const references = await sql<{ name: string; table: string; columns: string[]; target: string; targetColumns: string[] }[]>`
    select c.conname as name, t.relname as table, f.relname as target,
      array(select a.attname from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as columns,
      array(select a.attname from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)::text[] as "targetColumns"
    from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class f on f.oid = c.confrelid join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and c.contype = 'f' order by 1`;

  const findings: string[] = [];
  const names = new Set(tables.map((t) => t.table));
  for (const table of names) if (!classes[table]) findings.push(`${table}: not classified in db/schema/distribution.ts`);
  for (const table of Object.keys(classes)) if (!names.has(table)) findings.push(`${table}: classified but not in the database`);

  for (const table of names) {
    const column = columnOf(table);
    if (!column) continue;
    if (!present.some((c) => c.table === table && c.column === column)) findings.push(`${table}: no column ${column}`);
    else if (nullable.some((c) => c.table === table && c.column === column)) findings.push(`${table}.${column}: nullable`);
    const own = indexes.filter((i) => i.table === table);
    if (!own.some((i) => i.primary)) findings.push(`${table}: no primary key`);
    const hasId = present.some((c) => c.table === table && c.column === 'id');
    if (hasId && !leading.some((l) => l.table === table && l.column === 'id')) findings.push(`${table}: no index led by id (its rows are found by id alone)`);
    for (const i of own) if (!i.columns.includes(column)) findings.push(`${table}: ${i.primary ? 'primary key' : 'unique index'} ${i.index} (${i.columns.join(', ')}) without ${column}`);
  }

  for (const r of references) {
    const targetColumn = columnOf(r.target);
    if (!targetColumn) continue;
    const column = columnOf(r.table);
    const paired = column !== undefined && r.columns.some((c, n) => c === column && r.targetColumns[n] === targetColumn);
    if (!paired) findings.push(`${r.table}: foreign key ${r.name} to ${r.target} without the case on both sides`);
  }
  return findings;
}
