import { describe, expect, it } from 'vitest';
import { ROAD_V1_TO_V2, roadOccupationV2 } from '../../test/support/road-occupation-v2.js';
import { actor } from '../../test/unit/support/actors.js';
import { CaseWorld, compiledDefinition } from '../../test/unit/support/case-world.js';
import { eiaApproval } from '../../workflows/eia-approval.js';
import { roadOccupation } from '../../workflows/road-occupation.js';
import { restoreSnapshot, stepMachine } from '../case-snapshot.js';
import { mappingProblems, type StateMapping } from '../definitions/state-mapping.js';
import {
  CaseClosedError,
  CaseNotOnDefinitionError,
  CaseVersionConflictError,
  MigrationTargetsConflictError,
  MigrationUnmappedStateError,
  PermissionDeniedError,
} from '../errors.js';
import { decideMigration, type MigrateCase } from './migrate-case.js';

const DESIGNER = actor('city', 'designer', 'designer');
const SUPERVISOR = actor('supervision', 'supervisor', 'supervisor');
const v1 = compiledDefinition(roadOccupation);
const v2 = compiledDefinition(roadOccupationV2);

const migration = (world: CaseWorld, change: Partial<MigrateCase> = {}): MigrateCase => ({
  type: 'case.migrate',
  actor: DESIGNER,
  caseId: world.case.id,
  definitionKey: 'road-occupation',
  fromVersion: 1,
  toVersion: 2,
  mapping: ROAD_V1_TO_V2,
  ...change,
});

const decide = (world: CaseWorld, command: MigrateCase = migration(world)) =>
  decideMigration(world.lock({ caseId: world.case.id, pendingTimers: true }), command, { definition: v1, target: v2, calendar: world.calendar, now: world.clock.now() });

/** A v1 road occupation in joint review, traffic police's review claimed, the road office's approved. */
function inJointReview(): CaseWorld {
  const world = CaseWorld.start(roadOccupation);
  world.complete('acceptance', 'approve');
  world.claim('review.traffic-police');
  world.complete('review.municipal-roads', 'approve');
  return world;
}

describe('migrating a running case to v2 (流程版本迁移)', () => {
  it('keeps the open review as it is, opens the new member’s, and moves the case to v2 with one case.migrated event', () => {
    const world = inJointReview();
    const traffic = world.openTask('review.traffic-police');
    const legal = world.case.clocks.find((c) => c.id === 'legal');
    const { commit, result } = decide(world);
    expect(result.plan).toEqual({
      caseId: world.case.id,
      fromState: 'jointReview',
      toState: 'jointReview',
      mapping: {
        'road-occupation.jointReview.traffic-police.reviewing': 'road-occupation.jointReview.traffic-police.reviewing',
        'road-occupation.jointReview.municipal-roads.approved': 'road-occupation.jointReview.municipal-roads.approved',
      },
      tasks: {
        kept: [{ key: 'review.traffic-police', departmentCode: 'traffic-police', title: traffic.title }],
        opened: [{ key: 'review.water', departmentCode: 'water', title: '排水设施审查 Drainage review' }],
        cancelled: [],
      },
      clocks: { started: ['task:review.water'], stopped: [] },
    });
    expect(commit?.next).toMatchObject({ definitionVersion: 2, version: world.case.version + 1 });
    expect(commit?.audits).toEqual([
      expect.objectContaining({
        type: 'case.migrated',
        actorId: 'designer',
        data: expect.objectContaining({ definitionKey: 'road-occupation', fromVersion: 1, toVersion: 2, tasks: { kept: [traffic.id], opened: [expect.any(String)] } }),
      }),
    ]);
    world.apply(commit!);
    expect(world.case.definitionVersion).toBe(2);
    expect(world.openTask('review.traffic-police')).toEqual(traffic);
    expect(world.openTask('review.water').departmentCode).toBe('water');
    expect(world.pendingTimers().filter((t) => t.kind === 'task.deadline').map((t) => t.taskId)).toContain(world.openTask('review.water').id);
    expect(world.case.clocks.find((c) => c.id === 'legal')).toEqual(legal);
    // The stored snapshot runs on v2: the last review approved, the water office's too, the case goes to the lead's sign-off.
    const afterTraffic = stepMachine(v2, world.case.snapshot, { type: 'task.approved', task: 'review.traffic-police', department: 'traffic-police' });
    const afterWater = stepMachine(v2, afterTraffic.snapshot, { type: 'task.approved', task: 'review.water', department: 'water' });
    expect(afterWater.stateLabel).toBe('leadSignOff');
  });

  it('cancels the deputies’ or-sign tasks and opens the lead’s sign-off', () => {
    const world = inJointReview();
    world.complete('review.traffic-police', 'approve');
    const deputies = world.openTasks();
    expect(deputies.map((t) => t.key)).toHaveLength(2);
    const { commit, result } = decide(world);
    expect(result.plan.tasks).toEqual({
      kept: [],
      opened: [{ key: 'leadSignOff', departmentCode: 'urban-management', title: '城管局负责人签发 Sign-off by urban management' }],
      cancelled: deputies.map((t) => ({ key: t.key, departmentCode: t.departmentCode, title: t.title })),
    });
    expect([...result.plan.clocks.stopped].sort()).toEqual(deputies.map((t) => `task:${t.key}`).sort());
    world.apply(commit!);
    expect(world.openTasks().map((t) => t.key)).toEqual(['leadSignOff']);
    expect(world.case.stateLabel).toBe('leadSignOff');
    expect(world.pendingTimers().filter((t) => t.taskId !== null).map((t) => t.taskId)).not.toContain(deputies[0]?.id);
  });

  it('moves a suspended case (中止), which stays suspended: the new review’s clock waits, paused, for its resumption', () => {
    const world = inJointReview();
    world.execute({ type: 'case.suspend', actor: SUPERVISOR, caseId: world.case.id, reason: '诉讼 a lawsuit', legalBasis: '行政许可法' });
    const { commit, result } = decide(world);
    expect(result).toMatchObject({ status: 'suspended', plan: { tasks: { opened: [expect.objectContaining({ key: 'review.water' })] }, clocks: { started: [] } } });
    world.apply(commit!);
    expect(world.readClock('task:review.water')?.state).toBe('paused');
    expect(world.pendingTimers().map((t) => t.taskId)).not.toContain(world.openTask('review.water').id);
    world.execute({ type: 'case.resume', actor: SUPERVISOR, caseId: world.case.id, reason: '诉讼已审结 settled' });
    expect(world.readClock('task:review.water')?.state).toBe('running');
  });

  it('refuses a case in a state the mapping leaves out, and changes nothing', () => {
    const world = CaseWorld.start(roadOccupation);
    const before = world.written();
    expect(() => decide(world)).toThrow(new MigrationUnmappedStateError(world.case.id, 'road-occupation.acceptance'));
    expect(world.written()).toEqual(before);
  });

  it.each([
    ['a stale expected version', (w: CaseWorld) => migration(w, { expectedVersion: w.case.version - 1 }), CaseVersionConflictError],
    ['a case on another version than the source', (w: CaseWorld) => migration(w, { fromVersion: 2, toVersion: 3 }), CaseNotOnDefinitionError],
    ['a handler', (w: CaseWorld) => migration(w, { actor: actor('traffic-police', 'lead') }), PermissionDeniedError],
  ])('refuses %s', (_, command, error) => {
    const world = inJointReview();
    expect(() => decide(world, command(world))).toThrow(error);
  });

  it('refuses a closed case', () => {
    const world = CaseWorld.start(roadOccupation);
    world.complete('acceptance', 'reject', { text: '材料不全 incomplete' });
    expect(() => decide(world)).toThrow(CaseClosedError);
  });

  it('refuses a mapping that would put the case in two states of one region', () => {
    const world = inJointReview();
    const clash: StateMapping = {
      'road-occupation.jointReview.traffic-police.reviewing': 'road-occupation.jointReview.traffic-police.reviewing',
      'road-occupation.jointReview.municipal-roads.approved': 'road-occupation.jointReview.traffic-police.approved',
    };
    expect(() => decide(world, migration(world, { mapping: clash }))).toThrow(MigrationTargetsConflictError);
  });
});

describe('a countersign under way (票签)', () => {
  const eiaV2 = compiledDefinition({ ...eiaApproval, version: 2 });
  const stay: StateMapping = { 'eia-approval.expertPanel': 'eia-approval.expertPanel' };

  it('keeps its votes and its open tasks: no expert who voted is asked again, and the vote goes on in v2', () => {
    const world = CaseWorld.start(eiaApproval);
    world.complete('acceptance', 'approve');
    world.complete('technicalReview', 'approve');
    const experts = world.openTasks().map((t) => t.key);
    expect(experts).toHaveLength(5);
    for (const key of experts.slice(0, 2)) world.complete(key, 'approve');
    const command = { ...migration(world), definitionKey: 'eia-approval', mapping: stay };
    const { commit, result } = decideMigration(world.lock({ caseId: world.case.id, pendingTimers: true }), command, {
      definition: compiledDefinition(eiaApproval),
      target: eiaV2,
      calendar: world.calendar,
      now: world.clock.now(),
    });
    expect(result.plan.tasks.kept.map((t) => t.key)).toEqual(experts.slice(2));
    expect(result.plan.tasks.opened).toEqual([]);
    expect(result.plan.tasks.cancelled).toEqual([]);
    world.apply(commit!);
    const votes = restoreSnapshot(eiaV2, world.case.snapshot).context.countersigns?.['expertPanel']?.signers.map((s: { vote: string | null }) => s.vote);
    expect(votes).toEqual(['approve', 'approve', null, null, null]);
    const third = stepMachine(eiaV2, world.case.snapshot, { type: 'task.approved', task: experts[2]!, department: 'expert-panel' });
    const fourth = stepMachine(eiaV2, third.snapshot, { type: 'task.approved', task: experts[3]!, department: 'expert-panel' });
    expect(fourth.stateLabel).toBe('decision');
  });
});

describe('the mapping itself', () => {
  it('names every entry that cannot apply to any case', () => {
    expect(
      mappingProblems(v1, v2, {
        ...ROAD_V1_TO_V2,
        'road-occupation.nowhere': 'road-occupation.leadSignOff',
        'road-occupation.acceptance': 'road-occupation.signOff',
        'road-occupation.jointReviewDispute': 'road-occupation.refused',
      }),
    ).toEqual([
      { path: 'mapping.road-occupation.nowhere', problem: 'road-occupation.nowhere is not a state of road-occupation v1' },
      { path: 'mapping.road-occupation.acceptance', problem: 'road-occupation.signOff is not a state of road-occupation v2' },
      { path: 'mapping.road-occupation.jointReviewDispute', problem: 'road-occupation.refused is a final state: a migration does not decide a case' },
    ]);
    expect(mappingProblems(v1, v2, ROAD_V1_TO_V2)).toEqual([]);
    expect(mappingProblems(v1, v2, {})).toEqual([{ path: 'mapping', problem: 'maps no state' }]);
  });
});
