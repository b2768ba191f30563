import { expect } from 'vitest';
import type { Answer, ApiFixture } from './api-fixture.js';

/** What a command on a case can change, as the supervisor reads it through the API: version, status, state, tasks, timeline. */
export async function caseFootprint(f: ApiFixture, caseId: string) {
  const res = await f.as('supervisor').get(`/api/cases/${caseId}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const { version, status, state, tasks, timeline } = res.body;
  return { version, status, state, tasks, timeline };
}

/**
 * Sends a move that must be refused: it answers `status` as problem+json, with `code` when given, and the case
 * reads exactly as it did before (version, status, state, every task, the timeline).
 */
export async function expectRefused(f: ApiFixture, caseId: string, send: () => Promise<Answer>, status: number, code?: string): Promise<Answer> {
  const before = await caseFootprint(f, caseId);
  const res = await send();
  expect({ status: res.status, code: code === undefined ? undefined : res.body?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expect(res.contentType).toContain('application/problem+json');
  expect(await caseFootprint(f, caseId)).toEqual(before);
  return res;
}
