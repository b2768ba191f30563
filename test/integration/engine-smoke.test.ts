import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskId } from '../../engine/ids.js';
import { demoActor } from '../../apps/demo-users.js';
import { EVERY_MEMBER_NEEDED } from '../../workflows/construction-permit.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';

let f: EngineFixture;
beforeAll(async () => {
  f = await createEngineFixture();
});
afterAll(() => f.close());

describe('engine on PostgreSQL', () => {
  it('starts a construction permit and opens the acceptance task at the window', async () => {
    const started = await f.engine.startCase({
      type: 'case.start',
      actor: demoActor('window.clerk'),
      serviceItemCode: 'construction-permit',
      applicant: { name: '某建设有限公司', idNumber: '91310000MA1FL0000X' },
      materials: [{ name: '施工图', sha256: 'a'.repeat(64), sizeBytes: 1024 }],
      answers: EVERY_MEMBER_NEEDED,
    });
    expect(started.state).toBe('acceptance');
    const tasks = await f.sql`select * from tasks where case_id = ${started.caseId}`;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.['department_code']).toBe('window');
    const result = await f.engine.execute({
      type: 'task.complete',
      actor: demoActor('window.clerk'),
      taskId: taskId(tasks[0]?.['id'] as string),
      outcome: 'approve',
      opinion: { text: '材料齐全，予以受理', visibility: 'internal' },
    });
    expect(result.state).toBe('jointReview');
    const open = await f.sql`select department_code from tasks where case_id = ${started.caseId} and status = 'open' order by department_code`;
    expect(open.map((r) => r['department_code'])).toEqual(['civil-air-defence', 'ecology', 'fire', 'planning', 'water']);
  });
});
