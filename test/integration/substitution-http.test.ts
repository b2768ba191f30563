import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROAD_OCCUPATION_DEPUTIES } from '../../workflows/road-occupation.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';
import { MONDAY_MORNING } from '../support/engine-fixture.js';

/**
 * Out-of-office substitution (代理) through the HTTP API: a person sets and cancels their windows
 * (`/api/me/substitutions`, each refusal a 422 naming the field and writing nothing); a named signer's task opened
 * inside a window goes to the substitute, before and after it to the signer (the engine's clock moved across its
 * edges); a substitute takes over (接办) the absent person's task inside the window only.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values
    ('fire.handler2', 'Fire colleague', 'fire', ${['handler']}), ('fire.clerk', 'Fire clerk', 'fire', ${['intake_clerk']}),
    ('fire.handler3', 'Fire third', 'fire', ${['handler']}), ('fire.gone', 'Fire retired', 'fire', ${['handler']})`;
  await f.sql`update users set active = false where id = 'fire.gone'`;
});
afterAll(() => f.close());
beforeEach(() => f.clock.set(MONDAY_MORNING));
const { complete, openTask, start, startAtFireReview } = caseDriver(() => f);

const HOUR = 3_600_000;
const at = (hours: number) => new Date(MONDAY_MORNING.getTime() + hours * HOUR).toISOString();
const reason = '出差 On a business trip';
const setWindow = (user: string, body: object) => f.as(user).post('/api/me/substitutions', { reason, ...body });
const windowsOf = async (user: string) => (await f.as(user).get('/api/me/substitutions')).body;
const securityLog = async () => (await f.as('supervisor').get('/api/security-log?pageSize=100')).body.items.filter((e: { type: string }) => e.type.startsWith('substitution.'));
/** Cancels every window of `user` still standing, so that each test sets its own. */
async function clearWindows(user: string): Promise<void> {
  for (const w of (await windowsOf(user)).mine) if (w.state === 'upcoming' || w.state === 'active') await f.as(user).post(`/api/me/substitutions/${w.id}/cancellation`, {});
}

describe('setting a substitute (代理)', () => {
  it('a window is set, listed both ways with its state, and recorded on the security log; the same Idempotency-Key sets it once', async () => {
    const headers = { 'idempotency-key': 'substitution-set-1' };
    const body = { substituteId: 'fire.handler2', startsAt: at(1), endsAt: at(25) };
    const res = await f.as('fire.handler').post('/api/me/substitutions', { ...body, reason }, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ absent: { id: 'fire.handler' }, substitute: { id: 'fire.handler2', name: 'Fire colleague' }, startsAt: at(1), endsAt: at(25), reason, state: 'upcoming', cancelledAt: null });
    const again = await f.as('fire.handler').post('/api/me/substitutions', { ...body, reason }, headers);
    expect([again.status, again.body.id]).toEqual([201, res.body.id]);
    expect((await windowsOf('fire.handler')).mine.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    expect((await windowsOf('fire.handler2')).standingIn.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    expect(await securityLog()).toEqual([
      expect.objectContaining({ type: 'substitution.set', actorId: 'fire.handler', data: expect.objectContaining({ substitutionId: res.body.id, absent: 'fire.handler', substitute: 'fire.handler2' }) }),
    ]);
    f.clock.set(new Date(at(2)));
    expect((await windowsOf('fire.handler')).mine[0].state).toBe('active');
    await clearWindows('fire.handler');
  });

  it('a start left out, or in the past, counts from now', async () => {
    const res = await setWindow('fire.handler3', { substituteId: 'fire.handler2', startsAt: at(-5), endsAt: at(4) });
    expect([res.status, res.body.startsAt, res.body.state]).toEqual([201, at(0), 'active']);
    await clearWindows('fire.handler3');
  });

  it.each([
    ['oneself', 'fire.handler', { substituteId: 'fire.handler', endsAt: at(24) }, 'substituteId'],
    ['nobody known', 'fire.handler', { substituteId: 'nobody', endsAt: at(24) }, 'substituteId'],
    ['a deactivated person', 'fire.handler', { substituteId: 'fire.gone', endsAt: at(24) }, 'substituteId'],
    ['a person of another department', 'fire.handler', { substituteId: 'water.handler', endsAt: at(24) }, 'substituteId'],
    ['a handler for a lead (who decides)', 'fire.lead', { substituteId: 'fire.handler', endsAt: at(24) }, 'substituteId'],
    ['a clerk for a handler (who reviews)', 'fire.handler', { substituteId: 'fire.clerk', endsAt: at(24) }, 'substituteId'],
    ['a window ending before it starts', 'fire.handler', { substituteId: 'fire.handler2', startsAt: at(5), endsAt: at(4) }, 'endsAt'],
    ['a window ended already', 'fire.handler', { substituteId: 'fire.handler2', endsAt: at(-1) }, 'endsAt'],
    ['a window over 90 days', 'fire.handler', { substituteId: 'fire.handler2', endsAt: at(91 * 24) }, 'endsAt'],
  ])('%s → 422 naming the field, nothing written', async (_, user, body, field) => {
    const before = [await windowsOf(user), await securityLog()];
    const res = await setWindow(user, body);
    expect([res.status, res.body.code, res.body.errors?.[0]?.path], JSON.stringify(res.body)).toEqual([422, 'TB-COMMAND-INVALID', field]);
    expect([await windowsOf(user), await securityLog()]).toEqual(before);
  });

  it('no overlap with another window of one’s own, and no chains: each → 422, nothing written', async () => {
    expect((await setWindow('fire.handler', { substituteId: 'fire.handler2', startsAt: at(24), endsAt: at(48) })).status).toBe(201);
    const refused = async (user: string, body: object, field: string) => {
      const before = [await windowsOf(user), await securityLog()];
      const res = await setWindow(user, body);
      expect([res.status, res.body.errors?.[0]?.path], JSON.stringify(res.body)).toEqual([422, field]);
      expect([await windowsOf(user), await securityLog()]).toEqual(before);
    };
    await refused('fire.handler', { substituteId: 'fire.handler3', startsAt: at(40), endsAt: at(60) }, 'startsAt'); // overlaps mine
    await refused('fire.handler3', { substituteId: 'fire.handler', startsAt: at(30), endsAt: at(36) }, 'substituteId'); // fire.handler is away then
    await refused('fire.handler2', { substituteId: 'fire.handler3', startsAt: at(47), endsAt: at(50) }, 'startsAt'); // fire.handler2 stands in then
    // Next to it, not over it: allowed.
    expect((await setWindow('fire.handler2', { substituteId: 'fire.handler3', startsAt: at(48), endsAt: at(50) })).status).toBe(201);
    await clearWindows('fire.handler');
    await clearWindows('fire.handler2');
  });

  it('a supervisor (no tasks to hand on) → 403; a body without its end → 400', async () => {
    expect((await setWindow('supervisor', { substituteId: 'fire.handler', endsAt: at(24) })).status).toBe(403);
    expect((await setWindow('fire.handler', { substituteId: 'fire.handler2' })).status).toBe(400);
  });
});

describe('cancelling a window', () => {
  it('cancels one’s own once (security-logged once); another’s → 404; an ended one → 409', async () => {
    const set = (await setWindow('fire.handler', { substituteId: 'fire.handler2', endsAt: at(2) })).body;
    expect((await f.as('fire.handler2').post(`/api/me/substitutions/${set.id}/cancellation`, {})).status).toBe(404);
    const first = await f.as('fire.handler').post(`/api/me/substitutions/${set.id}/cancellation`, {});
    expect([first.status, first.body.state]).toEqual([200, 'cancelled']);
    const again = await f.as('fire.handler').post(`/api/me/substitutions/${set.id}/cancellation`, {});
    expect([again.status, again.body.cancelledAt]).toEqual([200, first.body.cancelledAt]);
    expect((await securityLog()).filter((e: { data: { substitutionId: string } }) => e.data.substitutionId === set.id).map((e: { type: string }) => e.type)).toEqual([
      'substitution.cancelled',
      'substitution.set',
    ]);

    const ended = (await setWindow('fire.handler', { substituteId: 'fire.handler2', endsAt: at(1) })).body;
    f.clock.set(new Date(at(2)));
    const late = await f.as('fire.handler').post(`/api/me/substitutions/${ended.id}/cancellation`, {});
    expect([late.status, late.body.code]).toEqual([409, 'TB-SUBSTITUTION-ENDED']);
    expect((await f.as('fire.handler').post('/api/me/substitutions/00000000-0000-4000-8000-000000000000/cancellation', {})).body.code).toBe('TB-SUBSTITUTION-404');
  });
});

describe('a named signer’s task across the window (代理 routing)', () => {
  const [DEPUTY_A] = ROAD_OCCUPATION_DEPUTIES as unknown as [string];
  const SIGN_OFF = `signOff.${DEPUTY_A}`;
  /** A road occupation whose member reviews approve now: its sign-off opens, deputy A's task with it. */
  async function signOffOpened(): Promise<{ caseId: string; task: { id: string; assigneeId: string; substitutedFor: string | null } }> {
    const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation' });
    await complete('window.clerk', 'acceptance', caseId);
    await complete('traffic-police.handler', 'review.traffic-police', caseId);
    await complete('municipal-roads.handler', 'review.municipal-roads', caseId);
    const { tasks } = await caseFootprint(f, caseId);
    return { caseId, task: tasks.find((t: { key: string }) => t.key === SIGN_OFF) };
  }

  it('before the window: the signer’s; inside: the substitute’s, for the signer, audited with both; after: the signer’s again', async () => {
    expect((await setWindow(DEPUTY_A, { substituteId: 'urban-management.lead', startsAt: at(24), endsAt: at(48) })).status).toBe(201);

    const before = await signOffOpened();
    expect(before.task).toMatchObject({ assigneeId: DEPUTY_A, substitutedFor: null });

    f.clock.set(new Date(at(24)));
    const inside = await signOffOpened();
    expect(inside.task).toMatchObject({ status: 'claimed', assigneeId: 'urban-management.lead', substitutedFor: DEPUTY_A });
    const { timeline } = await caseFootprint(f, inside.caseId);
    expect(timeline.at(-1).data.openedForSubstitutes).toEqual([{ taskId: inside.task.id, task: SIGN_OFF, signer: DEPUTY_A, substitute: 'urban-management.lead' }]);
    // The substitute sees it in their inbox and signs it; the completion says for whom.
    expect(await openTask('urban-management.lead', SIGN_OFF, inside.caseId)).toBe(inside.task.id);
    const signed = await f.as('urban-management.lead').post(`/api/tasks/${inside.task.id}/complete`, { outcome: 'approve', opinion: { text: '同意' } });
    expect([signed.status, signed.body.status], JSON.stringify(signed.body)).toEqual([200, 'approved']);
    const audit = (await caseFootprint(f, inside.caseId)).timeline.find((e: { type: string; data: { task?: string } }) => e.type === 'task.approved' && e.data.task === SIGN_OFF);
    expect(audit).toMatchObject({ actorId: 'urban-management.lead', data: { substitutedFor: DEPUTY_A } });

    f.clock.set(new Date(at(48)));
    expect((await signOffOpened()).task).toMatchObject({ assigneeId: DEPUTY_A, substitutedFor: null });
  });
});

describe('taking over (接办)', () => {
  it('outside the window → 409, nothing changed; inside it the moves offer it and it takes; others → 403', async () => {
    // fire.handler3 is away from 10:00 to 14:00; fire.handler2 stands in.
    const set = (await setWindow('fire.handler3', { substituteId: 'fire.handler2', startsAt: at(1), endsAt: at(5) })).body;
    const { caseId, taskId } = await startAtFireReview();
    expect((await f.as('fire.handler3').post(`/api/tasks/${taskId}/claim`, {})).status).toBe(200);
    const takeOver = (user: string) => f.as(user).post(`/api/tasks/${taskId}/take-over`, {});
    const offered = async () => (await f.as('fire.handler2').get(`/api/cases/${caseId}/moves`)).body.moves.filter((m: { type: string }) => m.type === 'task.take-over');

    expect(await offered()).toEqual([]);
    await expectRefused(f, caseId, () => takeOver('fire.handler2'), 409, 'TB-TAKE-OVER-NOT-ALLOWED');

    f.clock.set(new Date(at(2)));
    await expectRefused(f, caseId, () => takeOver('fire.handler'), 403, 'TB-FORBIDDEN');
    await expectRefused(f, caseId, () => takeOver('water.handler'), 404, 'TB-TASK-404');
    expect(await offered()).toEqual([{ type: 'task.take-over', taskId, task: 'review.fire', substitutedFor: 'fire.handler3' }]);
    const res = await takeOver('fire.handler2');
    expect([res.status, res.body.changed], JSON.stringify(res.body)).toEqual([200, true]);
    const { tasks, timeline } = await caseFootprint(f, caseId);
    expect(tasks.find((t: { id: string }) => t.id === taskId)).toMatchObject({ status: 'claimed', assigneeId: 'fire.handler2', substitutedFor: 'fire.handler3' });
    expect(timeline.at(-1)).toMatchObject({ type: 'task.taken-over', actorId: 'fire.handler2', data: { taskId, substitutedFor: 'fire.handler3', substitute: 'fire.handler2', substitutionId: set.id } });
    // Held by the substitute for them now: taking it over again changes nothing, and is offered no more.
    const version = (await caseFootprint(f, caseId)).version;
    expect((await takeOver('fire.handler2')).body).toMatchObject({ changed: false, version });
    expect(await offered()).toEqual([]);

    f.clock.set(new Date(at(6)));
    const later = await startAtFireReview();
    expect((await f.as('fire.handler3').post(`/api/tasks/${later.taskId}/claim`, {})).status).toBe(200);
    await expectRefused(f, later.caseId, () => f.as('fire.handler2').post(`/api/tasks/${later.taskId}/take-over`, {}), 409, 'TB-TAKE-OVER-NOT-ALLOWED');
  });
});
