import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceItems } from '../../db/schema/index.js';
import { LEAD_DEPARTMENT } from '../../engine/definitions/case-machine.js';
import type { CountersignMode, RejectionPolicy } from '../../engine/definitions/countersign.js';
import { onOutcome, taskState } from '../../engine/definitions/definition-parts.js';
import { issuedState, refusedState } from '../../engine/definitions/final-states.js';
import { countersignState } from '../../engine/definitions/joint-review.js';
import type { ProcessDefinition } from '../../engine/definitions/process-definition.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint } from '../support/case-footprint.js';

/**
 * The countersign modes the shipped processes do not use, on definitions this file publishes itself: 依次
 * (sequential: each signer's task opens once the one before approved, a rejection ends it) and 会签 (all) with
 * both rejection policies — `end` leaves at the first rejection, `finish` waits for every signer and keeps every
 * reason. Three departments sign for the housing department, which leads the case and signs the refusal. A signer
 * department does not read another's vote before the joint decision (it is withheld), the lead does.
 */

const SIGNERS = ['fire', 'water', 'planning'] as const;
const task = (department: string) => `signing.${department}`;

/** One step signed by fire, water and planning in `mode`; approved, a licence; rejected, the lead's refusal. */
function signing(key: string, mode: CountersignMode, onRejection?: RejectionPolicy): ProcessDefinition {
  return {
    key,
    version: 1,
    title: `Countersign ${key}`,
    machine: {
      id: key,
      context: { outcomes: {}, rejections: [] },
      initial: 'signing',
      states: {
        signing: countersignState(
          { step: 'signing', mode, kind: 'review', title: '会签 Countersign', workingDays: 3, signers: SIGNERS.map((department) => ({ department })), onRejection },
          { approved: 'issued', rejected: 'refusal' },
        ),
        refusal: taskState({ task: 'refusal', kind: 'decision', title: '不予许可 Refusal', department: LEAD_DEPARTMENT, workingDays: 2 }, { 'task.approved': onOutcome('refusal', 'refused') }),
        issued: issuedState({ licenceType: 'cs', title: 'Countersigned permit' }),
        refused: refusedState(),
      },
    },
  };
}

const DEFINITIONS = [signing('cs-sequential', 'sequential'), signing('cs-all-end', 'all', 'end'), signing('cs-all-finish', 'all', 'finish')];

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  for (const definition of DEFINITIONS) {
    await f.catalog.publish(definition);
    await drizzle(f.sql)
      .insert(serviceItems)
      .values({ code: definition.key, name: definition.title, legalBasis: 'test', leadDepartment: 'housing', legalLimitDays: 20, committedLimitDays: 10, definitionKey: definition.key, definitionVersion: definition.version, calendarCode: 'cn' });
  }
});
afterAll(() => f.close());
const { start, complete, openTask } = caseDriver(() => f);

const startSigning = (item: string) => start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: item });

/** The step's tasks by signer department, as the supervisor reads the case: their statuses in order. */
async function statuses(caseId: string): Promise<Record<string, string[]>> {
  const { tasks } = await caseFootprint(f, caseId);
  return Object.fromEntries(SIGNERS.map((d) => [d, tasks.filter((t: { key: string }) => t.key === task(d)).map((t: { status: string }) => t.status)]));
}

interface Signer {
  readonly department: string;
  readonly vote: string | null;
  readonly reason: string | null;
  readonly withheld: boolean;
}

async function signersAs(user: string, caseId: string): Promise<{ outcome: string | null; signers: Signer[] }> {
  const res = await f.as(user).get(`/api/cases/${caseId}/joint-reviews`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const step = res.body.countersigns.find((s: { step: string }) => s.step === 'signing');
  return { outcome: step.outcome, signers: step.signers.map(({ department, vote, reason, withheld }: Signer) => ({ department, vote, reason, withheld })) };
}

const WATER_REASON = '未取得取水许可 No water abstraction permit';
const FIRE_REASON = '消防车道不足4米 The fire lane is under 4 m';

describe('依次: sequential signing', () => {
  it('opens each signer’s task only after the one before approved, in the declared order', async () => {
    const caseId = await startSigning('cs-sequential');
    expect(await statuses(caseId)).toEqual({ fire: ['open'], water: [], planning: [] });
    await complete('fire.handler', task('fire'), caseId);
    expect(await statuses(caseId)).toEqual({ fire: ['completed'], water: ['open'], planning: [] });
    await complete('water.handler', task('water'), caseId);
    expect(await statuses(caseId)).toEqual({ fire: ['completed'], water: ['completed'], planning: ['open'] });
    expect((await complete('planning.handler', task('planning'), caseId)).status).toBe('approved');
  });

  it('a rejection ends it: the later signers are never asked, the lead signs the refusal', async () => {
    const caseId = await startSigning('cs-sequential');
    await complete('fire.handler', task('fire'), caseId);
    expect((await complete('water.handler', task('water'), caseId, 'reject', WATER_REASON)).state).toBe('refusal');
    expect(await statuses(caseId)).toEqual({ fire: ['completed'], water: ['completed'], planning: [] });
    expect((await signersAs('housing.lead', caseId)).outcome).toBe('rejected');
  });
});

describe('会签: every signer must approve', () => {
  it('`end`: the first rejection leaves the step at once, the other signers’ tasks cancelled', async () => {
    const caseId = await startSigning('cs-all-end');
    expect(await statuses(caseId)).toEqual({ fire: ['open'], water: ['open'], planning: ['open'] });
    expect((await complete('water.handler', task('water'), caseId, 'reject', WATER_REASON)).state).toBe('refusal');
    expect(await statuses(caseId)).toEqual({ fire: ['cancelled'], water: ['completed'], planning: ['cancelled'] });
    expect(await signersAs('housing.lead', caseId)).toEqual({
      outcome: 'rejected',
      signers: [
        { department: 'fire', vote: null, reason: null, withheld: false },
        { department: 'water', vote: 'reject', reason: WATER_REASON, withheld: false },
        { department: 'planning', vote: null, reason: null, withheld: false },
      ],
    });
  });

  it('`finish`: after a rejection every signer still signs, and the refusal gives every reason', async () => {
    const caseId = await startSigning('cs-all-finish');
    expect((await complete('water.handler', task('water'), caseId, 'reject', WATER_REASON)).state).toBe('signing');
    expect(await statuses(caseId)).toEqual({ fire: ['open'], water: ['completed'], planning: ['open'] });
    expect((await complete('fire.handler', task('fire'), caseId, 'reject', FIRE_REASON)).state).toBe('signing');
    expect((await complete('planning.handler', task('planning'), caseId)).state).toBe('refusal');
    expect(await signersAs('housing.lead', caseId)).toEqual({
      outcome: 'rejected',
      signers: [
        { department: 'fire', vote: 'reject', reason: FIRE_REASON, withheld: false },
        { department: 'water', vote: 'reject', reason: WATER_REASON, withheld: false },
        { department: 'planning', vote: 'approve', reason: null, withheld: false },
      ],
    });
    expect((await complete('housing.lead', 'refusal', caseId, 'approve', '不予许可 Refused')).status).toBe('refused');
    const [notice] = await f.sql`select data from notifications where case_id = ${caseId} and template = 'case.refused'`;
    expect(notice?.['data']).toEqual({
      reasons: [
        { department: 'water', reason: WATER_REASON },
        { department: 'fire', reason: FIRE_REASON },
      ],
    });
  });

  it('a signer department reads another’s vote only once the joint decision is made; the lead and supervisors read it at once', async () => {
    const caseId = await startSigning('cs-all-finish');
    await complete('water.handler', task('water'), caseId, 'reject', WATER_REASON);
    const water = (signers: Signer[]) => signers.find((s) => s.department === 'water');
    expect(water((await signersAs('fire.handler', caseId)).signers)).toEqual({ department: 'water', vote: null, reason: null, withheld: true });
    for (const reader of ['water.handler', 'housing.lead', 'supervisor']) {
      expect(water((await signersAs(reader, caseId)).signers), reader).toEqual({ department: 'water', vote: 'reject', reason: WATER_REASON, withheld: false });
    }
    // Fire's own vote is fire's to read; planning, still to sign, reads neither.
    await complete('fire.handler', task('fire'), caseId);
    expect((await signersAs('fire.handler', caseId)).signers.map((s) => [s.department, s.vote, s.withheld])).toEqual([
      ['fire', 'approve', false],
      ['water', null, true],
      ['planning', null, false],
    ]);
    expect((await signersAs('planning.handler', caseId)).signers.map((s) => [s.department, s.vote, s.withheld])).toEqual([
      ['fire', null, true],
      ['water', null, true],
      ['planning', null, false],
    ]);

    await complete('planning.handler', task('planning'), caseId);
    await openTask('housing.lead', 'refusal', caseId);
    await complete('housing.lead', 'refusal', caseId, 'approve', '不予许可 Refused');
    expect(water((await signersAs('fire.handler', caseId)).signers)).toEqual({ department: 'water', vote: 'reject', reason: WATER_REASON, withheld: false });
  });
});
