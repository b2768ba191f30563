import { describe, expect, it } from 'vitest';
import { CaseNotFoundError, ForbiddenError, PermissionDeniedError, SignerChangeNotAllowedError } from '../errors.js';
import { userId } from '../ids.js';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { EIA_EXPERTS, eiaApproval } from '../../workflows/eia-approval.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../../workflows/road-occupation.js';
import type { SignerPosition } from '../definitions/signer-changes.js';

/** 加签 / 减签 through the engine: the machine changes the step, the planner opens and cancels the tasks, the audit names who and why. */

const [DEPUTY_A, DEPUTY_B] = ROAD_OCCUPATION_DEPUTIES;
const DIRECTOR = 'urban-management.director';
const asPerson = (person: string, department: string, role: 'handler' | 'lead') => actor(department, role, person);
const URBAN_LEAD = actor('urban-management', 'lead');

function atSignOff(): CaseWorld {
  const world = CaseWorld.start(roadOccupation);
  for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
  return world;
}

function atExpertPanel(): CaseWorld {
  const world = CaseWorld.start(eiaApproval);
  world.complete('acceptance', 'approve');
  world.complete('technicalReview', 'approve');
  return world;
}

const expert = (i: number) => EIA_EXPERTS[i - 1] ?? '';
const addBy = (world: CaseWorld, person: string, department: string, position: SignerPosition, added: { department: string; person?: string }) => {
  const task = world.openTask(`${world.case.stateLabel === 'expertPanel' ? 'expertPanel' : 'signOff'}.${person}`);
  return world.execute({ type: 'countersign.signer.add', actor: asPerson(person, department, 'lead'), taskId: task.id, ...added, position, reason: '需分管领导共同把关 A second signature is needed' });
};

describe('加签 on a sign-off (或签)', () => {
  it('a deputy adds the director alongside: their task opens claimed by them, the audit names who added whom and why', () => {
    const world = atSignOff();
    addBy(world, DEPUTY_A, 'urban-management', 'alongside', { department: 'urban-management', person: DIRECTOR });
    const added = world.openTask(`signOff.${DIRECTOR}`);
    expect([added.status, added.assigneeId, added.signerId]).toEqual(['claimed', userId(DIRECTOR), userId(DIRECTOR)]);
    expect(world.context.countersigns?.['signOff']?.signers.map((s) => s.task)).toEqual([`signOff.${DEPUTY_A}`, `signOff.${DEPUTY_B}`, `signOff.${DIRECTOR}`]);
    expect(world.audit.at(-1)).toMatchObject({
      type: 'countersign.signer-added',
      actorId: DEPUTY_A,
      data: { step: 'signOff', task: `signOff.${DIRECTOR}`, person: DIRECTOR, position: 'alongside', by: `signOff.${DEPUTY_A}`, reason: expect.stringContaining('second') },
    });
    // The added signer decides the 或签 like any other.
    world.complete(`signOff.${DIRECTOR}`, 'approve', { by: asPerson(DIRECTOR, 'urban-management', 'lead') });
    expect(world.case.status).toBe('approved');
  });

  it('refuses `before` outside sequential mode, a signer twice, and a person who is not the task’s signer; nothing is written', () => {
    const world = atSignOff();
    expectRefused(world, () => addBy(world, DEPUTY_A, 'urban-management', 'before', { department: 'urban-management', person: DIRECTOR }), SignerChangeNotAllowedError);
    expectRefused(world, () => addBy(world, DEPUTY_A, 'urban-management', 'after', { department: 'urban-management', person: DEPUTY_B }), SignerChangeNotAllowedError);
    const task = world.openTask(`signOff.${DEPUTY_A}`);
    const other = asPerson(DEPUTY_B, 'urban-management', 'lead');
    expectRefused(world, () => world.execute({ type: 'countersign.signer.add', actor: other, taskId: task.id, department: 'urban-management', position: 'after', reason: 'r' }), SignerChangeNotAllowedError);
  });
});

describe('减签 by the lead of the lead department', () => {
  it('removes a pending deputy: their task is cancelled, the step goes on with the other, audited', () => {
    const world = atSignOff();
    const removed = world.openTask(`signOff.${DEPUTY_B}`);
    world.execute({ type: 'countersign.signer.remove', actor: URBAN_LEAD, caseId: world.case.id, step: 'signOff', task: `signOff.${DEPUTY_B}`, reason: '出差 Away on duty' });
    expect(world.tasks.get(removed.id)?.status).toBe('cancelled');
    expect(world.openTasks().map((t) => t.key)).toEqual([`signOff.${DEPUTY_A}`]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'countersign.signer-removed', actorId: URBAN_LEAD.userId, data: { step: 'signOff', task: `signOff.${DEPUTY_B}`, person: DEPUTY_B, reason: '出差 Away on duty' } });
    // The last signer cannot be removed.
    expectRefused(world, () => world.execute({ type: 'countersign.signer.remove', actor: URBAN_LEAD, caseId: world.case.id, step: 'signOff', task: `signOff.${DEPUTY_A}`, reason: 'r' }), SignerChangeNotAllowedError);
  });

  it('only the lead of the case’s lead department: another department’s lead, a handler are refused', () => {
    const world = atSignOff();
    const remove = (by: ReturnType<typeof actor>) => () => world.execute({ type: 'countersign.signer.remove', actor: by, caseId: world.case.id, step: 'signOff', task: `signOff.${DEPUTY_B}`, reason: 'r' });
    expectRefused(world, remove(actor('urban-management', 'handler')), PermissionDeniedError);
    // The traffic police hold no open task of the case any more: to them it is not found, so ids cannot be probed.
    expectRefused(world, remove(actor('traffic-police', 'lead')), CaseNotFoundError);
    // Once a deputy added them as a signer they take part, and are told why: only the lead department removes.
    world.execute({ type: 'countersign.signer.add', actor: actor('urban-management', 'lead', DEPUTY_A), taskId: world.openTask(`signOff.${DEPUTY_A}`).id, department: 'traffic-police', position: 'alongside', reason: 'r' });
    expectRefused(world, remove(actor('traffic-police', 'lead')), ForbiddenError);
  });
});

describe('票签 of the expert panel: the total weight follows the signers', () => {
  it('an expert adds a sixth: four of six approvals reach two thirds, three do not', () => {
    const world = atExpertPanel();
    addBy(world, expert(1), 'expert-panel', 'alongside', { department: 'expert-panel', person: 'expert-panel.expert-6' });
    expect(world.context.countersigns?.['expertPanel']?.signers.reduce((sum, s) => sum + s.weight, 0)).toBe(6);
    for (const i of [1, 2, 3]) world.complete(`expertPanel.${expert(i)}`, 'approve');
    expect(world.case.stateLabel).toBe('expertPanel');
    world.complete('expertPanel.expert-panel.expert-6', 'approve');
    expect(world.case.stateLabel).not.toBe('expertPanel');
  });

  it('removing the pending experts after three approvals decides the vote at once and moves the case on', () => {
    const world = atExpertPanel();
    for (const i of [1, 2, 3]) world.complete(`expertPanel.${expert(i)}`, 'approve');
    const lead = actor('ecology', 'lead');
    world.execute({ type: 'countersign.signer.remove', actor: lead, caseId: world.case.id, step: 'expertPanel', task: `expertPanel.${expert(5)}`, reason: '回避 Conflict of interest' });
    // 3 of 4 reach two thirds: the panel is approved, the fourth expert's task is cancelled with the step.
    expect(world.context.countersigns?.['expertPanel']?.outcome).toBe('approved');
    expect(world.openTasks().some((t) => t.key.startsWith('expertPanel.'))).toBe(false);
    expectRefused(world, () => world.execute({ type: 'countersign.signer.remove', actor: lead, caseId: world.case.id, step: 'expertPanel', task: `expertPanel.${expert(4)}`, reason: 'r' }), SignerChangeNotAllowedError);
  });
});
