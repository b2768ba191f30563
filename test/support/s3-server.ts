import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../../platform/config.js';
import { getFreePort } from '../../platform/free-port.js';

/** A real S3-compatible server for a test file (s3rver, on a free port, its objects in a directory of its own), with one bucket. */
export async function startS3Server(bucket: string): Promise<{ config: S3Config; directory: string; close(): Promise<void> }> {
  const directory = mkdtempSync(join(process.env['TONGBAN_TEST_DATA_DIR'] ?? tmpdir(), 's3-'));
  const port = await getFreePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket }] });
  await server.run();
  return {
    // s3rver checks signatures against its one pair of keys.
    config: { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    directory,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
