import { expect } from 'vitest';
import { EVERY_MEMBER_NEEDED } from '../../workflows/construction-permit.js';
import type { ApiFixture } from './api-fixture.js';

/**
 * A construction-permit application as the window clerk would key it in; its answers bring every optional member
 * of the joint review in, so the five department reviews open.
 */
/** A material the construction permit's item lists, which its window may ask for (补正). */
export const CONSTRUCTION_CONTRACT = '施工合同 Construction contract';

export const CONSTRUCTION_APPLICATION = {
  serviceItemCode: 'construction-permit',
  applicant: { name: '上海某建设有限公司', idNumber: '91310000MA1FL1234X', phone: '+86 21 5555 0000' },
  materials: [{ name: '建设工程规划许可证 Planning permit', sha256: 'b'.repeat(64), sizeBytes: 2048 }],
  answers: EVERY_MEMBER_NEEDED,
};

/**
 * Drives cases through the HTTP API the way users do: inbox, then claim or complete. Takes the fixture
 * lazily because test files create it in `beforeAll`.
 */
export function caseDriver(fixture: () => ApiFixture) {
  const f = () => fixture();
  const openTask = async (user: string, key: string, caseId: string): Promise<string> => {
    // Filtered by the case's number: the case a test just moved is found however many came before it.
    const [row] = await f().sql`select number from cases where id = ${caseId}`;
    const inbox = await f().as(user).get(`/api/tasks?view=todo&caseNumber=${String(row?.['number'])}&pageSize=100`);
    expect(inbox.status).toBe(200);
    const task = inbox.body.items.find((t: { caseId: string; key: string }) => t.caseId === caseId && t.key === key);
    expect(task, `${user} should see ${key}`).toBeDefined();
    return task.id as string;
  };
  const start = async (application: object = CONSTRUCTION_APPLICATION): Promise<string> => {
    const res = await f().as('window.clerk').post('/api/cases', application);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.caseId as string;
  };
  const complete = async (user: string, key: string, caseId: string, outcome = 'approve', text = '同意', extra: object = {}) => {
    const id = await openTask(user, key, caseId);
    const res = await f().as(user).post(`/api/tasks/${id}/complete`, { outcome, opinion: { text }, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  /** The window returns the acceptance to the applicant (补正), naming what to supplement (一次性告知): the contract unless told. */
  const returnToApplicant = (caseId: string, text: string, materials: readonly string[] = [CONSTRUCTION_CONTRACT]) =>
    complete('window.clerk', 'acceptance', caseId, 'return', text, { supplementRequest: { materials: materials.map((name) => ({ name, reason: text })) } });
  const startInJointReview = async (): Promise<string> => {
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId);
    return caseId;
  };
  return {
    openTask,
    start,
    complete,
    returnToApplicant,
    /** A construction permit accepted at the window: its five department reviews are open. */
    startInJointReview,
    /** A case in joint review and its open fire review, what access tests act on. */
    async startAtFireReview(): Promise<{ caseId: string; taskId: string }> {
      const caseId = await startInJointReview();
      return { caseId, taskId: await openTask('fire.handler', 'review.fire', caseId) };
    },
  };
}
