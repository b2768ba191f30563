import { mintToken } from '../api/auth.js';
import type { Sql } from '../db/connection.js';
import { timerId } from '../engine/ids.js';
import { DEMO_USERS } from '../apps/demo-users.js';
import type { Runtime } from '../apps/runtime.js';
import { systemClock } from '../platform/system-clock.js';
import { EVERY_MEMBER_NEEDED } from '../workflows/construction-permit.js';
import type { CaseFlow, OpenTask } from './case-load.js';
import { JsonClient } from './http-client.js';

/** The application the window clerk keys in (as in test/support/case-driver.ts): its answers bring all five reviews in. */
export const APPLICATION = {
  serviceItemCode: 'construction-permit',
  applicant: { name: '上海某建设有限公司', idNumber: '91310000MA1FL1234X', phone: '+86 21 5555 0000' },
  materials: [{ name: '建设工程规划许可证 Planning permit', sha256: 'b'.repeat(64), sizeBytes: 2048 }],
  answers: EVERY_MEMBER_NEEDED,
};

export interface TongbanFlowDeps {
  readonly apiUrl: string;
  readonly secret: string;
  /** The driver's own pool: it reads task ids from the database instead of paging through inboxes. */
  readonly driverSql: Sql;
  /** An engine whose clock is ahead by more than the public-notice period, to fire it as the timer worker would. */
  readonly timerEngine: Runtime | null;
  readonly maxSockets: number;
  /** Claim each review before completing it (default true); the peer comparison runs without, as the peer has no claim. */
  readonly claims?: boolean;
}

/**
 * Our engine driven through its HTTP API: POST /api/cases, POST /api/tasks/{id}/claim and /complete, each as
 * the demo user of the task's department with a real signed token. Task ids come from one query on `tasks`
 * per phase of the case (3 per case) rather than an inbox request, so that the load is commands.
 */
export async function tongbanFlow(deps: TongbanFlowDeps): Promise<CaseFlow & { close(): void }> {
  const client = new JsonClient(deps.apiUrl, deps.maxSockets);
  const tokens = new Map<string, string>();
  for (const user of DEMO_USERS) tokens.set(user.id, await mintToken(user.id, deps.secret, systemClock));
  const token = (user: string) => tokens.get(user) ?? '';
  const ok = <T>(what: string, res: { status: number; body: T }): T => {
    if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body;
  };
  const timerEngine = deps.timerEngine;
  return {
    name: 'tongban',
    async start() {
      return ok('start', await client.send<{ caseId: string }>('POST', '/api/cases', token('window.clerk'), APPLICATION)).caseId;
    },
    async openTasks(caseId) {
      return deps.driverSql<OpenTask[]>`select id, key from tasks where case_id = ${caseId}::uuid and status in ('open', 'claimed')`;
    },
    claim:
      deps.claims === false
        ? null
        : async (_caseId, task, user) => {
            ok('claim', await client.send('POST', `/api/tasks/${task.id}/claim`, token(user), {}));
          },
    async complete(_caseId, task, user) {
      const body = { outcome: 'approve', opinion: { text: '同意 Approved' } };
      return ok('complete', await client.send<{ state: string }>('POST', `/api/tasks/${task.id}/complete`, token(user), body));
    },
    finish: timerEngine
      ? async (caseId) => {
          const [timer] = await deps.driverSql<{ id: string }[]>`
            select id from timers where case_id = ${caseId}::uuid and kind = 'period' and status = 'pending'`;
          if (!timer) throw new Error(`case ${caseId} has no pending public-notice timer`);
          const fired = await timerEngine.engine.execute({ type: 'timer.fire', timerId: timerId(timer.id) });
          if (fired.status !== 'approved') throw new Error(`after the public notice the case is ${fired.status}`);
        }
      : null,
    close: () => client.close(),
  };
}
