import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

/**
 * What the case page reads besides the case: the moves the caller may make now (`GET /api/cases/{id}/moves`)
 * and the process diagram (`GET /api/cases/{id}/diagram`). Each offered move, sent as the page sends it, is
 * accepted; a withheld one is refused and changes nothing; both routes see cases as the case read does.
 */

let f: ApiFixture;
/** A second lead of the lead department: urges are rate-limited per person, and the lead is offered many. */
const SECOND_LEAD = 'housing.lead-2';
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values (${SECOND_LEAD}, 'Second housing lead', 'housing', ${['lead']})`;
});
afterAll(() => f.close());
const { start, complete, openTask, startInJointReview, returnToApplicant } = caseDriver(() => f);

interface Move {
  readonly type: string;
  readonly taskId?: string;
  readonly task?: string;
  readonly outcomes?: readonly string[];
  readonly returnTargets?: readonly { readonly to: string; readonly asksSupplement: boolean }[];
  readonly supplementMaterials?: readonly { readonly name: string; readonly askable: boolean }[];
  readonly review?: string;
  readonly department?: string;
  readonly joins?: boolean;
  readonly toPerson?: boolean;
  readonly toDepartment?: boolean;
  readonly clock?: string;
  readonly maxWorkingDays?: number;
  readonly kinds?: readonly string[];
  readonly copyId?: string;
}

const movesOf = async (user: string, caseId: string): Promise<{ version: number; moves: Move[] }> => {
  const res = await f.as(user).get(`/api/cases/${caseId}/moves`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** One request per choice a move offers (each outcome, each kind), by a name that says which, as the case page sends it. */
function requestsOf(caseId: string, version: number, move: Move): Map<string, { path: string; body: object }> {
  const expectedVersion = version;
  const task = `/api/tasks/${move.taskId}`;
  const byName = new Map<string, { path: string; body: object }>();
  switch (move.type) {
    case 'task.claim':
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/claim`, body: { expectedVersion } });
    case 'task.release':
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/release`, body: { expectedVersion } });
    case 'task.urge':
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/urges`, body: { message: '请尽快办理 Please act on it' } });
    case 'task.complete':
      for (const outcome of move.outcomes ?? []) {
        const completion = { outcome, opinion: { text: '审查意见及理由 Opinion and reasons' }, expectedVersion };
        // A return to the applicant names the first material it may ask for (一次性告知).
        const askable = move.supplementMaterials?.find((m) => m.askable);
        const request = askable ? { supplementRequest: { materials: [{ name: askable.name, reason: '未盖章 Not sealed' }] } } : {};
        // A return goes where the handler picks among the targets offered; a fixed one names none.
        const targets = outcome === 'return' ? (move.returnTargets ?? []) : [];
        const fixed = outcome === 'return' ? { ...completion, ...request } : completion;
        if (targets.length === 0) byName.set(`${move.type} ${move.task} ${outcome}`, { path: `${task}/complete`, body: fixed });
        for (const { to, asksSupplement } of targets) byName.set(`${move.type} ${move.task} ${outcome} ${to}`, { path: `${task}/complete`, body: { ...completion, returnTo: to, ...(asksSupplement ? request : {}) } });
      }
      return byName;
    case 'task.withdraw':
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/withdrawal`, body: { reason: '意见有误 The opinion was wrong', expectedVersion } });
    case 'task.transfer': {
      // To the department's lead (never the holder here), or to another department than the one holding it.
      const reason = '转办 Transferred';
      if (move.toPerson) byName.set(`${move.type} ${move.task} person`, { path: `${task}/transfer`, body: { to: { userId: `${move.department}.lead` }, reason, expectedVersion } });
      const elsewhere = move.department === 'ecology' ? 'water' : 'ecology';
      if (move.toDepartment) byName.set(`${move.type} ${move.task} department`, { path: `${task}/transfer`, body: { to: { departmentCode: elsewhere }, reason, expectedVersion } });
      return byName;
    }
    case 'task.delegate':
      // 委派 to the department's lead (never the holder here).
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/delegation`, body: { to: { userId: `${move.department}.lead` }, note: '请起草意见 Please draft it', expectedVersion } });
    case 'task.delegation.resolve':
      for (const outcome of move.outcomes ?? []) {
        byName.set(`${move.type} ${move.task} ${outcome}`, { path: `${task}/delegation/resolution`, body: { outcome, opinion: { text: '拟办意见 Proposed opinion' }, expectedVersion } });
      }
      return byName;
    case 'task.delegation.recall':
      return byName.set(`${move.type} ${move.task}`, { path: `${task}/delegation/recall`, body: { expectedVersion } });
    case 'review.members.change':
      return byName.set(`${move.type} ${move.review} ${move.department} ${move.joins ? 'joins' : 'leaves'}`, {
        path: `/api/cases/${caseId}/joint-reviews/${move.review}/members`,
        body: { department: move.department, joins: move.joins, reason: '按项目实际情况 As the project needs', expectedVersion },
      });
    case 'review.close':
      return byName.set(`${move.type} ${move.review}`, { path: `/api/cases/${caseId}/joint-reviews/${move.review}/closure`, body: { reason: '已有部门不予通过 A member refused', expectedVersion } });
    case 'case.withdraw':
      return byName.set(move.type, { path: `/api/cases/${caseId}/withdrawal`, body: { reason: '申请人撤回申请 The applicant withdraws', expectedVersion } });
    case 'clock.extend':
      return byName.set(`${move.type} ${move.clock}`, {
        path: `/api/cases/${caseId}/clocks/${encodeURIComponent(String(move.clock))}/extensions`,
        body: { workingDays: move.maxWorkingDays, reason: '需组织现场踏勘 A site survey is needed', legalBasis: '《行政许可法》第四十二条', expectedVersion },
      });
    case 'special-procedure.start':
    case 'special-procedure.end':
      for (const kind of move.kinds ?? []) {
        const action = move.type.endsWith('start') ? { action: 'start', notice: '书面告知 Written notice' } : { action: 'end' };
        byName.set(`${move.type} ${kind}`, { path: `/api/cases/${caseId}/special-procedures`, body: { ...action, kind, expectedVersion } });
      }
      return byName;
    case 'supplement.submit':
      return byName.set(move.type, { path: `/api/cases/${caseId}/supplements`, body: { materials: [{ name: '施工合同 Construction contract', sha256: 'd'.repeat(64), sizeBytes: 100 }], expectedVersion } });
    case 'case.copy':
      return byName.set(move.type, { path: `/api/cases/${caseId}/copies`, body: { recipients: [{ departmentCode: 'police' }], note: '请知悉 For your information' } });
    case 'case.comment':
      return byName.set(move.type, { path: `/api/cases/${caseId}/comments`, body: { text: '批注 A remark', visibility: 'internal' } });
    case 'copy.read':
      return byName.set(move.type, { path: `/api/copies/${move.copyId}/read`, body: {} });
    case 'case.suspend':
      return byName.set(move.type, { path: `/api/cases/${caseId}/suspension`, body: { reason: '诉讼未决 A lawsuit pending', legalBasis: '《某省行政审批条例》第二十条', expectedVersion } });
    case 'case.resume':
      return byName.set(move.type, { path: `/api/cases/${caseId}/resumption`, body: { reason: '诉讼已审结 The lawsuit ended', expectedVersion } });
    case 'case.terminate':
      return byName.set(move.type, { path: `/api/cases/${caseId}/termination`, body: { reason: '申请人已注销 The applicant was dissolved', legalBasis: '第二十一条', expectedVersion } });
    default:
      throw new Error(`unknown move ${move.type}`);
  }
}

const allRequests = (caseId: string, offered: { version: number; moves: Move[] }) =>
  new Map(offered.moves.flatMap((m) => [...requestsOf(caseId, offered.version, m)]));

/** Everything a command on the case could change. */
const footprint = async (caseId: string) => ({
  case: [...(await f.sql`select version, status, state_label, clocks, audit_seq from cases where id = ${caseId}`)],
  tasks: [...(await f.sql`select id, status, assignee_id, due_at from tasks where case_id = ${caseId} order by id`)],
  audit: [...(await f.sql`select seq, type from audit_events where case_id = ${caseId} order by seq`)],
});

const SCENARIOS: Readonly<Record<string, { build: () => Promise<string>; people: readonly string[] }>> = {
  // The lead adds or removes an optional member before the review starts; the window withdraws the case.
  'at acceptance': { build: () => start(), people: [SECOND_LEAD, 'window.clerk'] },
  'in joint review': { build: startInJointReview, people: ['fire.handler', 'housing.lead', 'supervisor', 'ecology.handler', 'window.clerk'] },
  'after a rejection in the joint review': {
    build: async () => {
      const caseId = await startInJointReview();
      await complete('fire.handler', 'review.fire', caseId, 'reject', '消防通道宽度不足 The fire lane is too narrow');
      return caseId;
    },
    people: [SECOND_LEAD, 'fire.handler'],
  },
  'with the fire review claimed': {
    build: async () => {
      const caseId = await startInJointReview();
      const claimed = await f.as('fire.handler').post(`/api/tasks/${await openTask('fire.handler', 'review.fire', caseId)}/claim`);
      expect(claimed.status).toBe(200);
      return caseId;
    },
    people: ['fire.handler', 'fire.lead'],
  },
  'with the fire review delegated (委派) to the lead': {
    build: async () => {
      const caseId = await startInJointReview();
      const taskId = await openTask('fire.handler', 'review.fire', caseId);
      expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/claim`)).status).toBe(200);
      expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/delegation`, { to: { userId: 'fire.lead' }, note: '请起草意见' })).status).toBe(200);
      return caseId;
    },
    people: ['fire.handler', 'fire.lead'],
  },
  'waiting for a supplement': {
    build: async () => {
      const caseId = await start();
      await returnToApplicant(caseId, '请补正施工合同 Bring the construction contract');
      return caseId;
    },
    people: ['window.clerk'],
  },
  // 抄送: the department copied reads the case, and may only mark its copy read (已阅).
  'copied to the tax department': {
    build: async () => {
      const caseId = await startInJointReview();
      expect((await f.as('fire.handler').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'tax' }] })).status).toBe(200);
      return caseId;
    },
    people: ['tax.handler'],
  },
  // 中止: the lead department resumes or terminates it, a supervisor resumes it; nobody works on its tasks meanwhile.
  suspended: {
    build: async () => {
      const caseId = await startInJointReview();
      const suspended = await f.as('housing.lead').post(`/api/cases/${caseId}/suspension`, { reason: '诉讼未决', legalBasis: '第二十条' });
      expect(suspended.status).toBe(200);
      return caseId;
    },
    people: ['housing.lead', 'supervisor'],
  },
  'in an expert review': {
    build: async () => {
      const caseId = await startInJointReview();
      const started = await f.as('ecology.handler').post(`/api/cases/${caseId}/special-procedures`, { action: 'start', kind: 'expert-review', notice: '专家评审 Expert review' });
      expect(started.status).toBe(200);
      return caseId;
    },
    people: ['planning.handler', 'housing.lead'],
  },
};

describe('GET /api/cases/{caseId}/moves', () => {
  for (const [scenario, { build, people }] of Object.entries(SCENARIOS)) {
    it.each(people)(`${scenario}: every move offered to %s, sent as the page sends it, is accepted and changes the case`, async (user) => {
      const caseId = await build();
      const offered = allRequests(caseId, await movesOf(user, caseId));
      expect(offered.size).toBeGreaterThan(0);
      for (const name of offered.keys()) {
        const fresh = await build(); // each move on the case as it was: the same state, its own ids
        const request = allRequests(fresh, await movesOf(user, fresh)).get(name);
        expect(request, `${name} is offered on every copy`).toBeDefined();
        const res = await f.as(user).post(request!.path, request!.body);
        expect({ name, status: res.status, changed: res.body.changed }, JSON.stringify(res.body)).toEqual({ name, status: 200, changed: true });
      }
    });
  }

  it('a handler is offered claiming and completing their department’s review with every outcome, and a special procedure; not an extension nor an urge', async () => {
    const caseId = await startInJointReview();
    const taskId = await openTask('fire.handler', 'review.fire', caseId);
    const { moves, version } = await movesOf('fire.handler', caseId);
    expect(version).toBe(2);
    expect(moves).toEqual([
      { type: 'task.claim', taskId, task: 'review.fire' },
      {
        type: 'task.complete',
        taskId,
        task: 'review.fire',
        outcomes: ['approve', 'reject', 'return'],
        returnTargets: [
          { to: 'correction', title: '退回牵头部门补正 Back to the lead department for correction', asksSupplement: false },
          { to: 'acceptance', title: '退回受理窗口 Back to the acceptance window', asksSupplement: false },
        ],
        supplementMaterials: [],
      },
      { type: 'special-procedure.start', kinds: ['hearing', 'expert-review', 'testing', 'public-notice', 'tender'] },
      { type: 'case.copy' },
      { type: 'case.comment' },
    ]);
    const lead = await movesOf('housing.lead', caseId);
    expect(lead.moves.filter((m) => m.type === 'clock.extend').map((m) => [m.clock, m.maxWorkingDays])).toEqual(
      expect.arrayContaining([
        ['legal', 15],
        ['committed', 15],
        ['task:review.fire', 15],
      ]),
    );
    expect(lead.moves.filter((m) => m.type === 'task.urge')).toHaveLength(5);
  });

  it('moves withheld are refused when sent anyway, and change nothing', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const planning = await openTask('planning.handler', 'review.planning', caseId);
    const before = await footprint(caseId);
    // [who, the move's name, the request sent anyway, the refusal]
    const withheld: [string, string, string, object, number][] = [
      ['fire.handler', 'clock.extend legal', `/api/cases/${caseId}/clocks/legal/extensions`, { workingDays: 5, reason: '理由', legalBasis: '依据' }, 403],
      ['fire.handler', 'task.claim review.planning', `/api/tasks/${planning}/claim`, {}, 404],
      ['fire.handler', 'task.urge review.fire', `/api/tasks/${fire}/urges`, { message: '请尽快 Hurry' }, 403],
      ['supervisor', 'task.claim review.fire', `/api/tasks/${fire}/claim`, {}, 403],
      ['ecology.handler', 'special-procedure.end expert-review', `/api/cases/${caseId}/special-procedures`, { action: 'end', kind: 'expert-review' }, 409],
      ['window.clerk', 'supplement.submit', `/api/cases/${caseId}/supplements`, { materials: [{ name: '施工合同 Construction contract', sha256: 'e'.repeat(64), sizeBytes: 1 }] }, 409],
      ['fire.handler', 'special-procedure.start other', `/api/cases/${caseId}/special-procedures`, { action: 'start', kind: 'other', notice: '告知' }, 409],
      ['fire.handler', 'task.withdraw review.fire', `/api/tasks/${fire}/withdrawal`, { reason: '撤回' }, 409],
      ['fire.handler', 'case.withdraw', `/api/cases/${caseId}/withdrawal`, { reason: '撤件' }, 403],
      ['housing.lead', 'review.members.change jointReview water leaves', `/api/cases/${caseId}/joint-reviews/jointReview/members`, { department: 'water', joins: false, reason: '不接入供水' }, 409],
      ['housing.lead', 'review.close jointReview', `/api/cases/${caseId}/joint-reviews/jointReview/closure`, { reason: '结束审查' }, 409],
    ];
    for (const [user, name, path, body, status] of withheld) {
      expect(allRequests(caseId, await movesOf(user, caseId)).has(name), `${name} is not offered to ${user}`).toBe(false);
      const res = await f.as(user).post(path, body);
      expect({ name, user, status: res.status }).toEqual({ name, user, status });
    }
    expect(await footprint(caseId)).toEqual(before);
  });

  it('someone else’s claim takes the moves on that task away from the rest of the department, except the lead’s release and transfer', async () => {
    const caseId = await startInJointReview();
    const taskId = await openTask('fire.handler', 'review.fire', caseId);
    await f.as('fire.handler').post(`/api/tasks/${taskId}/claim`);
    expect((await movesOf('fire.handler', caseId)).moves.filter((m) => m.taskId === taskId).map((m) => m.type)).toEqual(['task.release', 'task.complete', 'task.transfer', 'task.delegate']);
    expect((await movesOf('fire.lead', caseId)).moves.filter((m) => m.taskId === taskId).map((m) => m.type)).toEqual(['task.release', 'task.transfer']);
  });

  it('a closed case offers nothing but a copy (抄送: a decided case may be copied too)', async () => {
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId, 'reject', '不予受理：不属于本机关职权范围 Not ours to decide');
    expect((await movesOf('window.clerk', caseId)).moves).toEqual([{ type: 'case.copy' }]);
    expect((await movesOf('supervisor', caseId)).moves).toEqual([{ type: 'case.copy' }]);
  });
});

describe('GET /api/cases/{caseId}/diagram', () => {
  it('the definition’s states and transitions, with the states the case is in', async () => {
    const caseId = await startInJointReview();
    const res = await f.as('fire.handler').get(`/api/cases/${caseId}/diagram`);
    expect(res.status).toBe(200);
    expect(res.body.definition).toEqual({ key: 'construction-permit', version: 6, title: '工程建设项目施工许可 Construction permit' });
    expect(res.body.status).toBe('running');
    expect(res.body.states[0]).toMatchObject({ id: 'construction-permit', parent: null });
    expect(res.body.states.find((s: { id: string }) => s.id === 'construction-permit.jointReview.fire.reviewing')).toMatchObject({
      parent: 'construction-permit.jointReview.fire',
      task: { task: 'review.fire', department: 'fire' },
    });
    expect(res.body.transitions.length).toBeGreaterThan(20);
    expect(res.body.active).toContain('construction-permit.jointReview.fire.reviewing');
    await complete('fire.handler', 'review.fire', caseId);
    const after = await f.as('supervisor').get(`/api/cases/${caseId}/diagram`);
    expect(after.body.active).toContain('construction-permit.jointReview.fire.approved');
    expect(after.body.active).not.toContain('construction-permit.jointReview.fire.reviewing');
  });
});

describe('GET /api/cases/{caseId}/diagram: the drawing', () => {
  type Box = { id: string; active: boolean; lines: { text: string }[] };
  const words = (drawing: { boxes: Box[] }) => drawing.boxes.flatMap((b) => b.lines.map((l) => l.text)).join(' ');

  it('laid out on the server in the language asked for: a box per state, the ones the case is in marked, as the SVG draws it', async () => {
    const caseId = await startInJointReview();
    const en = await f.as('fire.handler').get(`/api/cases/${caseId}/diagram?lang=en`);
    expect(en.status).toBe(200);
    expect(en.body.drawing.width).toBeGreaterThan(0);
    const boxes: Box[] = en.body.drawing.boxes;
    const states: { id: string; parent: string | null; type: string }[] = en.body.states;
    expect(boxes.map((b) => b.id).sort()).toEqual(states.filter((s) => s.parent !== null).map((s) => s.id).sort());
    expect(boxes.filter((b) => b.active).map((b) => b.id).sort()).toEqual([...en.body.active].sort());
    // What the SVG document of the definition with this case draws: the same states and arrows.
    const svg = await (await f.app.request(`/api/definitions/construction-permit/6/diagram.svg?caseId=${caseId}&lang=en`, { headers: { authorization: `Bearer ${await f.token('fire.handler')}` } })).text();
    const drawn = (attribute: string) => [...svg.matchAll(new RegExp(`${attribute}="([^"]+)"`, 'g'))].map((m) => m[1]).sort();
    expect(drawn('data-state')).toEqual(boxes.map((b) => b.id).sort());
    expect(drawn('data-transition')).toEqual(en.body.drawing.arrows.map((a: { id: string }) => a.id).sort());

    const zh = await f.as('fire.handler').get(`/api/cases/${caseId}/diagram`);
    expect(zh.body.drawing.boxes.map((b: Box) => b.id)).toEqual(boxes.map((b) => b.id));
    expect(words(en.body.drawing)).toContain('Approved');
    expect(words(zh.body.drawing)).not.toContain('Approved');
    const byHeader = await f.app.request(`/api/cases/${caseId}/diagram`, { headers: { authorization: `Bearer ${await f.token('fire.handler')}`, 'accept-language': 'en-GB,en;q=0.9' } });
    expect(byHeader.headers.get('content-language')).toBe('en');
    expect(words(((await byHeader.json()) as { drawing: { boxes: Box[] } }).drawing)).toBe(words(en.body.drawing));
  });

  it('a language it does not speak is refused (400), the case unchanged', async () => {
    const caseId = await startInJointReview();
    const before = await footprint(caseId);
    const res = await f.as('fire.handler').get(`/api/cases/${caseId}/diagram?lang=fr`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('lang');
    expect(await footprint(caseId)).toEqual(before);
  });
});

describe('the case page’s reads see cases as the case read does', () => {
  it.each(['moves', 'diagram'])('%s: another department’s case is not found (404), like an unknown one; the page’s own reads are refused to roles that read no case (403)', async (what) => {
    const caseId = await startInJointReview();
    const before = await footprint(caseId);
    for (const [user, id, status] of [
      ['police.handler', caseId, 404],
      ['housing-fund.lead', caseId, 404],
      ['fire.handler', randomUUID(), 404],
      ['designer', caseId, 403],
      ['admin', caseId, 403],
    ] as const) {
      const res = await f.as(user).get(`/api/cases/${id}/${what}`);
      expect({ user, status: res.status }).toEqual({ user, status });
      expect(res.contentType).toContain('problem+json');
    }
    expect((await f.as(null).get(`/api/cases/${caseId}/${what}`)).status).toBe(401);
    expect(await footprint(caseId)).toEqual(before);
  });

  it.each(['moves', 'diagram'])('%s: a case id that is not a UUID is bad input (400, with the field)', async (what) => {
    const res = await f.as('fire.handler').get(`/api/cases/not-a-case/${what}`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toContain('caseId');
  });

  it('the case view carries the case’s light', async () => {
    const caseId = await startInJointReview();
    const res = await f.as('fire.handler').get(`/api/cases/${caseId}`);
    expect(res.body.warningLevel).toBe('green');
  });
});
