import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint } from '../support/case-footprint.js';
import { ROAD_V1_TO_V2, roadOccupationV2 } from '../support/road-occupation-v2.js';

/**
 * 流程版本迁移 through the HTTP API: v2 of the road occupation permit is published while v1 cases run; a designer
 * looks at the dry run, then migrates the cases they choose. The cases moved continue on v2 to their licence; the
 * case in a state the mapping leaves out is refused and unchanged; the case not chosen stays on v1 and finishes there.
 */

let f: ApiFixture;
const { start, complete, openTask } = caseDriver(() => f);
const ROAD_APPLICATION = { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation', answers: {} };
const BASE = '/api/catalog/definitions/road-occupation/migrations';

/** The cases, by where they are when v2 is published. */
const cases = { reviewing: '', signing: '', atWindow: '', notChosen: '', suspended: '' };

const inJointReview = async (): Promise<string> => {
  const caseId = await start(ROAD_APPLICATION);
  await complete('window.clerk', 'acceptance', caseId);
  return caseId;
};

beforeAll(async () => {
  f = await createApiFixture();
  // In joint review: traffic police's review claimed, the road office's approved.
  cases.reviewing = await inJointReview();
  expect((await f.as('traffic-police.handler').post(`/api/tasks/${await openTask('traffic-police.handler', 'review.traffic-police', cases.reviewing)}/claim`, {})).status).toBe(200);
  await complete('municipal-roads.handler', 'review.municipal-roads', cases.reviewing);
  // At the deputies' or-sign: both reviews approved.
  cases.signing = await inJointReview();
  await complete('traffic-police.handler', 'review.traffic-police', cases.signing);
  await complete('municipal-roads.handler', 'review.municipal-roads', cases.signing);
  // Still at the window's acceptance: a state the mapping leaves out.
  cases.atWindow = await start(ROAD_APPLICATION);
  cases.notChosen = await inJointReview();
  // Suspended (中止) in joint review: moved all the same, and still suspended.
  cases.suspended = await inJointReview();
  const suspension = await f.as('supervisor').post(`/api/cases/${cases.suspended}/suspension`, { reason: '诉讼 a lawsuit', legalBasis: '行政许可法' });
  expect(suspension.status, JSON.stringify(suspension.body)).toBe(200);
  await f.catalog.publish(roadOccupationV2);
});
afterAll(() => f.close());

const chosen = () => [cases.reviewing, cases.signing, cases.atWindow, cases.suspended];
const body = (change: object = {}) => ({ fromVersion: 1, toVersion: 2, mapping: ROAD_V1_TO_V2, caseIds: chosen(), ...change });
const versionOf = async (caseId: string) => Number((await f.sql`select definition_version from cases where id = ${caseId}`)[0]?.['definition_version']);
const footprints = () => Promise.all(Object.values(cases).map((id) => caseFootprint(f, id)));
const migrationsWritten = async () => Number((await f.sql`select count(*) from definition_migrations`)[0]?.['count']);
const task = (key: string, departmentCode: string) => expect.objectContaining({ key, departmentCode });

describe('the dry run', () => {
  it('names, per case, the tasks kept, opened and cancelled and the clocks that start and stop, and writes nothing', async () => {
    const before = await footprints();
    const res = await f.as('designer').post(`${BASE}/dry-run`, body());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toEqual({ cases: 4, migrate: 3, refused: 1, tasksKept: 3, tasksOpened: 3, tasksCancelled: 2 });
    const line = (caseId: string) => res.body.cases.find((l: { caseId: string }) => l.caseId === caseId);
    expect(line(cases.reviewing)).toMatchObject({
      outcome: 'migrate',
      toState: 'jointReview',
      tasks: { kept: [task('review.traffic-police', 'traffic-police')], opened: [task('review.water', 'water')], cancelled: [] },
      clocks: { started: ['task:review.water'], stopped: [] },
    });
    expect(line(cases.signing)).toMatchObject({
      outcome: 'migrate',
      fromState: 'signOff',
      toState: 'leadSignOff',
      tasks: { kept: [], opened: [task('leadSignOff', 'urban-management')], cancelled: [task('signOff.urban-management.deputy-a', 'urban-management'), task('signOff.urban-management.deputy-b', 'urban-management')] },
    });
    expect(line(cases.suspended)).toMatchObject({ outcome: 'migrate', tasks: { opened: [task('review.water', 'water')] }, clocks: { started: [] } });
    expect(line(cases.atWindow)).toMatchObject({ outcome: 'refused', code: 'TB-MIGRATION-UNMAPPED', detail: expect.stringContaining('road-occupation.acceptance') });
    expect(await footprints()).toEqual(before);
    expect(await migrationsWritten()).toBe(0);
  });
});

describe('a request that cannot run is refused before anything is written', () => {
  it.each([
    ['the same version twice', () => body({ toVersion: 1 }), 422, 'TB-COMMAND-INVALID'],
    ['a version not published', () => body({ toVersion: 9 }), 404, 'TB-DEFINITION-404'],
    ['a mapping naming a state v1 does not have', () => body({ mapping: { 'road-occupation.nowhere': 'road-occupation.leadSignOff' } }), 422, 'TB-MIGRATION-MAPPING'],
    ['a final state as a target', () => body({ mapping: { 'road-occupation.signOff': 'road-occupation.issued' } }), 422, 'TB-MIGRATION-MAPPING'],
    ['an empty mapping', () => body({ mapping: {} }), 422, 'TB-MIGRATION-MAPPING'],
    ['a case that is not a road occupation', () => body({ caseIds: [cases.reviewing, '00000000-0000-4000-8000-000000000000'] }), 422, 'TB-COMMAND-INVALID'],
    ['too many cases', () => body({ caseIds: Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`) }), 400, 'TB-VALIDATION'],
    ['a case chosen twice', () => body({ caseIds: [cases.reviewing, cases.reviewing] }), 400, 'TB-VALIDATION'],
  ])('%s → %i', async (_, request, status, code) => {
    const before = await footprints();
    for (const path of [`${BASE}/dry-run`, BASE]) {
      const res = await f.as('designer').post(path, request());
      expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, code]);
      expect(res.contentType).toContain('application/problem+json');
    }
    expect(await footprints()).toEqual(before);
    expect(await migrationsWritten()).toBe(0);
  });

  it('names each mapping entry that cannot apply', async () => {
    const res = await f.as('designer').post(BASE, body({ mapping: { ...ROAD_V1_TO_V2, 'road-occupation.acceptance': 'road-occupation.signOff' } }));
    expect(res.body.errors).toEqual([{ path: 'mapping.road-occupation.acceptance', message: 'road-occupation.signOff is not a state of road-occupation v2' }]);
  });

  it('only designers migrate: a supervisor or a lead → 403', async () => {
    for (const user of ['supervisor', 'urban-management.lead']) {
      expect((await f.as(user).post(BASE, body())).body.code).toBe('TB-PERMISSION');
      expect((await f.as(user).get(`${BASE}`)).status).toBe(403);
    }
    expect(await migrationsWritten()).toBe(0);
  });
});

describe('migrating the chosen cases', () => {
  let migrationId = '';

  it('runs in the background to its end: three cases moved with one case.migrated event each, the one at the window refused and unchanged', async () => {
    const atWindow = await caseFootprint(f, cases.atWindow);
    const notChosen = await caseFootprint(f, cases.notChosen);
    const securityBefore = Number((await f.sql`select count(*) from security_events where type = 'definition.migration.started'`)[0]?.['count']);
    const res = await f.as('designer').post(BASE, body());
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ definitionKey: 'road-occupation', fromVersion: 1, toVersion: 2, total: 4, startedBy: 'designer' });
    migrationId = res.body.id;
    let progress = res.body;
    for (let i = 0; progress.status !== 'finished' && i < 100; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      progress = (await f.as('designer').get(`/api/catalog/migrations/${migrationId}`)).body;
    }
    expect(progress).toMatchObject({ status: 'finished', total: 4, migrated: 3, refusals: [{ caseId: cases.atWindow, code: 'TB-MIGRATION-UNMAPPED', detail: expect.any(String) }] });
    expect(progress.finishedAt).not.toBeNull();
    expect((await f.as('designer').get(BASE)).body.items.map((m: { id: string }) => m.id)).toEqual([migrationId]);
    expect(Number((await f.sql`select count(*) from security_events where type = 'definition.migration.started'`)[0]?.['count'])).toBe(securityBefore + 1);

    expect(await Promise.all(Object.values(cases).map(versionOf))).toEqual([2, 2, 1, 1, 2]);
    expect((await caseFootprint(f, cases.suspended)).status).toBe('suspended');
    for (const caseId of [cases.reviewing, cases.signing, cases.suspended]) {
      const { timeline } = await caseFootprint(f, caseId);
      expect(timeline.filter((e: { type: string }) => e.type === 'case.migrated')).toEqual([
        expect.objectContaining({ actorId: 'designer', data: expect.objectContaining({ migrationId, fromVersion: 1, toVersion: 2 }) }),
      ]);
    }
    expect(await caseFootprint(f, cases.atWindow)).toEqual(atWindow);
    expect(await caseFootprint(f, cases.notChosen)).toEqual(notChosen);
    // Migrating a case again is refused: it is no longer on v1.
    const again = await f.as('designer').post(`${BASE}/dry-run`, body({ caseIds: [cases.reviewing] }));
    expect(again.body.cases).toEqual([expect.objectContaining({ outcome: 'refused', code: 'TB-CASE-NOT-ON-DEFINITION' })]);
  });

  it('the migrated cases finish on v2, the one not chosen on v1, through the API; every audit chain verifies', async () => {
    // Moved in joint review: traffic police's claimed review is the same task; the water office's review is new.
    await complete('traffic-police.handler', 'review.traffic-police', cases.reviewing);
    await complete('water.handler', 'review.water', cases.reviewing);
    await complete('urban-management.lead', 'leadSignOff', cases.reviewing);
    // Moved from the or-sign: the lead signs off instead of a deputy.
    await complete('urban-management.lead', 'leadSignOff', cases.signing);
    // Suspended while moved: resumed, it goes on on v2.
    expect((await f.as('supervisor').post(`/api/cases/${cases.suspended}/resumption`, { reason: '诉讼已审结 settled' })).status).toBe(200);
    for (const member of ['traffic-police', 'municipal-roads', 'water']) await complete(`${member}.handler`, `review.${member}`, cases.suspended);
    await complete('urban-management.lead', 'leadSignOff', cases.suspended);
    // Not chosen: v1 to its end, a deputy signing.
    await complete('traffic-police.handler', 'review.traffic-police', cases.notChosen);
    await complete('municipal-roads.handler', 'review.municipal-roads', cases.notChosen);
    await complete('urban-management.deputy-a', 'signOff.urban-management.deputy-a', cases.notChosen);
    for (const caseId of [cases.reviewing, cases.signing, cases.notChosen, cases.suspended]) {
      expect((await caseFootprint(f, caseId)).status).toBe('approved');
      const verdict = await f.as('supervisor').get(`/api/cases/${caseId}/audit/verification`);
      expect(verdict.body).toMatchObject({ ok: true });
    }
    expect(await Promise.all(Object.values(cases).map(versionOf))).toEqual([2, 2, 1, 1, 2]);
  });
});
