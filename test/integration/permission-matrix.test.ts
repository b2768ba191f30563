import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../engine/access/actor.js';
import { OPERATIONS, PERMISSIONS, type Operation } from '../../engine/access/permission-matrix.js';
import { INBOX_VIEWS } from '../../db/inbox-views.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

/** One person per role (department systems use API keys and are tested with them). */
const ROLE_USERS: Partial<Record<Role, string>> = {
  intake_clerk: 'window.clerk',
  handler: 'fire.handler',
  lead: 'fire.lead',
  supervisor: 'supervisor',
  designer: 'designer',
  admin: 'admin',
};

/** What a role may do on any department's objects, by design. */
const ACROSS_DEPARTMENTS: Partial<Record<string, readonly Operation[]>> = {
  supervisor: ['case.read', 'case.audit.verify', 'case.personal-data.read', 'task.urge', 'supervision-notice.issue', 'case.suspend', 'case.resume', 'case.copy', 'case.comment'],
  admin: ['case.audit.verify'],
};

const BODIES: Record<string, unknown> = {
  'POST /api/cases': CONSTRUCTION_APPLICATION,
  'POST /api/cases/{caseId}/supplements': { materials: [{ name: '施工合同 Construction contract', sha256: 'd'.repeat(64), sizeBytes: 10 }] },
  'POST /api/tasks/{taskId}/claim': {},
  'POST /api/tasks/{taskId}/release': {},
  'POST /api/tasks/{taskId}/urges': { message: '请加快办理' },
  'POST /api/cases/{caseId}/personal-data-reads': { reason: '督办核查：核实申请人身份' },
  'POST /api/tasks/{taskId}/complete': { outcome: 'approve', opinion: { text: '同意' } },
  'POST /api/cases/{caseId}/clocks/{clock}/extensions': { workingDays: 1, reason: '现场核查未完成', legalBasis: '《行政许可法》第四十二条' },
  // Ending a procedure that is not under way: refused by the case's state (409) where the matrix lets it through.
  'POST /api/cases/{caseId}/special-procedures': { action: 'end', kind: 'hearing' },
  'POST /api/cases/{caseId}/supervision-notices': { message: '请说明办理进度', responseWorkingDays: 3 },
  'POST /api/supervision-notices/{noticeId}/responses': { response: '已办理' },
  'POST /api/tasks/{taskId}/withdrawal': { reason: '意见有误，撤回重审' },
  'POST /api/cases/{caseId}/withdrawal': { reason: '申请人申请撤回申请' },
  // Resuming a running case: refused by its status (409) where the matrix lets it through; suspension and termination by the fire lead, who does not lead the case: 403.
  'POST /api/cases/{caseId}/suspension': { reason: '诉讼未决', legalBasis: '《某省行政审批条例》第二十条' },
  'POST /api/cases/{caseId}/resumption': { reason: '诉讼已审结' },
  'POST /api/cases/{caseId}/termination': { reason: '申请人已注销', legalBasis: '《某省行政审批条例》第二十一条' },
  // To another department: only the lead department's lead, refused (403) for the fire lead where the matrix lets it through.
  'POST /api/tasks/{taskId}/transfer': { to: { departmentCode: 'ecology' }, reason: '转办：送错部门' },
  // 委派 to a person of another department (422), and a return or recall of a task nobody delegated (409): refused where the matrix lets them through.
  'POST /api/tasks/{taskId}/delegation': { to: { userId: 'water.handler' }, note: '委派：请起草意见' },
  'POST /api/tasks/{taskId}/delegation/resolution': { outcome: 'approve', opinion: { text: '同意' } },
  'POST /api/tasks/{taskId}/delegation/recall': {},
  // 接办 by someone who stands in for nobody holding the task: refused (403) where the matrix lets it through.
  'POST /api/tasks/{taskId}/take-over': {},
  'POST /api/cases/{caseId}/joint-reviews/{review}/members': { department: 'water', joins: false, reason: '项目不接入公共供水' },
  'POST /api/cases/{caseId}/joint-reviews/{review}/closure': { reason: '已有部门不予通过' },
  // On a review, not a countersign step, and by a department that does not lead the case: refused (409, 403) where the matrix lets it through.
  'POST /api/tasks/{taskId}/signers': { department: 'ecology', position: 'alongside', reason: '加签：需生态环境部门会签' },
  'POST /api/cases/{caseId}/countersigns/{step}/signers/{task}/removal': { reason: '减签：回避' },
  // 抄送 to a department outside the case (taken once: then skipped, unchanged), 批注.
  'POST /api/cases/{caseId}/copies': { recipients: [{ departmentCode: 'tax' }], note: '请知悉' },
  'POST /api/cases/{caseId}/comments': { text: '请关注消防车道', visibility: 'internal' },
  // A new query code, only at the case's intake window; the answer to a fix task the case does not have (404).
  'POST /api/cases/{caseId}/query-code': {},
  'POST /api/ratings/{caseId}/answer': { answer: '已整改' },
  // A revocation reaches the licence's rules (an unknown number here: 404) for the roles the matrix lets in.
  'POST /api/licences/{number}/revocation': { reason: '依法撤销许可' },
};

interface ApiRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operation: Operation;
}

let f: ApiFixture;
let routes: ApiRoute[];
/** Objects the fire department and the window take part in. */
let own: { caseId: string; taskId: string };
/** Objects of another department only (taken in by another window, worked by market regulation). */
let foreign: { caseId: string; taskId: string };

beforeAll(async () => {
  f = await createApiFixture();
  const doc = await f.as(null).get('/api/openapi.json');
  const all = Object.entries(doc.body.paths as Record<string, Record<string, { 'x-permission'?: Operation; security?: unknown[] }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase() as 'GET' | 'POST', path, operation: op['x-permission'] as Operation, public: !op.security })),
  );
  // Signing in comes before any credentials: the one public route of the document (the demo sign-in is off here).
  // The applicant's and anyone's routes (publicApi) take no credentials either: a case number and query code, a licence number.
  expect(all.filter((r) => r.public).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
    ['GET /api/sign-in-options', 'POST /api/public/progress', 'POST /api/public/ratings', 'GET /api/licences/{number}/verification'].sort(),
  );
  routes = all.filter((r) => !r.public);
  const { startAtFireReview, openTask } = caseDriver(() => f);
  own = await startAtFireReview();

  await f.sql`insert into users (id, name, department_code, roles) values ('city.clerk', 'City hall clerk', 'city', ${['intake_clerk']})`;
  const other = await f.as('city.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'business-opening' });
  expect(other.status).toBe(201);
  foreign = { caseId: other.body.caseId, taskId: await openTask('market.handler', 'registration', other.body.caseId) };
});
afterAll(() => f.close());

const fill = (path: string, ids: { caseId: string; taskId: string }) =>
  path.replace('{caseId}', ids.caseId).replace('{taskId}', ids.taskId).replace('{clock}', 'legal').replace('{review}', 'jointReview').replace('{step}', 'signOff').replace('{task}', 'signOff.ecology').replace('{materialId}', '00000000-0000-4000-8000-000000000000');
const call = (user: string, route: ApiRoute, ids: { caseId: string; taskId: string }) =>
  route.method === 'GET' ? f.as(user).get(fill(route.path, ids)) : f.as(user).post(fill(route.path, ids), BODIES[`${route.method} ${route.path}`]);

/**
 * What a refused request must leave as it was. The writes supervisors make across departments by design are left
 * out: a read of personal data, an urge, a 督办, a copy (抄送) and a comment (批注) keep the case's version; a suspension (中止) and the resumption
 * after it (恢复) each add one, taken off here.
 */
async function footprint() {
  const [row] = await f.sql`select
    (select coalesce(sum(version), 0) from cases)::int - (select count(*) from audit_events where type in ('case.suspended', 'case.resumed'))::int as versions,
    (select count(*) from cases)::int as cases,
    (select count(*) from audit_events where type not in ('personal-data.read', 'task.urged', 'supervision-notice.issued', 'case.suspended', 'case.resumed', 'case.copied', 'case.commented'))::int as audit,
    (select count(*) from tasks where assignee_id is not null)::int as claimed`;
  return row;
}

describe('the permission matrix', () => {
  it('every protected route declares its operation, and docs/permissions.md shows the same matrix', () => {
    const undeclared = routes.filter((r) => !OPERATIONS.includes(r.operation));
    expect(undeclared).toEqual([]);
    // Every operation has a route the tests below walk for every role, and every command on a case or task a body
    // it accepts here: without one it would answer 400 before any department rule is checked.
    expect(OPERATIONS.filter((operation) => !routes.some((r) => r.operation === operation))).toEqual([]);
    const commands = routes.filter((r) => r.method === 'POST' && /\{(caseId|taskId)\}/.test(r.path));
    expect(commands.map((r) => `${r.method} ${r.path}`).filter((route) => BODIES[route] === undefined)).toEqual([]);
    const doc = readFileSync('docs/permissions.md', 'utf8');
    const header = /\| operation \|(.+)\|/.exec(doc)?.[1]?.split('|').map((s) => s.trim()) ?? [];
    for (const operation of OPERATIONS) {
      const cells = new RegExp(`^\\| ${operation.replace('.', '\\.')} \\|(.+)\\|$`, 'm').exec(doc)?.[1]?.split('|').map((s) => s.trim());
      expect(cells, `${operation} is documented`).toBeDefined();
      const documented = header.filter((_, i) => cells?.[i] === 'yes');
      expect(documented.sort(), operation).toEqual([...PERMISSIONS[operation]].sort());
    }
  });

  it('route × role: a role outside the matrix gets 403, a role inside is never refused by the matrix', async () => {
    const seen: string[] = [];
    for (const route of routes) {
      for (const [role, user] of Object.entries(ROLE_USERS)) {
        const res = await call(user, route, own);
        const allowed = PERMISSIONS[route.operation].includes(role as Role);
        seen.push(`${route.method} ${route.path} ${role} ${res.status}`);
        // Inside the matrix a department or task-kind rule may still refuse (TB-FORBIDDEN), never the matrix.
        if (allowed) expect(res.body?.code, `${role} on ${route.method} ${route.path}`).not.toBe('TB-PERMISSION');
        else expect([res.status, res.body?.code], `${role} on ${route.method} ${route.path}`).toEqual([403, 'TB-PERMISSION']);
        expect(res.status).not.toBe(401);
      }
    }
    expect(seen.length).toBe(routes.length * Object.keys(ROLE_USERS).length);
  });

  it("every route with an id × every role, on another department's objects: 404 or 403, nothing changes", async () => {
    // Case and task ids belong to departments; API keys are managed across departments by administrators.
    const withIds = routes.filter((r) => r.path.includes('{caseId}') || r.path.includes('{taskId}'));
    expect(withIds.length).toBeGreaterThanOrEqual(4);
    const before = await footprint();
    for (const route of withIds) {
      for (const [role, user] of Object.entries(ROLE_USERS)) {
        const res = await call(user, route, foreign);
        // By design supervisors read (personal data too, on the record) and urge, and supervisors and
        // administrators verify, across departments.
        if (ACROSS_DEPARTMENTS[role]?.includes(route.operation)) expect([200, 201], `${role} on ${route.method} ${route.path}`).toContain(res.status);
        else expect([403, 404], `${role} on ${route.method} ${route.path}: ${res.status}`).toContain(res.status);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it("lists never include another department's tasks", async () => {
    for (const user of Object.values(ROLE_USERS)) {
      for (const view of INBOX_VIEWS) {
        const res = await f.as(user).get(`/api/tasks?view=${view}&pageSize=100`);
        if (res.status === 403) continue;
        expect(res.status, `${user} ${view}`).toBe(200);
        expect(res.body.items.map((t: { id: string }) => t.id)).not.toContain(foreign.taskId);
      }
    }
  });
});
