import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { S3Config } from '../platform/config.js';
import type { ObjectStore } from './material-storage.js';

/**
 * Material files as objects of an S3-compatible store (MinIO, Ceph, a cloud's object storage), by `@aws-sdk/client-s3`:
 * path-style addressing, which every S3-compatible server understands, at the configured endpoint and bucket.
 *
 * @example const objects = s3ObjectStore({ endpoint: 'http://minio:9000', bucket: 'tongban-materials', region: 'us-east-1', accessKeyId, secretAccessKey });
 */
export function s3ObjectStore(config: S3Config): ObjectStore {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const { bucket } = config;
  return {
    async put(key, bytes, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
    },
    async *get(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // In Node the body is a readable stream of Buffers.
      for await (const chunk of Body as Readable) yield chunk as Buffer;
    },
    async remove(keys) {
      // At most 1000 keys per request (S3's limit).
      for (let i = 0; i < keys.length; i += 1000) {
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
      }
    },
  };
}
