import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_CODE_ALPHABET } from '../../api/query-code.js';
import { APPLICANT_REQUESTS_PER_MINUTE, WRONG_CODES_PER_ADDRESS, WRONG_CODES_PER_NUMBER } from '../../api/routes/progress.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

/**
 * 进度查询 through the HTTP API: the window hands the applicant a query code at intake; with the case number and that
 * code, and no sign-in, the applicant follows the case (`POST /api/public/progress`), never reading an internal
 * opinion. A wrong number or code is one 404; wrong codes lock the number out; each address is rate limited.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { complete, returnToApplicant } = caseDriver(() => f);

/** A case started at the window: its id, number and the code answered with it. */
async function startWithCode(headers: Record<string, string> = {}) {
  const res = await f.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const [row] = await f.sql`select number, query_code_hash from cases where id = ${res.body.caseId}`;
  return { caseId: res.body.caseId as string, caseNumber: String(row?.['number']), queryCode: res.body.queryCode as string, hash: String(row?.['query_code_hash']) };
}

/** The public query, from a client address of the test's choosing (Node's socket, as the server sees it). */
async function progress(body: object, address = '198.51.100.1') {
  const res = await f.app.request(
    '/api/public/progress',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    { incoming: { socket: { remoteAddress: address } } },
  );
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe('an applicant follows the case with a query code', () => {
  it('the start answers a code once; the case keeps only its salted hash', async () => {
    const { queryCode, hash } = await startWithCode();
    expect(queryCode).toMatch(new RegExp(`^[${QUERY_CODE_ALPHABET}]{8}$`));
    expect(hash).toMatch(/^scrypt:/);
    expect(hash).not.toContain(queryCode);
  });

  it('from acceptance through the joint review: steps, who is awaited, due date, public opinions and milestones — never an internal opinion', async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    const accepted = await progress({ caseNumber, queryCode: `${queryCode.slice(0, 4).toLowerCase()}-${queryCode.slice(4)}` });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({
      caseNumber,
      serviceItem: { code: 'construction-permit' },
      status: 'running',
      currentSteps: [{ title: '受理审查 Acceptance check', department: { code: 'window' } }],
      awaited: { party: 'departments', departments: [{ code: 'window' }] },
      due: { provisional: false },
      opinions: [],
      milestones: [{ kind: 'accepted' }],
      rating: null,
      canRate: false,
    });
    expect(accepted.body['due'].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await complete('window.clerk', 'acceptance', caseId, 'approve', 'PUBLIC 材料齐全，予以受理', { opinion: { text: 'PUBLIC 材料齐全，予以受理', visibility: 'public' } });
    await complete('fire.handler', 'review.fire', caseId, 'approve', 'INTERNAL 消防通道宽度临界，下次从严', { opinion: { text: 'INTERNAL 消防通道宽度临界，下次从严', visibility: 'internal' } });
    const reviewing = await progress({ caseNumber, queryCode });
    expect(reviewing.status).toBe(200);
    expect(reviewing.body['currentSteps'].map((s: { department: { code: string } }) => s.department.code).sort()).toEqual(['civil-air-defence', 'ecology', 'planning', 'water']);
    expect(reviewing.body['opinions']).toEqual([expect.objectContaining({ department: expect.objectContaining({ code: 'window' }), text: 'PUBLIC 材料齐全，予以受理' })]);
    expect(reviewing.body['milestones'].map((m: { kind: string; department?: { code: string } }) => [m.kind, m.department?.code])).toEqual([
      ['accepted', undefined],
      ['step-done', 'window'],
      ['step-done', 'fire'],
    ]);
    // The internal opinion is in the database, and nowhere in the applicant's answer.
    expect((await f.sql`select count(*)::int as n from opinions where case_id = ${caseId} and text like 'INTERNAL%'`)[0]?.['n']).toBe(1);
    expect(JSON.stringify(reviewing.body)).not.toContain('INTERNAL');
  });

  it('a public opinion is told with its outcome, before the joint decision too; a step done is told without one', async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    // A minute apart: the answer lists them in the order they were made.
    for (const [user, task, outcome, opinion] of [
      ['window.clerk', 'acceptance', 'approve', { text: 'PUBLIC 材料齐全，予以受理', visibility: 'public' }],
      ['planning.handler', 'review.planning', 'reject', { text: 'PUBLIC 用地性质不符 Land use does not match', visibility: 'public' }],
      ['fire.handler', 'review.fire', 'reject', { text: 'INTERNAL 消防车道宽度不足', visibility: 'internal' }],
    ] as const) {
      f.clock.advance({ minutes: 1 });
      await complete(user, task, caseId, outcome, opinion.text, { opinion });
    }
    const res = await progress({ caseNumber, queryCode });
    expect(res.body['status']).toBe('running');
    expect(res.body['opinions'].map((o: { department: { code: string }; outcome: string }) => [o.department.code, o.outcome])).toEqual([
      ['window', 'approve'],
      ['planning', 'reject'],
    ]);
    // Fire's rejection is internal: its step is done, and nothing says how.
    const stepsDone = res.body['milestones'].filter((m: { kind: string }) => m.kind === 'step-done');
    expect(stepsDone.map((m: { department: { code: string } }) => m.department.code)).toEqual(['window', 'planning', 'fire']);
    for (const m of stepsDone) expect(Object.keys(m).sort()).toEqual(['at', 'department', 'kind', 'title']);
    expect(JSON.stringify(res.body)).not.toContain('INTERNAL');
  });

  it('a supplement asked for (补正): the case waits for the applicant, who reads every material asked for', async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    await returnToApplicant(caseId, '缺少施工合同盖章页');
    const res = await progress({ caseNumber, queryCode });
    expect(res.body['awaited']).toMatchObject({ party: 'applicant', materials: [{ name: '施工合同 Construction contract', reason: '缺少施工合同盖章页' }] });
  });
});

describe('a due date counted past the calendar’s official data', () => {
  it('is marked provisional: a case started in late December 2026 is due in 2027, whose holidays are not published yet', async () => {
    const now = f.clock.now();
    f.clock.set(new Date('2026-12-28T10:00:00+08:00'));
    try {
      const { caseNumber, queryCode } = await startWithCode();
      const res = await progress({ caseNumber, queryCode });
      expect(res.body['due']).toMatchObject({ provisional: true });
      expect(res.body['due'].date > '2026-12-31').toBe(true);
    } finally {
      f.clock.set(now);
    }
  });
});

describe('a wrong number or code tells nothing', () => {
  it('a wrong code, an unknown number and a case without a code answer the same 404', async () => {
    const { caseNumber, queryCode } = await startWithCode();
    const other = await startWithCode();
    await f.sql`update cases set query_code_hash = null where id = ${other.caseId}`;
    const wrong = await progress({ caseNumber, queryCode: other.queryCode });
    const unknown = await progress({ caseNumber: '1999-999999', queryCode });
    const codeless = await progress({ caseNumber: other.caseNumber, queryCode: other.queryCode });
    for (const res of [wrong, unknown, codeless]) expect([res.status, res.body['code'], res.body['detail']]).toEqual([404, 'TB-PROGRESS-404', 'No case matches this case number and query code.']);
  });

  it(`${WRONG_CODES_PER_ADDRESS} wrong codes from one address lock that address out of the number for the hour, even with the right code; the applicant elsewhere follows the case`, async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    for (let i = 0; i < WRONG_CODES_PER_ADDRESS; i += 1) expect((await progress({ caseNumber, queryCode: 'WRNGC0DE' }, '192.0.2.1')).status).toBe(404);
    const locked = await progress({ caseNumber, queryCode }, '192.0.2.1');
    expect([locked.status, locked.body['code']]).toEqual([429, 'TB-RATE-LIMITED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Someone else's wrong guesses do not keep the applicant out.
    expect((await progress({ caseNumber, queryCode }, '198.51.100.20')).status).toBe(200);
    // The window's new code lifts the address's lockout too.
    const issued = await f.as('window.clerk').post(`/api/cases/${caseId}/query-code`);
    expect((await progress({ caseNumber, queryCode: issued.body.queryCode }, '192.0.2.1')).status).toBe(200);
  });

  it(`${WRONG_CODES_PER_NUMBER} wrong codes from many addresses lock the number for everyone for the hour, until the window issues a new code; other numbers are not`, async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    const other = await startWithCode();
    for (let i = 0; i < WRONG_CODES_PER_NUMBER; i += 1) {
      const guess = await progress({ caseNumber, queryCode: 'WRNGC0DE' }, `192.0.2.${100 + Math.floor(i / WRONG_CODES_PER_ADDRESS)}`);
      expect(guess.status).toBe(404);
    }
    const locked = await progress({ caseNumber, queryCode }, '198.51.100.30');
    expect([locked.status, locked.body['code']]).toEqual([429, 'TB-RATE-LIMITED']);
    expect((await progress({ caseNumber: other.caseNumber, queryCode: other.queryCode }, '198.51.100.30')).status).toBe(200);
    const issued = await f.as('window.clerk').post(`/api/cases/${caseId}/query-code`);
    expect((await progress({ caseNumber, queryCode: issued.body.queryCode }, '198.51.100.30')).status).toBe(200);
  });

  it(`an address gets ${APPLICANT_REQUESTS_PER_MINUTE} requests a minute; another address is not held back`, async () => {
    // Malformed bodies cost no scrypt: the limit counts before validation. Twice the limit and one: a minute's
    // boundary falling among them still leaves one window over it.
    const statuses: number[] = [];
    for (let i = 0; i <= 2 * APPLICANT_REQUESTS_PER_MINUTE && !statuses.includes(429); i += 1) statuses.push((await progress({}, '203.0.113.7')).status);
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 400)).toBe(true);
    expect((await progress({}, '203.0.113.8')).status).toBe(400);
  });
});

describe('the window and the code', () => {
  it('a replayed start (same Idempotency-Key) starts once and repeats no code: the first one keeps working', async () => {
    const headers = { 'idempotency-key': 'progress-start-replay-1' };
    const first = await startWithCode(headers);
    const again = await f.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION, headers);
    expect([again.status, again.body.caseId, again.body.queryCode]).toEqual([201, first.caseId, undefined]);
    expect(JSON.stringify((await f.sql`select response from idempotency_keys where key = ${headers['idempotency-key']}`)[0])).not.toContain(first.queryCode);
    expect((await progress({ caseNumber: first.caseNumber, queryCode: first.queryCode })).status).toBe(200);
  });

  it('the intake window issues a new code: the old one stops working; security-logged without the code; nobody else may', async () => {
    const { caseId, caseNumber, queryCode } = await startWithCode();
    expect((await f.as('fire.handler').post(`/api/cases/${caseId}/query-code`)).body.code).toBe('TB-PERMISSION');
    const issued = await f.as('window.clerk').post(`/api/cases/${caseId}/query-code`);
    expect([issued.status, issued.body.caseNumber], JSON.stringify(issued.body)).toEqual([201, caseNumber]);
    expect(issued.body.queryCode).not.toBe(queryCode);
    expect((await progress({ caseNumber, queryCode })).status).toBe(404);
    expect((await progress({ caseNumber, queryCode: issued.body.queryCode })).status).toBe(200);
    const [logged] = await f.sql`select actor_id, data from security_events where type = 'case.query-code-issued' order by seq desc limit 1`;
    expect(logged).toMatchObject({ actor_id: 'window.clerk', data: { caseId, caseNumber } });
    expect(JSON.stringify(logged)).not.toContain(issued.body.queryCode);
    // Retried with its Idempotency-Key: answered without the code, and no other code issued.
    const headers = { 'idempotency-key': `query-code-${caseId}` };
    const once = await f.as('window.clerk').post(`/api/cases/${caseId}/query-code`, {}, headers);
    const again = await f.as('window.clerk').post(`/api/cases/${caseId}/query-code`, {}, headers);
    expect([again.status, again.body]).toEqual([201, { caseId, caseNumber }]);
    expect((await progress({ caseNumber, queryCode: once.body.queryCode })).status).toBe(200);
    const missing = await f.as('window.clerk').post('/api/cases/00000000-0000-4000-8000-000000000000/query-code');
    expect([missing.status, missing.body.code]).toEqual([404, 'TB-CASE-404']);
  });
});
