import { expect } from 'vitest';
import type { Answer, ApiFixture } from './api-fixture.js';

/** An upload as the workspace sends it (`POST /api/materials/uploads`): one file in the multipart field `file`. */
export async function uploadMaterial(f: ApiFixture, user: string, bytes: Buffer, fileName: string, type = ''): Promise<Answer> {
  const body = new FormData();
  body.set('file', new File([bytes], fileName, type ? { type } : {}));
  const res = await f.app.request('/api/materials/uploads', { method: 'POST', headers: { authorization: `Bearer ${await f.token(user)}` }, body });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, contentType: res.headers.get('content-type') };
}

/** An upload that must be kept: its `blobId`, to name in a start or a supplement. */
export async function uploadedMaterial(f: ApiFixture, user: string, bytes: Buffer, fileName: string): Promise<string> {
  const res = await uploadMaterial(f, user, bytes, fileName);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.blobId as string;
}

/** A small PDF (what its leading bytes say), `text` inside and `padding` spaces after. */
export const pdfOf = (text: string, padding = 0): Buffer => Buffer.concat([Buffer.from(`%PDF-1.7\n${text}\n`), Buffer.alloc(padding, 0x20)]);
