import postgres from 'postgres';

export type Sql = postgres.Sql;

/**
 * A postgres.js pool. Timestamps come back as `Date`, json/jsonb as parsed values; notices are not logged
 * (migrations and `IF NOT EXISTS` emit harmless ones).
 *
 * @example const sql = connect(process.env.DATABASE_URL!, { max: 10 });
 */
export function connect(databaseUrl: string, options: { max?: number } = {}): Sql {
  return postgres(databaseUrl, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'tongban' },
  });
}
