import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDemoCases } from '../../apps/demo-cases.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

interface Clock {
  readonly id: string;
  readonly state: string;
  readonly pauses: readonly { reason: { kind: string }; until: string | null }[];
  readonly extensions: readonly { workingDays: number; approver: string; reason: string; legalBasis: string; at: string }[];
}
interface DemoCase {
  readonly id: string;
  readonly serviceItemCode: string;
  readonly state: string;
  readonly clocks: ReadonlyMap<string, Clock>;
}

let f: ApiFixture;
let created: number;
/** Every demo case with its clocks as `GET /api/cases/{caseId}/clocks` shows them to the supervisor. */
let cases: DemoCase[];
beforeAll(async () => {
  f = await createApiFixture();
  created = await installDemoCases(f.sql, f.engine);
  const rows = await f.sql`select id, service_item_code, state_label from cases order by id`;
  cases = await Promise.all(
    rows.map(async (row) => {
      const id = String(row['id']);
      const res = await f.as('supervisor').get(`/api/cases/${id}/clocks`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const clocks = new Map<string, Clock>(res.body.clocks.map((c: Clock) => [c.id, c]));
      return { id, serviceItemCode: String(row['service_item_code']), state: String(row['state_label']), clocks };
    }),
  );
});
afterAll(() => f.close());

/** A clock's state and the reasons of its open pauses. */
const pausedFor = (clock: Clock | undefined) => [clock?.state, clock?.pauses.filter((p) => p.until === null).map((p) => p.reason.kind)];
/** The one demo case that shows it: fails when the demo lost it, or shows it twice. */
const theCase = (shows: (c: DemoCase) => boolean): DemoCase => {
  const found = cases.filter(shows);
  expect(found.map((c) => c.id)).toHaveLength(1);
  return found[0] as DemoCase;
};
const caseClocksPausedFor = (c: DemoCase, kind: string) =>
  [pausedFor(c.clocks.get('legal')), pausedFor(c.clocks.get('committed'))].every(([state, kinds]) => state === 'paused' && kinds?.includes(kind));

describe('the demo data (npm start)', () => {
  it('creates its cases once: a second install adds none', async () => {
    expect(created).toBeGreaterThan(0);
    expect(cases).toHaveLength(created);
    expect(await installDemoCases(f.sql, f.engine)).toBe(0);
  });

  it('shows a construction permit waiting for a supplement (补正): its legal and committed clocks paused, the return naming every missing material', async () => {
    const waiting = theCase((c) => caseClocksPausedFor(c, 'supplement'));
    expect([waiting.serviceItemCode, waiting.state]).toEqual(['construction-permit', 'supplement']);
    expect([pausedFor(waiting.clocks.get('legal')), pausedFor(waiting.clocks.get('committed'))]).toEqual([
      ['paused', ['supplement']],
      ['paused', ['supplement']],
    ]);
    const opinions = await f.sql`select outcome, text, visibility from opinions where case_id = ${waiting.id}`;
    expect(opinions.map((o) => [o['outcome'], o['visibility']])).toEqual([['return', 'public']]);
    // 一次性告知: every missing material at once, numbered, and the request awaited names each with its reason.
    expect(String(opinions[0]?.['text']).match(/\d\. /g)?.length).toBeGreaterThan(1);
    const requests = await f.sql`select materials, answered_at from supplement_requests where case_id = ${waiting.id}`;
    expect(requests.map((r) => [(r['materials'] as { name: string }[]).length, r['answered_at']])).toEqual([[2, null]]);
  });

  it("shows a construction permit in joint review whose legal limit housing's lead extended once by 10 working days (延期, art. 42)", () => {
    const extended = theCase((c) => (c.clocks.get('legal')?.extensions.length ?? 0) > 0);
    expect(extended.serviceItemCode).toBe('construction-permit');
    expect(extended.state).toMatch(/^jointReview/);
    expect(extended.clocks.get('legal')?.state).toBe('running');
    expect(extended.clocks.get('legal')?.extensions).toEqual([
      {
        workingDays: 10,
        approver: 'housing.lead',
        reason: expect.stringMatching(/[\u4e00-\u9fff].* [A-Za-z]/), // Chinese, then English
        legalBasis: '《中华人民共和国行政许可法》第四十二条第二款',
        at: expect.any(String),
      },
    ]);
  });

  it('shows a construction permit in joint review during an expert review (特别程序, art. 45): its legal and committed clocks paused for it', () => {
    const inReview = theCase((c) => c.state.startsWith('jointReview') && caseClocksPausedFor(c, 'expert-review'));
    expect(inReview.serviceItemCode).toBe('construction-permit');
    expect([pausedFor(inReview.clocks.get('legal')), pausedFor(inReview.clocks.get('committed'))]).toEqual([
      ['paused', ['expert-review']],
      ['paused', ['expert-review']],
    ]);
  });

  it('shows a construction permit whose optional members the application left out: planning, ecology and fire review, water and civil air defence do not', async () => {
    const accepted = await Promise.all(cases.filter((c) => c.serviceItemCode === 'construction-permit' && c.state === 'acceptance').map((c) => jointReviewOf(c.id)));
    const withoutOptional = accepted.filter((r) => r.reviews[0]?.members.every((m) => m.joins === m.required));
    expect(withoutOptional).toHaveLength(1);
    expect(withoutOptional[0]?.reviews[0]?.members.filter((m) => m.joins).map((m) => m.department).sort()).toEqual(['ecology', 'fire', 'planning']);
  });

  it('shows a road occupation at its or-sign (或签) by either deputy director, and one in dispute (意见分歧) before the traffic police reconsider', async () => {
    const roads = cases.filter((c) => c.serviceItemCode === 'road-occupation');
    expect(roads.map((c) => c.state).sort()).toEqual(['jointReviewDispute', 'signOff']);
    const signOff = await jointReviewOf(theCase((c) => c.serviceItemCode === 'road-occupation' && c.state === 'signOff').id);
    expect(signOff.countersigns.find((s) => s.step === 'signOff')).toMatchObject({
      mode: 'any',
      outcome: null,
      signers: [
        { person: 'urban-management.deputy-a', vote: null },
        { person: 'urban-management.deputy-b', vote: null },
      ],
    });
  });

  it('shows an environmental impact approval in its expert vote (票签): one for, one against, three to vote, its clocks paused while the panel sits', async () => {
    const voting = theCase((c) => c.serviceItemCode === 'eia-approval');
    expect(voting.state).toBe('expertPanel');
    expect(caseClocksPausedFor(voting, 'expert-review')).toBe(true);
    const panel = (await jointReviewOf(voting.id)).countersigns.find((s) => s.step === 'expertPanel');
    expect(panel).toMatchObject({ mode: 'vote', threshold: { numerator: 2, denominator: 3 }, outcome: null });
    expect(panel?.signers.map((s) => s.vote)).toEqual(['approve', 'reject', null, null, null]);
  });
});

interface JointReviews {
  readonly reviews: { review: string; members: { department: string; required: boolean; joins: boolean }[] }[];
  readonly countersigns: { step: string; mode: string; outcome: string | null; signers: { person: string | null; vote: string | null }[] }[];
}

/** The case's joint reviews and countersigns as the supervisor reads them (every vote shown across departments). */
async function jointReviewOf(id: string): Promise<JointReviews> {
  const res = await f.as('supervisor').get(`/api/cases/${id}/joint-reviews`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
