import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { connect } from '../../db/connection.js';
import { countUnreadCopies, listCopiedToMe } from '../../db/copy-queries.js';
import { demoActor } from '../../apps/demo-users.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';
import { planNodes, preparedPlan } from '../support/query-plans.js';

/**
 * 抄送 and 已阅 through the HTTP API on the construction permit: the fire handler, whose department reviews the case,
 * copies it to the tax department and to a person of market regulation, who take no part in it. They read it
 * read-only (applicant masked, opinions by the opinion rules, no moves but 已阅), find it in "copied to me" and mark it
 * read; the participants see the read receipts. Whatever is refused answers its problem+json and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { complete, startInJointReview } = caseDriver(() => f);

const note = '请知悉：消防审查意见将于本周出具';
const copy = (user: string, caseId: string, recipients: object[], headers: Record<string, string> = {}) => f.as(user).post(`/api/cases/${caseId}/copies`, { recipients, note }, headers);
const copiesOf = async (user: string, caseId: string) => (await f.as(user).get(`/api/cases/${caseId}/copies`)).body.items as { id: string; recipient: Record<string, unknown>; read: boolean; readBy: string | null }[];
const copyTo = async (caseId: string, recipient: Record<string, string>) => {
  const found = (await copiesOf('fire.handler', caseId)).find((c) => Object.entries(recipient).every(([k, v]) => c.recipient[k] === v));
  if (!found) throw new Error(`no copy to ${JSON.stringify(recipient)}`);
  return found.id;
};
const copyRows = async (caseId: string) => (await f.sql`select count(*)::int as n from case_copies where case_id = ${caseId}`)[0]?.['n'];

/** Refused with `status` and `code`, the case unchanged and no copy written or read. */
async function expectNothingCopied(caseId: string, send: () => Promise<Answer>, status: number, code?: string) {
  const [copies] = await f.sql`select count(*)::int as n, count(read_at)::int as read from case_copies where case_id = ${caseId}`;
  await expectRefused(f, caseId, send, status, code);
  expect((await f.sql`select count(*)::int as n, count(read_at)::int as read from case_copies where case_id = ${caseId}`)[0]).toEqual(copies);
}

describe('抄送 and 已阅, end to end', () => {
  it('copied to a department and a person: they read the case read-only, find it in "copied to me", mark it read; the sender sees the receipts', async () => {
    const caseId = await startInJointReview();
    const before = await caseFootprint(f, caseId);
    const sent = await copy('fire.handler', caseId, [{ departmentCode: 'tax' }, { userId: 'market.handler' }]);
    expect([sent.status, sent.body.changed, sent.body.version], JSON.stringify(sent.body)).toEqual([200, true, before.version]);
    expect((await caseFootprint(f, caseId)).timeline.at(-1)).toMatchObject({
      type: 'case.copied',
      actorId: 'fire.handler',
      data: { recipients: [{ departmentCode: 'tax' }, { userId: 'market.handler' }], note },
    });

    // The recipients read the case, with the applicant masked, and may do nothing on it but mark their copy read.
    const seen = await f.as('tax.handler').get(`/api/cases/${caseId}`);
    expect([seen.status, seen.body.applicant.idNumber]).toEqual([200, '9131**********234X']);
    const toTax = await copyTo(caseId, { departmentCode: 'tax' });
    expect((await f.as('tax.handler').get(`/api/cases/${caseId}/moves`)).body.moves).toEqual([{ type: 'copy.read', copyId: toTax }]);
    expect((await f.as('market.handler').get(`/api/cases/${caseId}`)).status).toBe(200);
    expect((await f.as('market.lead').get(`/api/cases/${caseId}`)).status).toBe(404);
    expect((await f.as('fire.handler').get(`/api/cases/${caseId}/moves`)).body.moves).toEqual(expect.arrayContaining([{ type: 'case.copy' }, { type: 'case.comment' }]));

    // Copied to me: with its case number, service item and applicant's name; the tax department's copy is the department's.
    const mine = await f.as('tax.lead').get('/api/copies?unread=true');
    expect(mine.status).toBe(200);
    const row = mine.body.items.find((c: { caseId: string }) => c.caseId === caseId);
    expect(row).toMatchObject({
      id: toTax,
      caseNumber: expect.stringMatching(/^\d{4}-\d{6,}$/),
      serviceItem: { code: 'construction-permit', name: expect.any(String) },
      applicantName: '上海某建设有限公司',
      sentBy: 'fire.handler',
      sentByName: expect.any(String),
      recipient: { departmentCode: 'tax' },
      note,
      read: false,
      readAt: null,
    });
    expect(await countUnreadCopies(f.sql, demoActor('tax.handler'), 1000)).toBeGreaterThanOrEqual(1);
    const unreadBefore = await countUnreadCopies(f.sql, demoActor('tax.handler'), 1000);

    const read = await f.as('tax.handler').post(`/api/copies/${toTax}/read`, {});
    expect([read.status, read.body.changed, read.body.version]).toEqual([200, true, before.version]);
    expect(await countUnreadCopies(f.sql, demoActor('tax.lead'), 1000)).toBe(unreadBefore - 1);
    expect((await f.as('tax.lead').post(`/api/copies/${toTax}/read`, {})).body.changed).toBe(false);
    expect((await f.as('tax.handler').get(`/api/cases/${caseId}/moves`)).body.moves).toEqual([]);
    expect((await f.as('tax.lead').get('/api/copies?unread=true')).body.items.map((c: { id: string }) => c.id)).not.toContain(toTax);
    expect((await f.as('tax.lead').get('/api/copies')).body.items.find((c: { id: string }) => c.id === toTax)).toMatchObject({ read: true, readBy: 'tax.handler' });

    // The sender's side sees every copy and its receipt; a recipient only theirs.
    const receipts = await f.as('housing.lead').get(`/api/cases/${caseId}/copies`);
    // Sent together, at one instant: in no particular order.
    expect(receipts.body.items).toHaveLength(2);
    expect(receipts.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recipient: { departmentCode: 'tax' }, read: true, readBy: 'tax.handler', readByName: expect.any(String), readAt: expect.any(String) }),
        expect.objectContaining({ recipient: { userId: 'market.handler', name: expect.any(String) }, read: false, readBy: null, readAt: null }),
      ]),
    );
    expect((await copiesOf('market.handler', caseId)).map((c) => c.recipient)).toEqual([{ userId: 'market.handler', name: expect.any(String) }]);
    expect((await f.as('police.handler').get(`/api/cases/${caseId}/copies`)).status).toBe(404);
    expect((await caseFootprint(f, caseId)).timeline.at(-1)).toMatchObject({ type: 'copy.read', actorId: 'tax.handler', data: { copyId: toTax } });
  });

  it('a copied department reads opinions by the opinion rules: another department’s internal one only once the joint decision is made', async () => {
    const caseId = await startInJointReview();
    await copy('fire.handler', caseId, [{ departmentCode: 'tax' }]);
    await complete('fire.handler', 'review.fire', caseId, 'approve', '消防设计符合规范');
    const opinions = async (user: string) => ((await f.as(user).get(`/api/cases/${caseId}`)).body.opinions as { text: string }[]).map((o) => o.text);
    expect(await opinions('tax.handler')).not.toContain('消防设计符合规范');
    expect(await opinions('housing.handler')).toContain('消防设计符合规范');
  });

  it('a recipient with an unread copy is skipped (all skipped: unchanged); the same Idempotency-Key replays the answer and copies once', async () => {
    const caseId = await startInJointReview();
    const headers = { 'idempotency-key': `copy-${caseId}` };
    const first = await copy('fire.handler', caseId, [{ departmentCode: 'tax' }], headers);
    const again = await copy('fire.handler', caseId, [{ departmentCode: 'tax' }], headers);
    expect([first.status, again.status, again.body]).toEqual([200, 200, first.body]);
    const skipped = await copy('housing.lead', caseId, [{ departmentCode: 'tax' }]);
    expect([skipped.status, skipped.body.changed]).toEqual([200, false]);
    expect(await copyRows(caseId)).toBe(1);
    expect((await caseFootprint(f, caseId)).timeline.filter((e: { type: string }) => e.type === 'case.copied')).toHaveLength(1);
  });

  it('a case already decided (withdrawn) is copied, and its copy read', async () => {
    const caseId = await startInJointReview();
    expect((await f.as('window.clerk').post(`/api/cases/${caseId}/withdrawal`, { reason: '申请人申请撤回申请' })).status).toBe(200);
    expect((await copy('window.clerk', caseId, [{ departmentCode: 'tax' }])).body.changed).toBe(true);
    expect((await f.as('tax.handler').post(`/api/copies/${await copyTo(caseId, { departmentCode: 'tax' })}/read`, {})).body.changed).toBe(true);
  });
});

describe('illegal copies and reads: refused, nothing changed', () => {
  it.each([
    ['to oneself', 'fire.handler', [{ userId: 'fire.handler' }], 422, 'TB-COMMAND-INVALID'],
    ['to one’s own department', 'fire.handler', [{ departmentCode: 'fire' }], 422, 'TB-COMMAND-INVALID'],
    ['to nobody known', 'fire.handler', [{ userId: 'nobody' }], 422, 'TB-COMMAND-INVALID'],
    ['to a department that does not exist', 'fire.handler', [{ departmentCode: 'nowhere' }], 422, 'TB-COMMAND-INVALID'],
    ['to a person who reads no cases', 'fire.handler', [{ userId: 'designer' }], 422, 'TB-COMMAND-INVALID'],
    ['to nobody at all', 'fire.handler', [], 400, undefined],
    ['by a department outside the case', 'police.handler', [{ departmentCode: 'tax' }], 404, 'TB-CASE-404'],
    ['by a designer', 'designer', [{ departmentCode: 'tax' }], 403, 'TB-PERMISSION'],
  ])('%s → %s', async (_, user, recipients, status, code) => {
    const caseId = await startInJointReview();
    await expectNothingCopied(caseId, () => copy(user, caseId, recipients), status, code);
  });

  it('a recipient passes no copy on; a copy is marked read by none but its recipients', async () => {
    const caseId = await startInJointReview();
    await copy('fire.handler', caseId, [{ userId: 'market.handler' }]);
    const id = await copyTo(caseId, { userId: 'market.handler' });
    await expectNothingCopied(caseId, () => copy('market.handler', caseId, [{ departmentCode: 'tax' }]), 404, 'TB-CASE-404');
    for (const user of ['fire.handler', 'market.lead', 'tax.handler']) {
      await expectNothingCopied(caseId, () => f.as(user).post(`/api/copies/${id}/read`, {}), 404, 'TB-COPY-404');
    }
    await expectNothingCopied(caseId, () => f.as('designer').post(`/api/copies/${id}/read`, {}), 403, 'TB-PERMISSION');
    const missing = await f.as('market.handler').post('/api/copies/00000000-0000-4000-8000-000000000000/read', {});
    expect([missing.status, missing.body.code]).toEqual([404, 'TB-COPY-404']);
    expect((await f.as('market.handler').get('/api/copies?unread=maybe')).status).toBe(400);
  });
});

describe('"copied to me" reads the recipient’s indexes', () => {
  it('the page and its capped total walk case_copies_user_idx and case_copies_department_idx, the unread ones their unread indexes, never the whole table', async () => {
    const caseId = await startInJointReview();
    // Many copies to many others, so that reading the table would cost: the reader's are a few among them.
    await f.sql`insert into case_copies (id, case_id, sent_by, sent_by_department, recipient_user, recipient_department, note, sent_at)
      select gen_random_uuid(), ${caseId}, 'fire.handler', 'fire', case when i % 2 = 0 then 'person.' || (i % 500) end,
        case when i % 2 = 1 then 'department.' || (i % 300) end, '', now() - i * interval '1 minute'
      from generate_series(1, 20000) as i`;
    await f.sql`analyze case_copies`;
    const statements: { text: string; params: unknown[] }[] = [];
    const traced = connect(f.db.url, { max: 1 });
    const watcher = postgres(f.db.url, { max: 1, debug: (_c, text, params) => void (/case_copies/.test(text) && statements.push({ text, params })) });
    try {
      const reader = demoActor('tax.handler');
      await listCopiedToMe(watcher, reader, { unread: false, page: 2, pageSize: 20 });
      await listCopiedToMe(watcher, reader, { unread: true, page: 1, pageSize: 20 });
      await countUnreadCopies(watcher, reader, 1000);
      expect(statements.length).toBe(5);
      for (const { text, params } of statements) {
        for (const mode of ['force_custom_plan', 'force_generic_plan'] as const) {
          const nodes = planNodes(await preparedPlan(traced, text, params, mode));
          const scans = nodes.filter((n) => n['Relation Name'] === 'case_copies').map((n) => n['Node Type']);
          expect(scans, `${mode}: ${text}`).not.toContain('Seq Scan');
          const indexes = nodes.flatMap((n) => (n['Index Name']?.startsWith('case_copies') ? [n['Index Name']] : []));
          // What is left to read is read from the indexes of unread copies: a department's read ones are never walked.
          const unread = text.includes('read_at is null');
          const expected = unread ? ['case_copies_unread_user_idx', 'case_copies_unread_department_idx'] : ['case_copies_user_idx', 'case_copies_department_idx'];
          expect(new Set(indexes), `${mode}: ${text}`).toEqual(new Set(expected));
        }
      }
    } finally {
      await watcher.end();
      await traced.end();
    }
  });
});
