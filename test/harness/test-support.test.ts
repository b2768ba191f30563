import postgres from 'postgres';
import { expect, test } from 'vitest';
import { createTestDatabase } from '../support/test-database.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';

test('createTestDatabase gives a database of its own, and drop removes it', async () => {
  const db = await createTestDatabase();
  const sql = postgres(db.url, { max: 1 });
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  // Left open on purpose: drop() must terminate it.
  expect(row?.name).toMatch(/^t_[0-9a-f]{32}$/);
  await db.drop();
  await expect(sql`select 1`).rejects.toThrow();
  await sql.end();
});

test('deleteKeysWithPrefix deletes only that prefix', async () => {
  const mine = testQueuePrefix();
  const other = testQueuePrefix();
  const redis = createRedisConnection();
  try {
    await redis.set(`${mine}:a`, '1');
    await redis.set(`${mine}:b`, '1');
    await redis.set(`${other}:a`, '1');
    await deleteKeysWithPrefix(mine);
    expect(await redis.exists(`${mine}:a`, `${mine}:b`)).toBe(0);
    expect(await redis.exists(`${other}:a`)).toBe(1);
    await deleteKeysWithPrefix(other);
  } finally {
    await redis.quit();
  }
});
