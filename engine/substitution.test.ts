import { describe, expect, it } from 'vitest';
import { actor } from '../test/unit/support/actors.js';
import { MONDAY_MORNING } from '../test/unit/support/calendar.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import { IN_PERSON, IN_PERSON_ITEM, substitution } from '../test/unit/support/substitutions.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../workflows/road-occupation.js';
import { compileDefinition } from './definitions/process-definition.js';
import { isPersonalTask } from './definitions/personal-steps.js';
import { DefinitionInvalidError } from './errors.js';
import { signersOpened } from './substitution.js';

const [DEPUTY_A, DEPUTY_B] = ROAD_OCCUPATION_DEPUTIES as unknown as [string, string];
const SUBSTITUTE = 'urban-management.lead';
const signOffOf = (person: string) => `signOff.${person}`;
const HOUR = 3_600_000;

/** A road occupation with both member reviews approved, its sign-off about to open, deputy A away as `windows` say. */
function beforeSignOff(windows: ReturnType<typeof substitution>[]): CaseWorld {
  const world = CaseWorld.start(roadOccupation);
  world.substitutions = windows;
  world.complete('acceptance', 'approve');
  world.complete('review.traffic-police', 'approve');
  return world;
}

describe('routing a named signer’s task while they are away (代理)', () => {
  it('inside the window: the task opens claimed by the substitute, for the signer, who keeps the seat; the opening command’s audit names both', () => {
    const world = beforeSignOff([substitution(DEPUTY_A, SUBSTITUTE, MONDAY_MORNING)]);
    world.complete('review.municipal-roads', 'approve');
    const task = world.openTask(signOffOf(DEPUTY_A));
    expect([task.status, task.assigneeId, task.signerId, task.substitutedFor]).toEqual(['claimed', SUBSTITUTE, DEPUTY_A, DEPUTY_A]);
    expect(world.openTask(signOffOf(DEPUTY_B))).toMatchObject({ assigneeId: DEPUTY_B, substitutedFor: null });
    expect(world.audit.at(-1)?.data['openedForSubstitutes']).toEqual([{ taskId: task.id, task: signOffOf(DEPUTY_A), signer: DEPUTY_A, substitute: SUBSTITUTE }]);

    // The substitute signs; the seat counted is the signer's, and the completion says for whom.
    world.complete(signOffOf(DEPUTY_A), 'approve', { by: actor('urban-management', 'lead', SUBSTITUTE) });
    expect(world.case.status).toBe('approved');
    expect(world.context.countersigns?.['signOff']?.signers.find((s) => s.person === DEPUTY_A)?.vote).toBe('approve');
    expect(world.audit.find((e) => e.type === 'task.approved' && e.data['task'] === signOffOf(DEPUTY_A))?.data).toMatchObject({ substitutedFor: DEPUTY_A });
  });

  it.each([
    ['no window', []],
    ['a window not begun', [substitution(DEPUTY_A, SUBSTITUTE, new Date(MONDAY_MORNING.getTime() + HOUR))]],
    ['a window ended', [substitution(DEPUTY_A, SUBSTITUTE, new Date(MONDAY_MORNING.getTime() - 3 * HOUR), { hours: 2 })]],
    ['a cancelled window', [substitution(DEPUTY_A, SUBSTITUTE, MONDAY_MORNING, { cancelled: true })]],
    ['a substitute whose roles do not handle decisions', [substitution(DEPUTY_A, 'urban-management.handler', MONDAY_MORNING, { roles: ['handler'] })]],
    ['a substitute of another department', [substitution(DEPUTY_A, 'water.lead', MONDAY_MORNING, { department: 'water' })]],
    ['someone else’s window', [substitution(DEPUTY_B, SUBSTITUTE, MONDAY_MORNING)]],
    ['a substitute who signs the same step in their own right (one person, one seat)', [substitution(DEPUTY_A, DEPUTY_B, MONDAY_MORNING)]],
  ])('%s: the task opens for the signer, and the audit names no substitute for them', (_, windows) => {
    const world = beforeSignOff(windows);
    world.complete('review.municipal-roads', 'approve');
    expect(world.openTask(signOffOf(DEPUTY_A))).toMatchObject({ assigneeId: DEPUTY_A, substitutedFor: null });
    expect(world.audit.at(-1)?.data['openedForSubstitutes'] ?? []).not.toContainEqual(expect.objectContaining({ signer: DEPUTY_A }));
  });

  it('a step kept from substitutes (`substitutable: false`) opens for its signers in person, window or not', () => {
    const world = CaseWorld.start(IN_PERSON, { serviceItem: IN_PERSON_ITEM });
    world.substitutions = [substitution(DEPUTY_A, SUBSTITUTE, MONDAY_MORNING)];
    world.complete('decision', 'approve');
    expect(world.openTask(signOffOf(DEPUTY_A))).toMatchObject({ assigneeId: DEPUTY_A, substitutedFor: null });
  });

  it('asks for substitutions only when a decision opens a named signer’s task', () => {
    const world = beforeSignOff([]);
    expect(signersOpened(world.decide({ type: 'task.claim', actor: actor('municipal-roads', 'handler'), taskId: world.openTask('review.municipal-roads').id }).commit?.effects ?? [])).toEqual([]);
    const last = world.decide({ type: 'task.complete', actor: actor('municipal-roads', 'handler'), taskId: world.openTask('review.municipal-roads').id, outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } });
    expect(signersOpened(last.commit?.effects ?? [])).toEqual([DEPUTY_A, DEPUTY_B]);
  });
});

describe('steps kept from substitutes in the definition', () => {
  it('knows a personal task by its key, and a personal countersign step by its signers’ keys', () => {
    expect(isPersonalTask(IN_PERSON, 'decision')).toBe(true);
    expect(isPersonalTask(IN_PERSON, signOffOf(DEPUTY_A))).toBe(true);
    expect(isPersonalTask(roadOccupation, signOffOf(DEPUTY_A))).toBe(false);
    expect(isPersonalTask(roadOccupation, 'review.traffic-police')).toBe(false);
  });

  it('publishing refuses `substitutable: true`: a step is substitutable unless it says false', () => {
    const said = JSON.parse(JSON.stringify({ ...IN_PERSON, key: 'said-true', machine: { ...IN_PERSON.machine, id: 'said-true' } }).replace('"substitutable":false', '"substitutable":true'));
    expect(() => compileDefinition(said)).toThrow(DefinitionInvalidError);
    expect(() => compileDefinition({ ...IN_PERSON, key: 'said-false', machine: { ...IN_PERSON.machine, id: 'said-false' } })).not.toThrow();
  });
});
