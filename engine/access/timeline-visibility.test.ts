import { describe, expect, it } from 'vitest';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld } from '../../test/unit/support/case-world.js';
import { CONSTRUCTION_PERMIT_MATERIALS, constructionPermit } from '../../workflows/construction-permit.js';
import type { Actor } from './actor.js';
import { materialNeeds, type MaterialNeeds } from './material-visibility.js';
import { outcomeFacts, taskOutcomeVisibleTo, type OutcomeFacts } from './opinion-visibility.js';
import { visibleTimeline, WITHHELD_COMPLETION, type TimelineEvent } from './timeline-visibility.js';

/** A construction permit in joint review where fire has rejected (with an internal opinion). */
function fireRejected(): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  world.complete('review.fire', 'reject', { text: '消防车道宽度不足 Fire lane too narrow' });
  return world;
}

/** The outcome tests' viewers see every material: the sandbox's application form is none the definition's tasks name. */
const EVERY_MATERIAL: ReadonlyMap<string, MaterialNeeds> = new Map(['housing', 'window', 'fire', 'water'].map((d) => [d, 'all']));
const factsOf = (world: CaseWorld) => outcomeFacts(world.case, [...world.tasks.values()], world.opinions);
const timelineFor = (viewer: Actor, world: CaseWorld) => visibleTimeline(viewer, world.audit, factsOf(world), EVERY_MATERIAL);
const fireReview = (world: CaseWorld) => [...world.tasks.values()].find((t) => t.key === 'review.fire');

const WATER = actor('water', 'handler');
const FIRE = actor('fire', 'handler');
const LEAD = actor('housing', 'lead');
const SUPERVISOR = actor('supervision', 'supervisor');

describe('the timeline before the joint decision', () => {
  it('tells another member department that fire completed its review, not how: type, outcome and state withheld', () => {
    const world = fireRejected();
    const rejection = world.audit.at(-1);
    expect(rejection).toMatchObject({ type: 'task.rejected', data: { outcome: 'reject', state: 'jointReview' } });
    const seen = timelineFor(WATER, world);
    expect(seen.map((e) => e.seq)).toEqual(world.audit.map((e) => e.seq));
    expect(seen.at(-1)).toEqual({
      seq: rejection?.seq,
      type: WITHHELD_COMPLETION,
      actorId: 'fire.handler',
      actingFor: 'fire',
      occurredAt: rejection?.occurredAt,
      data: { taskId: fireReview(world)?.id, task: 'review.fire' },
      hash: null,
      outcomeWithheld: true,
    });
    expect(JSON.stringify(seen)).not.toMatch(/reject/);
    expect(taskOutcomeVisibleTo(WATER, fireReview(world)?.id ?? '', factsOf(world))).toBe(false);
  });

  it.each([
    ['the department itself', FIRE],
    ['the lead department', LEAD],
    ['a supervisor', SUPERVISOR],
  ])('shows the outcome to %s, who may read the opinion', (_, viewer) => {
    const world = fireRejected();
    const seen = timelineFor(viewer, world);
    expect(seen.at(-1)).toMatchObject({ type: 'task.rejected', data: { outcome: 'reject' } });
    expect(seen.find((e) => e.data['task'] === 'review.fire')?.outcomeWithheld).toBe(false);
  });

  it('withholds the hashes from the first withheld event on, since they would let the outcome be guessed', () => {
    const world = fireRejected();
    world.claim('review.water');
    const seen = timelineFor(WATER, world);
    // The window's acceptance, with its internal opinion, is the first outcome water may not learn.
    const withheldAt = seen.findIndex((e) => e.outcomeWithheld);
    expect(seen[withheldAt]?.data['task']).toBe('acceptance');
    expect(seen.slice(0, withheldAt).map((e) => e.hash)).toEqual(world.audit.slice(0, withheldAt).map((e) => e.hash));
    expect(seen.slice(withheldAt).map((e) => e.hash)).toEqual(seen.slice(withheldAt).map(() => null));
    expect(timelineFor(LEAD, world).map((e) => e.hash)).toEqual(world.audit.map((e) => e.hash));
    expect(seen.at(-1)).toMatchObject({ type: 'task.claimed', actorId: 'water.handler' });
    expect(seen.every((e) => !('prevHash' in e))).toBe(true);
  });

  it('shows the outcome of a public opinion to every department', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    const review = world.openTask('review.fire');
    world.execute({ type: 'task.complete', actor: FIRE, taskId: review.id, outcome: 'return', opinion: { text: '补充说明', visibility: 'public' } });
    expect(timelineFor(WATER, world).at(-1)).toMatchObject({ type: 'task.returned', data: { outcome: 'return' } });
  });
});

describe('the timeline after the joint decision', () => {
  it('tells every department every outcome', () => {
    const world = fireRejected();
    for (const d of ['planning', 'ecology', 'civil-air-defence', 'water']) world.complete(`review.${d}`, 'approve');
    expect(timelineFor(WATER, world).filter((e) => e.outcomeWithheld).map((e) => e.data['task'])).toEqual(['acceptance', 'review.fire', 'review.planning', 'review.ecology', 'review.civil-air-defence']);
    world.complete('refusal', 'approve');
    const seen = timelineFor(WATER, world);
    expect(seen.filter((e) => e.outcomeWithheld)).toEqual([]);
    expect(seen.map((e) => e.hash)).toEqual(world.audit.map((e) => e.hash));
    expect(seen.map((e) => e.type)).toContain('task.rejected');
  });
});

describe('supervision events in the timeline', () => {
  it('a personal-data read and its reason are read by supervisors only; an urge stays visible to the departments', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    const reason = '督办核查：核实消防部门办理超时投诉 Checking a complaint about the fire department';
    world.execute({ type: 'personal-data.read', actor: SUPERVISOR, caseId: world.case.id, reason });
    world.execute({ type: 'task.urge', actor: SUPERVISOR, taskId: world.openTask('review.fire').id, message: '请尽快办理' });

    const bySupervisor = timelineFor(SUPERVISOR, world);
    expect(bySupervisor.find((e) => e.type === 'personal-data.read')).toMatchObject({ actorId: SUPERVISOR.userId, data: { reason } });
    for (const viewer of [FIRE, LEAD, WATER, actor('window', 'intake_clerk'), actor('fire', 'department_system')]) {
      const seen = timelineFor(viewer, world);
      expect(seen.map((e) => e.type)).not.toContain('personal-data.read');
      expect(JSON.stringify(seen)).not.toContain('督办核查');
      expect(seen.at(-1)).toMatchObject({ type: 'task.urged', data: { message: '请尽快办理' }, hash: null });
    }
  });
});

describe('materials named in the timeline', () => {
  const { form, planningPermit, contract, drawings } = CONSTRUCTION_PERMIT_MATERIALS;
  const needs = materialNeeds(constructionPermit, { leadDepartment: 'housing', intakeDepartment: 'window' });
  const AT = new Date('2026-11-30T01:00:00Z');
  const event = (seq: number, type: string, data: Record<string, unknown>): TimelineEvent => ({ seq, type, actorId: 'window.clerk', actingFor: 'window', occurredAt: AT, data, hash: `h${seq}` });
  const events = [
    event(0, 'case.started', { materials: [form, planningPermit, drawings], reusedLicences: [{ material: planningPermit, licence: 'JZ-2026-1' }], state: 'acceptance' }),
    event(1, 'task.returned', { taskId: 'acceptance-1', task: 'acceptance', outcome: 'return', supplementRequest: { id: 'request-1', materials: [contract] } }),
    event(2, 'supplement.submitted', { materials: [contract, drawings], answered: ['request-1'] }),
    event(3, 'material.read', { materialId: 'drawings-2', name: drawings, version: 2 }),
    event(4, 'material.read', { materialId: 'contract-2', name: contract, version: 2 }),
  ];
  // The window's return is a public opinion: its outcome is every department's to read.
  const facts: OutcomeFacts = { leadDepartment: 'housing', jointDecisionMade: false, opinions: [{ taskId: 'acceptance-1', departmentCode: 'window', visibility: 'public' }] };
  const timelineOf = (viewer: Actor) => visibleTimeline(viewer, events, facts, needs);

  it('a department reads only the materials its review needs: lists keep those, the download of another is withheld', () => {
    const seen = timelineOf(FIRE);
    expect(seen.map((e) => [e.seq, e.data])).toEqual([
      [0, { materials: [form, drawings], reusedLicences: [], state: 'acceptance' }],
      [1, { taskId: 'acceptance-1', task: 'acceptance', outcome: 'return', supplementRequest: { id: 'request-1', materials: [] } }],
      [2, { materials: [drawings], answered: ['request-1'] }],
      [3, { materialId: 'drawings-2', name: drawings, version: 2 }],
    ]);
    expect(JSON.stringify(seen)).not.toContain(contract);
    expect(JSON.stringify(seen)).not.toContain(planningPermit);
    expect(seen.every((e) => !e.outcomeWithheld)).toBe(true);
  });

  it('withholds the hashes from the first event a material was left out of on', () => {
    // Planning sees the planning permit, not the contract, which the return names.
    expect(timelineOf(actor('planning', 'handler')).map((e) => e.hash)).toEqual(['h0', null, null, null]);
    expect(timelineOf(FIRE).map((e) => e.hash)).toEqual([null, null, null, null]);
  });

  it('a copy’s recipient (抄送), given no task, reads no material’s name; the lead, the window and supervisors read every one', () => {
    const copied = timelineOf(actor('market', 'handler'));
    expect(copied.map((e) => e.type)).toEqual(['case.started', 'task.returned', 'supplement.submitted']);
    for (const name of [form, planningPermit, contract, drawings]) expect(JSON.stringify(copied)).not.toContain(name);
    for (const viewer of [LEAD, actor('window', 'intake_clerk'), SUPERVISOR]) {
      expect(timelineOf(viewer), viewer.userId).toEqual(events.map((e) => ({ ...e, outcomeWithheld: false })));
    }
  });
});
