import { describe, expect, it } from 'vitest';
import { WINDOW_CLERK, actor } from '../../test/unit/support/actors.js';
import { CaseWorld, serviceItemOf } from '../../test/unit/support/case-world.js';
import { expectRefused } from '../../test/unit/support/refusals.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import type { Actor } from '../access/actor.js';
import { SupplementNotOnceError, SupplementRequestInvalidError } from '../errors.js';
import { availableMoves } from './available-moves.js';
import { caseRefOf } from './decide-command.js';
import type { SupplementRequestInput } from './supplement-request.js';

/**
 * 一次性告知 (行政许可法 art. 32): a return to the applicant names every material to supplement at once; a later request
 * names only what an earlier one named, or what the applicant changed since.
 */

const [FORM, PLANNING_PERMIT, CONTRACT] = serviceItemOf(constructionPermit).materials.map((m) => m.name) as [string, string, string];
const asked = (...names: string[]): SupplementRequestInput => ({ materials: names.map((name) => ({ name, reason: `${name}: 未盖章 not sealed` })) });

/** The window returns the construction permit's acceptance to the applicant, asking for `request`. */
const returnToApplicant = (world: CaseWorld, request: SupplementRequestInput | null) =>
  world.complete('acceptance', 'return', { by: WINDOW_CLERK, text: '材料不全 Materials incomplete', supplementRequest: request });

/** The applicant's supplement of these materials, through the window. */
const supplement = (world: CaseWorld, ...names: string[]) =>
  world.execute({ type: 'supplement.submit', actor: WINDOW_CLERK, caseId: world.case.id, materials: names.map((name) => ({ name, sha256: 'd'.repeat(64), sizeBytes: 10 })) });

/** A construction permit asked once for the form, and supplemented with `names`; back at the acceptance. */
function askedOnceThenSupplemented(...names: string[]): CaseWorld {
  const world = CaseWorld.start(constructionPermit);
  returnToApplicant(world, asked(FORM));
  world.clock.advance({ hours: 1 });
  supplement(world, ...names);
  return world;
}

describe('a return to the applicant asks for a supplement (补正告知)', () => {
  it('the first request is written with its materials; the applicant is told the list; the audit names it', () => {
    const world = CaseWorld.start(constructionPermit);
    const request = asked(FORM, CONTRACT);
    const { commit } = world.decide({ type: 'task.complete', actor: WINDOW_CLERK, taskId: world.openTask('acceptance').id, outcome: 'return', opinion: { text: '材料不全', visibility: 'public' }, supplementRequest: request });
    const written = commit?.effects.find((e) => e.type === 'supplement.request');
    expect(written).toEqual({
      type: 'supplement.request',
      request: { id: expect.any(String), caseId: world.case.id, taskId: world.openTask('acceptance').id, materials: request.materials, requestedBy: 'window.clerk', requestedAt: world.clock.now() },
    });
    expect(commit?.effects).toContainEqual({
      type: 'notification.send',
      notification: expect.objectContaining({ audience: { applicant: true }, template: 'supplement.requested', data: expect.objectContaining({ materials: request.materials }) }),
    });
    const id = written?.type === 'supplement.request' ? written.request.id : '';
    expect(commit?.audits.at(-1)?.data).toMatchObject({ outcome: 'return', supplementRequest: { id, materials: [FORM, CONTRACT] } });

    world.apply(commit!);
    expect(world.supplementRequests).toEqual([expect.objectContaining({ id, materials: request.materials, answeredAt: null })]);
    expect(world.case.stateLabel).toBe('supplement');
  });

  it('only a return reads the case file: an approval locks the task alone (the hot path)', () => {
    const world = CaseWorld.start(constructionPermit);
    const taskId = world.openTask('acceptance').id;
    const opinion = { text: '同意', visibility: 'internal' } as const;
    expect(caseRefOf({ type: 'task.complete', actor: WINDOW_CLERK, taskId, outcome: 'approve', opinion })).toEqual({ taskId });
    expect(caseRefOf({ type: 'task.complete', actor: WINDOW_CLERK, taskId, outcome: 'return', opinion })).toEqual({ taskId, caseFile: true });
  });

  const invalid: [string, SupplementRequestInput | null, string][] = [
    ['no request', null, 'supplementRequest'],
    ['no material', { materials: [] }, 'supplementRequest.materials'],
    ['a material the item does not list', asked(FORM, '营业执照复印件 Not on the list'), 'supplementRequest.materials.1.name'],
    ['a material twice', asked(CONTRACT, CONTRACT), 'supplementRequest.materials.1.name'],
    ['a material without a reason', { materials: [{ name: FORM, reason: '  ' }] }, 'supplementRequest.materials.0.reason'],
  ];
  it.each(invalid)('refused with %s (422), nothing written', (_, request, path) => {
    const world = CaseWorld.start(constructionPermit);
    expectRefused(world, () => returnToApplicant(world, request), SupplementRequestInvalidError);
    try {
      returnToApplicant(world, request);
    } catch (error) {
      expect((error as SupplementRequestInvalidError).path.join('.')).toBe(path);
    }
  });

  it('a completion that does not go to the applicant carries no request: an approval, a return elsewhere (422)', () => {
    const world = CaseWorld.start(constructionPermit);
    expectRefused(world, () => world.complete('acceptance', 'approve', { supplementRequest: asked(FORM) }), SupplementRequestInvalidError);
    world.complete('acceptance', 'approve');
    // The fire review returns to the lead department's correction, not to the applicant.
    expectRefused(world, () => world.complete('review.fire', 'return', { supplementRequest: asked(FORM) }), SupplementRequestInvalidError);
    expect(world.complete('review.fire', 'return').changed).toBe(true);
    expect(world.supplementRequests).toEqual([]);
  });

  it('a review whose fixed return goes to the applicant asks too (food business licence: the document review)', () => {
    const world = CaseWorld.start(foodBusinessLicence);
    world.complete('acceptance', 'approve');
    const [, floorPlan] = serviceItemOf(foodBusinessLicence).materials.map((m) => m.name);
    expectRefused(world, () => world.complete('documentReview', 'return', { supplementRequest: null }), SupplementRequestInvalidError);
    world.complete('documentReview', 'return', { supplementRequest: asked(floorPlan ?? '') });
    expect(world.supplementRequests.map((r) => r.materials.map((m) => m.name))).toEqual([[floorPlan]]);
  });
});

describe('the supplement answers the request', () => {
  it('marks the awaited request answered in the same commit, and the audit names it', () => {
    const world = CaseWorld.start(constructionPermit);
    returnToApplicant(world, asked(FORM, CONTRACT));
    const [request] = world.supplementRequests;
    world.clock.advance({ hours: 2 });
    supplement(world, FORM, CONTRACT);
    expect(world.supplementRequests).toEqual([expect.objectContaining({ id: request?.id, answeredAt: world.clock.now() })]);
    expect(world.audit.at(-1)).toMatchObject({ type: 'supplement.submitted', data: { materials: [FORM, CONTRACT], answered: [request?.id] } });
  });

  it('a partial supplement is accepted too: the window may ask again for what is still missing', () => {
    const world = CaseWorld.start(constructionPermit);
    returnToApplicant(world, asked(FORM, CONTRACT));
    supplement(world, FORM);
    expect(world.supplementRequests[0]?.answeredAt).not.toBeNull();
    expect(returnToApplicant(world, asked(CONTRACT)).changed).toBe(true);
    expect(world.supplementRequests.map((r) => r.answeredAt === null)).toEqual([false, true]);
  });
});

describe('a later request names only what was named before or changed since (一次性告知)', () => {
  it('a material not named the first time and not changed since is refused (409), naming it; nothing written', () => {
    const world = askedOnceThenSupplemented(FORM);
    expectRefused(world, () => returnToApplicant(world, asked(FORM, CONTRACT, PLANNING_PERMIT)), SupplementNotOnceError);
    try {
      returnToApplicant(world, asked(FORM, CONTRACT, PLANNING_PERMIT));
    } catch (error) {
      expect((error as SupplementNotOnceError).materials).toEqual([CONTRACT, PLANNING_PERMIT]);
    }
  });

  it('a material named before may be named again, changed or not', () => {
    const world = askedOnceThenSupplemented(CONTRACT);
    expect(returnToApplicant(world, asked(FORM)).changed).toBe(true);
  });

  it('a material the applicant handed in again after the first request may be named: it changed', () => {
    const world = askedOnceThenSupplemented(FORM, CONTRACT);
    expect(returnToApplicant(world, asked(CONTRACT)).changed).toBe(true);
    expect(world.supplementRequests.map((r) => r.materials.map((m) => m.name))).toEqual([[FORM], [CONTRACT]]);
  });

  it('the third request counts every earlier one: what the second named may be named again', () => {
    const world = askedOnceThenSupplemented(FORM, CONTRACT);
    returnToApplicant(world, asked(CONTRACT));
    supplement(world, FORM);
    expect(returnToApplicant(world, asked(FORM, CONTRACT)).changed).toBe(true);
    expect(world.supplementRequests).toHaveLength(3);
  });

  it('a return taken back (撤回) before the applicant answered still counts: the applicant was told', () => {
    const world = askedOnceThenSupplemented(FORM);
    returnToApplicant(world, asked(FORM));
    world.withdraw('acceptance', WINDOW_CLERK);
    expectRefused(world, () => returnToApplicant(world, asked(PLANNING_PERMIT)), SupplementNotOnceError);
    expect(returnToApplicant(world, asked(FORM)).changed).toBe(true);
  });
});

describe('the return offered with the materials a request may name', () => {
  const movesOf = (world: CaseWorld, by: Actor) =>
    availableMoves(by, { case: world.case, openTasks: world.openTasks(), caseFile: world.caseFile() }, { definition: world.definition, calendar: world.calendar, now: world.clock.now(), serviceItem: serviceItemOf(constructionPermit) });
  const completion = (world: CaseWorld) => movesOf(world, WINDOW_CLERK).find((m) => m.type === 'task.complete');

  it('at the first request: every material of the item, each askable; the target says it asks for a supplement', () => {
    const world = CaseWorld.start(constructionPermit);
    expect(completion(world)).toMatchObject({
      outcomes: ['approve', 'reject', 'return'],
      returnTargets: [{ to: 'applicant', asksSupplement: true }],
      supplementMaterials: serviceItemOf(constructionPermit).materials.map((m) => ({ name: m.name, askable: true })),
    });
  });

  it('later: what was named or changed is askable, the rest is not', () => {
    const world = askedOnceThenSupplemented(FORM, CONTRACT);
    const askable = (completion(world)?.type === 'task.complete' && completion(world)) || null;
    expect(askable && Object.fromEntries(askable.supplementMaterials.map((m) => [m.name, m.askable]))).toMatchObject({ [FORM]: true, [CONTRACT]: true, [PLANNING_PERMIT]: false });
  });

  it('a return elsewhere asks for nothing: no materials offered', () => {
    const world = CaseWorld.start(constructionPermit);
    world.complete('acceptance', 'approve');
    expect(movesOf(world, actor('fire', 'handler')).find((m) => m.type === 'task.complete')).toMatchObject({ supplementMaterials: [], returnTargets: [expect.objectContaining({ asksSupplement: false }), expect.objectContaining({ asksSupplement: false })] });
  });
});
