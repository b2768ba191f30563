import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../../db/audit-verification.js';
import { roadOccupationItem } from '../../../workflows/road-occupation.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { startApiFleet, type ApiFleet } from '../../support/api-fleet.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import type { ApiProcess, Fleet } from '../../support/fleet.js';
import { roadOccupationV2 } from '../../support/road-occupation-v2.js';

/**
 * Issue 18, scenario 9: a definition gets a new version while cases run on the old one.
 * Fault: road occupation v1 cases are mid-flight (in joint review, one with a member's approval, one untouched) when a
 * designer publishes v2 through the API of process A (another joint-review member, a lead's sign-off instead of the
 * deputies' or-sign) and an item version that puts it in force; new cases start on both API processes.
 * Expected: new cases run on v2 (on B once its catalogue entry expires, `MUTABLE_TTL_MS`); nothing migrates the
 * running ones: driven to their end through the API, they finish on v1, with v1's tasks and states (the deputies'
 * or-sign, no drainage review), their stored definition version unchanged. The explicit migration is
 * `definition-migration-http.test.ts`.
 */

let f: EngineFixture;
let fleet: Fleet;
let a: ApiProcess;
let b: ApiProcess;
let w: ApiFleet;
beforeAll(async () => {
  w = await startApiFleet('versions');
  ({ f, fleet } = w);
  [a, b] = w.apis as [ApiProcess, ApiProcess];
}, 60_000);
afterAll(() => w?.close());

const ROAD_APPLICATION = { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation', answers: {} };

async function start(api: ApiProcess): Promise<string> {
  const res = await fleet.as('window.clerk').post(api, '/api/cases', ROAD_APPLICATION);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.caseId as string;
}

/** Completes the case's open task `key` as `user` through `api`, approving it. */
async function complete(api: ApiProcess, user: string, caseId: string, key: string): Promise<void> {
  const [task] = await f.sql`select id from tasks where case_id = ${caseId} and key = ${key} and status in ('open', 'claimed')`;
  expect(task, `${key} should be open on ${caseId}`).toBeDefined();
  const res = await fleet.as(user).post(api, `/api/tasks/${String(task!['id'])}/complete`, { outcome: 'approve', opinion: { text: '同意 Approved' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const caseOf = async (caseId: string) =>
  (await f.sql<{ definitionVersion: number; status: string; state: string }[]>`
    select definition_version as "definitionVersion", status, state_label as state from cases where id = ${caseId}`)[0]!;
const taskKeys = async (caseId: string) => (await f.sql`select key from tasks where case_id = ${caseId} order by key`).map((t) => t['key'] as string);

describe('a new definition version published while cases run on the old one', () => {
  it('new cases start on it; the running ones finish on theirs, unmigrated', { timeout: 60_000 }, async () => {
    // Mid-flight on v1: one with the road office's approval, one untouched, both in joint review.
    const [reviewed, untouched] = await Promise.all([start(a), start(b)]);
    await Promise.all([complete(a, 'window.clerk', reviewed, 'acceptance'), complete(b, 'window.clerk', untouched, 'acceptance')]);
    await complete(b, 'municipal-roads.handler', reviewed, 'review.municipal-roads');

    // The designer publishes v2 through A and puts it in force with a new item version.
    const { code, version: itemVersion, ...item } = roadOccupationItem;
    const { key, version, title, machine } = roadOccupationV2;
    const designer = fleet.as('designer');
    const drafted = await designer.post(a, `/api/catalog/definitions/${key}/drafts`, { version, title, machine });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect((await designer.post(a, `/api/catalog/definitions/${key}/versions/${version}/publication`)).status).toBe(200);
    const itemDraft = await designer.post(a, `/api/catalog/service-items/${code}/drafts`, { ...item, version: itemVersion + 1, definitionVersion: version });
    expect(itemDraft.status, JSON.stringify(itemDraft.body)).toBe(201);
    expect((await designer.post(a, `/api/catalog/service-items/${code}/versions/${itemVersion + 1}/publication`)).status).toBe(200);

    // New cases: on v2 at once through A; through B once its cached catalogue entry has expired.
    const onA = await start(a);
    await fleet.setClock(new Date(fleet.now().getTime() + 31_000));
    const onB = await start(b);
    for (const caseId of [onA, onB]) {
      expect(await caseOf(caseId)).toMatchObject({ definitionVersion: 2 });
      await complete(caseId === onA ? a : b, 'window.clerk', caseId, 'acceptance');
      expect(await taskKeys(caseId)).toContain('review.water');
    }

    // The running cases go on to their end through both processes, on v1: the deputies' or-sign, no drainage review.
    await complete(a, 'traffic-police.handler', reviewed, 'review.traffic-police');
    await Promise.all([complete(b, 'traffic-police.handler', untouched, 'review.traffic-police'), complete(a, 'municipal-roads.handler', untouched, 'review.municipal-roads')]);
    for (const caseId of [reviewed, untouched]) {
      expect(await caseOf(caseId)).toMatchObject({ definitionVersion: 1, state: 'signOff' });
      await complete(caseId === reviewed ? b : a, 'urban-management.deputy-a', caseId, 'signOff.urban-management.deputy-a');
      expect(await caseOf(caseId)).toEqual({ definitionVersion: 1, status: 'approved', state: 'issued' });
      const keys = await taskKeys(caseId);
      expect(keys).toEqual(expect.arrayContaining(['acceptance', 'review.municipal-roads', 'review.traffic-police', 'signOff.urban-management.deputy-a']));
      expect(keys).not.toContain('review.water');
      expect(keys).not.toContain('leadSignOff');
      expect(await f.sql`select type from audit_events where case_id = ${caseId} and type = 'case.migrated'`).toEqual([]);
      expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
    }
    expect(await f.sql`select id from definition_migrations`).toEqual([]);
  });
});
