import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * Who takes part in the construction permit's joint review, through the HTTP API: the application's answers
 * bring the optional members (civil air defence, water) in; the lead department (housing) adds or removes one at
 * acceptance with a reason (`POST .../joint-reviews/{review}/members`), and closes the review once a member has
 * rejected (`POST .../joint-reviews/{review}/closure`). `GET /api/cases/{id}/moves` offers these moves to the lead
 * department only, and only when they would be accepted.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, complete, startInJointReview } = caseDriver(() => f);

const REVIEW = '/joint-reviews/jointReview';
const ADD_WATER = { department: 'water', joins: true, reason: '项目接入市政供水管网 The project connects to the water mains' };
const REMOVE_CIVIL_AIR_DEFENCE = { department: 'civil-air-defence', joins: false, reason: '经核实无地下空间 No underground space, as checked' };
const CLOSING = { reason: '已有部门不予通过，不再等待其余审查 A member refused; the rest is not waited for' };
const FIRE_REASON = '消防车道宽度不足4米 The fire lane is under 4 m';
const WATER_REASON = '排水方案未取得排水许可 No drainage permit';

const changeMembers = (user: string, caseId: string, body: object) => f.as(user).post(`/api/cases/${caseId}${REVIEW}/members`, body);
const closeReview = (user: string, caseId: string) => f.as(user).post(`/api/cases/${caseId}${REVIEW}/closure`, CLOSING);

interface Member {
  readonly department: string;
  readonly required: boolean;
  readonly joins: boolean;
  readonly whenAnswer: string | null;
  readonly answer: unknown;
  readonly change: { joins: boolean; reason: string } | null;
}

async function membersOf(caseId: string): Promise<Record<string, Omit<Member, 'department'>>> {
  const res = await f.as('housing.lead').get(`/api/cases/${caseId}/joint-reviews`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.reviews.map((r: { review: string }) => r.review)).toEqual(['jointReview']);
  return Object.fromEntries(res.body.reviews[0].members.map(({ department, ...m }: Member) => [department, m]));
}

/** The departments whose review is open, sorted. */
async function reviewing(caseId: string): Promise<string[]> {
  const { tasks } = await caseFootprint(f, caseId);
  return tasks.filter((t: { key: string; status: string }) => t.key.startsWith('review.') && t.status === 'open').map((t: { departmentCode: string }) => t.departmentCode).sort();
}

/** The moves `user` is offered on the case, of the given types, without their task ids. */
async function movesOf(user: string, caseId: string, ...types: string[]): Promise<object[]> {
  const res = await f.as(user).get(`/api/cases/${caseId}/moves`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.moves.filter((m: { type: string }) => types.includes(m.type));
}

const REQUIRED = { required: true, joins: true, whenAnswer: null, answer: null, change: null };

describe('members decided by the application’s answers', () => {
  it('an answer that is yes brings its optional member in, one not given leaves it out; accepted, their reviews open', async () => {
    const caseId = await start({ ...CONSTRUCTION_APPLICATION, answers: { hasUndergroundSpace: true } });
    expect(await membersOf(caseId)).toEqual({
      planning: REQUIRED,
      ecology: REQUIRED,
      fire: REQUIRED,
      'civil-air-defence': { required: false, joins: true, whenAnswer: 'hasUndergroundSpace', answer: true, change: null },
      water: { required: false, joins: false, whenAnswer: 'connectsToWaterSupply', answer: null, change: null },
    });
    await complete('window.clerk', 'acceptance', caseId);
    expect(await reviewing(caseId)).toEqual(['civil-air-defence', 'ecology', 'fire', 'planning']);
  });
});

describe('the lead department changes the members at acceptance', () => {
  it('adds water and removes civil air defence, each with its reason, audited; the reviews that open follow', async () => {
    const caseId = await start({ ...CONSTRUCTION_APPLICATION, answers: { hasUndergroundSpace: true } });
    const added = await changeMembers('housing.lead', caseId, ADD_WATER);
    expect([added.status, added.body.changed], JSON.stringify(added.body)).toEqual([200, true]);
    // A handler of the lead department may change them too.
    expect((await changeMembers('housing.handler', caseId, REMOVE_CIVIL_AIR_DEFENCE)).status).toBe(200);
    // The lead's decision overrides the application's answer, given or not.
    expect(await membersOf(caseId)).toMatchObject({
      water: { joins: true, answer: null, change: { joins: true, reason: ADD_WATER.reason } },
      'civil-air-defence': { joins: false, answer: true, change: { joins: false, reason: REMOVE_CIVIL_AIR_DEFENCE.reason } },
    });
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.slice(-2)).toMatchObject([
      { type: 'review.member-added', actorId: 'housing.lead', data: { review: 'jointReview', department: 'water', reason: ADD_WATER.reason } },
      { type: 'review.member-removed', actorId: 'housing.handler', data: { review: 'jointReview', department: 'civil-air-defence', reason: REMOVE_CIVIL_AIR_DEFENCE.reason } },
    ]);
    await complete('window.clerk', 'acceptance', caseId);
    expect(await reviewing(caseId)).toEqual(['ecology', 'fire', 'planning', 'water']);
  });

  it('refused, changing nothing: a role without the move (403), a department not in the case (404), a required member (409), after acceptance (409)', async () => {
    const caseId = await start();
    await expectRefused(f, caseId, () => changeMembers('window.clerk', caseId, REMOVE_CIVIL_AIR_DEFENCE), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => changeMembers('fire.lead', caseId, REMOVE_CIVIL_AIR_DEFENCE), 404, 'TB-CASE-404');
    await expectRefused(f, caseId, () => changeMembers('housing.lead', caseId, { department: 'planning', joins: false, reason: '不需要 Not needed' }), 409, 'TB-COMMAND-REJECTED');
    await expectRefused(f, caseId, () => changeMembers('housing.lead', caseId, { ...ADD_WATER, department: 'police' }), 409, 'TB-COMMAND-REJECTED');

    await complete('window.clerk', 'acceptance', caseId);
    await expectRefused(f, caseId, () => changeMembers('housing.lead', caseId, REMOVE_CIVIL_AIR_DEFENCE), 409, 'TB-COMMAND-REJECTED');
    // In the review, fire takes part, yet it is not the lead department.
    await expectRefused(f, caseId, () => changeMembers('fire.lead', caseId, REMOVE_CIVIL_AIR_DEFENCE), 403, 'TB-FORBIDDEN');
  });

  it('GET /moves offers the changes to the lead department at acceptance only', async () => {
    const caseId = await start({ ...CONSTRUCTION_APPLICATION, answers: { hasUndergroundSpace: true } });
    const changes = [
      { type: 'review.members.change', review: 'jointReview', department: 'civil-air-defence', joins: false },
      { type: 'review.members.change', review: 'jointReview', department: 'water', joins: true },
    ];
    const byDepartment = (moves: object[]) => (moves as { department: string }[]).sort((a, b) => a.department.localeCompare(b.department));
    for (const user of ['housing.lead', 'housing.handler']) expect(byDepartment(await movesOf(user, caseId, 'review.members.change')), user).toEqual(changes);
    for (const user of ['window.clerk', 'supervisor']) expect(await movesOf(user, caseId, 'review.members.change'), user).toEqual([]);
    await complete('window.clerk', 'acceptance', caseId);
    expect(await movesOf('housing.lead', caseId, 'review.members.change')).toEqual([]);
  });
});

describe('the lead closes the review after a rejection', () => {
  it('cancels the reviews still open and opens the refusal, which gives every reason given', async () => {
    const caseId = await startInJointReview();
    await complete('planning.handler', 'review.planning', caseId);
    await complete('fire.handler', 'review.fire', caseId, 'reject', FIRE_REASON);
    await complete('water.handler', 'review.water', caseId, 'reject', WATER_REASON);
    const open = (await caseFootprint(f, caseId)).tasks.filter((t: { status: string }) => t.status === 'open').map((t: { id: string }) => t.id);
    expect(open).toHaveLength(2); // ecology, civil air defence

    const res = await closeReview('housing.lead', caseId);
    expect([res.status, res.body.state], JSON.stringify(res.body)).toEqual([200, 'jointRefusal']);
    const { tasks, timeline } = await caseFootprint(f, caseId);
    expect(tasks.filter((t: { id: string }) => open.includes(t.id)).map((t: { status: string }) => t.status)).toEqual(['cancelled', 'cancelled']);
    expect(tasks.filter((t: { status: string }) => t.status === 'open').map((t: { key: string; departmentCode: string }) => [t.key, t.departmentCode])).toEqual([['refusal', 'housing']]);
    const closed = timeline.at(-1);
    expect([closed.type, closed.actorId, closed.data.review, closed.data.reason]).toEqual(['review.closed', 'housing.lead', 'jointReview', CLOSING.reason]);
    expect([...closed.data.cancelledTasks].sort()).toEqual([...open].sort());

    expect((await complete('housing.lead', 'refusal', caseId, 'approve', '不予许可 Refused')).status).toBe('refused');
    const [notice] = await f.sql`select data from notifications where case_id = ${caseId} and template = 'case.refused'`;
    expect(notice?.['data']).toEqual({
      reasons: [
        { department: 'fire', reason: FIRE_REASON },
        { department: 'water', reason: WATER_REASON },
      ],
    });
  });

  it('refused, changing nothing: before any rejection (409), by a handler (403), by a member’s lead (403)', async () => {
    const caseId = await startInJointReview();
    await complete('planning.handler', 'review.planning', caseId);
    await expectRefused(f, caseId, () => closeReview('housing.lead', caseId), 409, 'TB-COMMAND-REJECTED');
    await complete('fire.handler', 'review.fire', caseId, 'reject', FIRE_REASON);
    await expectRefused(f, caseId, () => closeReview('housing.handler', caseId), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => closeReview('ecology.lead', caseId), 403, 'TB-FORBIDDEN');
  });

  it('GET /moves offers closing to the lead department’s lead once a rejection is in, to nobody else', async () => {
    const caseId = await startInJointReview();
    expect(await movesOf('housing.lead', caseId, 'review.close')).toEqual([]);
    await complete('fire.handler', 'review.fire', caseId, 'reject', FIRE_REASON);
    expect(await movesOf('housing.lead', caseId, 'review.close')).toEqual([{ type: 'review.close', review: 'jointReview' }]);
    for (const user of ['housing.handler', 'ecology.lead', 'fire.handler', 'supervisor']) expect(await movesOf(user, caseId, 'review.close'), user).toEqual([]);
  });
});
