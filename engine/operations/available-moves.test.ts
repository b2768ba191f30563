import { describe, expect, it } from 'vitest';
import { WINDOW_CLERK, actor } from '../../test/unit/support/actors.js';
import { CaseWorld, serviceItemOf } from '../../test/unit/support/case-world.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { foodBusinessLicence } from '../../workflows/food-business-licence.js';
import { ROAD_OCCUPATION_DEPUTIES, roadOccupation } from '../../workflows/road-occupation.js';
import { SIGNER_POSITIONS } from '../definitions/signer-changes.js';
import type { Actor } from '../access/actor.js';
import { isNoticeClock } from '../case-clocks.js';
import { TASK_OUTCOMES } from '../definitions/case-machine.js';
import { EngineError, SupplementRequestInvalidError } from '../errors.js';
import { departmentCode, userId } from '../ids.js';
import { availableMoves, type Move } from './available-moves.js';
import type { CaseCommand } from './decide-command.js';
import { SPECIAL_PROCEDURES } from './start-special-procedure.js';

/**
 * The moves offered are exactly the commands the engine accepts: for each case state and person below, every
 * command one could send (this file's own list, not the module's) is executed on a fresh copy of the case —
 * an offered one succeeds and changes the case, a withheld one is refused or changes nothing.
 */

const SUPERVISOR = actor('supervision', 'supervisor', 'supervisor');
const DEPUTY_A = actor('urban-management', 'lead', ROAD_OCCUPATION_DEPUTIES[0]);
const FIRE_HANDLER = actor('fire', 'handler');
const ANOTHER_FIRE_HANDLER = actor('fire', 'handler', 'fire.handler2');

const inJointReview = () => {
  const world = CaseWorld.start(constructionPermit);
  world.complete('acceptance', 'approve');
  return world;
};

const STATES: Readonly<Record<string, { build: () => CaseWorld; people: readonly Actor[] }>> = {
  'at the window': { build: () => CaseWorld.start(constructionPermit), people: [WINDOW_CLERK, actor('housing', 'lead'), FIRE_HANDLER, SUPERVISOR] },
  'in joint review': {
    build: inJointReview,
    people: [FIRE_HANDLER, actor('fire', 'lead'), actor('housing', 'lead'), actor('housing', 'handler'), actor('ecology', 'handler'), SUPERVISOR, WINDOW_CLERK],
  },
  'with the fire review claimed': {
    build: () => {
      const world = inJointReview();
      world.claim('review.fire', FIRE_HANDLER);
      return world;
    },
    people: [FIRE_HANDLER, ANOTHER_FIRE_HANDLER, actor('fire', 'lead')],
  },
  'with the fire review delegated (委派) by its holder': {
    build: () => {
      const world = inJointReview();
      world.claim('review.fire', FIRE_HANDLER);
      world.execute({ type: 'task.delegate', actor: FIRE_HANDLER, taskId: world.openTask('review.fire').id, to: { userId: ANOTHER_FIRE_HANDLER.userId, departmentCode: departmentCode('fire'), roles: ['handler'] }, note: '请起草意见' });
      return world;
    },
    people: [FIRE_HANDLER, ANOTHER_FIRE_HANDLER, actor('fire', 'lead'), actor('housing', 'lead')],
  },
  'with the fire review returned by its delegate for confirmation': {
    build: () => {
      const world = inJointReview();
      world.claim('review.fire', FIRE_HANDLER);
      const taskId = world.openTask('review.fire').id;
      world.execute({ type: 'task.delegate', actor: FIRE_HANDLER, taskId, to: { userId: ANOTHER_FIRE_HANDLER.userId, departmentCode: departmentCode('fire'), roles: ['handler'] }, note: '请起草意见' });
      world.execute({ type: 'task.delegation.resolve', actor: ANOTHER_FIRE_HANDLER, taskId, outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } });
      return world;
    },
    people: [FIRE_HANDLER, ANOTHER_FIRE_HANDLER],
  },
  'waiting for a supplement': {
    build: () => {
      const world = CaseWorld.start(constructionPermit);
      world.complete('acceptance', 'return');
      return world;
    },
    people: [WINDOW_CLERK, actor('housing', 'lead'), actor('housing', 'handler')],
  },
  'in an expert review': {
    build: () => {
      const world = inJointReview();
      world.execute({ type: 'special-procedure.start', actor: actor('ecology', 'handler'), caseId: world.case.id, kind: 'expert-review', notice: '专家评审 Expert review' });
      return world;
    },
    people: [actor('ecology', 'handler'), actor('housing', 'lead'), actor('planning', 'handler')],
  },
  'at the food licence sign-off, which may return': {
    build: () => {
      const world = CaseWorld.start(foodBusinessLicence);
      world.complete('acceptance', 'approve');
      world.complete('documentReview', 'approve');
      world.complete('inspection', 'approve');
      return world;
    },
    people: [actor('market', 'lead'), actor('market', 'handler')],
  },
  'at the road-occupation sign-off (或签 of two named deputies)': {
    build: () => {
      const world = CaseWorld.start(roadOccupation);
      for (const key of ['acceptance', 'review.traffic-police', 'review.municipal-roads']) world.complete(key, 'approve');
      return world;
    },
    people: [DEPUTY_A, actor('urban-management', 'lead'), actor('urban-management', 'handler'), actor('traffic-police', 'lead')],
  },
  'suspended in the joint review (中止)': {
    build: () => {
      const world = CaseWorld.start(constructionPermit);
      world.complete('acceptance', 'approve');
      world.execute({ type: 'case.suspend', actor: actor('housing', 'lead'), caseId: world.case.id, reason: '诉讼未决', legalBasis: '第二十条' });
      return world;
    },
    people: [actor('housing', 'lead'), actor('fire', 'handler'), SUPERVISOR, WINDOW_CLERK],
  },
  'in the joint review, copied (抄送) to the tax department and to a person of market regulation': {
    build: () => {
      const world = CaseWorld.start(constructionPermit);
      world.complete('acceptance', 'approve');
      const recipients = [{ departmentCode: departmentCode('tax') }, { userId: userId('market.handler'), departmentCode: departmentCode('market'), roles: ['handler'] as const }];
      world.execute({ type: 'case.copy', actor: actor('fire', 'handler'), caseId: world.case.id, recipients, note: '请知悉' });
      return world;
    },
    people: [actor('tax', 'handler'), actor('market', 'handler'), actor('market', 'lead'), actor('fire', 'handler'), SUPERVISOR],
  },
  refused: {
    build: () => {
      const world = CaseWorld.start(constructionPermit);
      world.complete('acceptance', 'reject');
      return world;
    },
    people: [WINDOW_CLERK, actor('housing', 'lead'), SUPERVISOR],
  },
};

/** Every command one could send on the case, with what a person would type, by a name that says which. */
function everyCommand(world: CaseWorld, by: Actor): Map<string, CaseCommand> {
  const commands = new Map<string, CaseCommand>();
  const caseId = world.case.id;
  for (const t of world.openTasks()) {
    const named = { actor: by, taskId: t.id };
    commands.set(`task.claim ${t.key}`, { type: 'task.claim', ...named });
    commands.set(`task.release ${t.key}`, { type: 'task.release', ...named });
    for (const outcome of TASK_OUTCOMES) {
      const completion = { type: 'task.complete', ...named, outcome, opinion: { text: '审查意见 Opinion with reasons', visibility: 'internal' } } as const;
      commands.set(`task.complete ${t.key} ${outcome}`, asksSupplement(world, completion) ? { ...completion, supplementRequest: { materials: [{ name: firstMaterial(world), reason: '未盖章 Not sealed' }] } } : completion);
    }
    commands.set(`task.urge ${t.key}`, { type: 'task.urge', ...named, message: '请尽快办理 Please act' });
    for (const position of SIGNER_POSITIONS) {
      commands.set(`countersign.signer.add ${t.key} ${position}`, { type: 'countersign.signer.add', ...named, department: 'planning', position, reason: '加签 A second look' });
    }
    const colleague = { userId: userId(`${t.departmentCode}.colleague`), departmentCode: t.departmentCode, roles: ['intake_clerk', 'handler', 'lead'] as const };
    commands.set(`task.transfer ${t.key} person`, { type: 'task.transfer', ...named, to: colleague, reason: '转办 Handler away' });
    commands.set(`task.delegate ${t.key}`, { type: 'task.delegate', ...named, to: colleague, note: '委派 Please draft the opinion' });
    for (const outcome of TASK_OUTCOMES) {
      commands.set(`task.delegation.resolve ${t.key} ${outcome}`, { type: 'task.delegation.resolve', ...named, outcome, opinion: { text: '拟办意见 Proposed opinion', visibility: 'internal' } });
    }
    commands.set(`task.delegation.recall ${t.key}`, { type: 'task.delegation.recall', ...named });
    const elsewhere = departmentCode(t.departmentCode === 'ecology' ? 'water' : 'ecology');
    commands.set(`task.transfer ${t.key} department`, { type: 'task.transfer', ...named, to: { departmentCode: elsewhere }, reason: '转办 Wrong office' });
  }
  for (const clock of world.case.clocks.filter((c) => !isNoticeClock(c.id))) {
    const extension = { type: 'clock.extend', actor: by, caseId, clock: clock.id, workingDays: 1, reason: '需现场踏勘 Site survey', legalBasis: '《行政许可法》第四十二条' } as const;
    commands.set(`clock.extend ${clock.id}`, extension);
  }
  for (const kind of SPECIAL_PROCEDURES) {
    commands.set(`special-procedure.start ${kind}`, { type: 'special-procedure.start', actor: by, caseId, kind, notice: '书面告知 Written notice' });
    commands.set(`special-procedure.end ${kind}`, { type: 'special-procedure.end', actor: by, caseId, kind });
  }
  for (const [step, { signers }] of Object.entries(world.context.countersigns ?? {})) {
    for (const s of signers) commands.set(`countersign.signer.remove ${s.task}`, { type: 'countersign.signer.remove', actor: by, caseId, step, task: s.task, reason: '回避 Conflict of interest' });
  }
  commands.set('supplement.submit', { type: 'supplement.submit', actor: by, caseId, materials: [{ name: '补正材料 Supplement', sha256: 'c'.repeat(64), sizeBytes: 10 }] });
  const ground = { reason: '诉讼未决 A lawsuit pending', legalBasis: '《某省行政审批条例》第二十条' };
  commands.set('case.suspend', { type: 'case.suspend', actor: by, caseId, ...ground });
  commands.set('case.resume', { type: 'case.resume', actor: by, caseId, reason: '诉讼已审结 The lawsuit ended' });
  commands.set('case.terminate', { type: 'case.terminate', actor: by, caseId, ...ground });
  commands.set('case.copy', { type: 'case.copy', actor: by, caseId, recipients: [{ departmentCode: departmentCode('police') }], note: '请知悉 For your information' });
  commands.set('case.comment', { type: 'case.comment', actor: by, caseId, text: '批注 A remark', visibility: 'internal' });
  // A copy by its recipient: a fresh copy of the case gives its copies new ids.
  for (const copy of world.copies.values()) commands.set(`copy.read ${copy.recipientUser ?? copy.recipientDepartment}`, { type: 'copy.read', actor: by, copyId: copy.id });
  return commands;
}

/** Whether the completion is refused for want of a supplement request: a return to the applicant, whose window names what is missing. */
function asksSupplement(world: CaseWorld, command: CaseCommand): boolean {
  try {
    world.decide(command);
    return false;
  } catch (error) {
    return error instanceof SupplementRequestInvalidError;
  }
}

const firstMaterial = (world: CaseWorld) => serviceItemOf(world.definition).materials[0]?.name ?? '';

/** The moves by the names `everyCommand` gives the commands they stand for. */
function namesOf(moves: readonly Move[], world: CaseWorld): Set<string> {
  const keyOf = (taskId: string) => world.openTasks().find((t) => t.id === taskId)?.key;
  return new Set(
    moves.flatMap((m) => {
      switch (m.type) {
        case 'task.complete':
        case 'task.delegation.resolve':
          return m.outcomes.map((o) => `${m.type} ${keyOf(m.taskId)} ${o}`);
        case 'clock.extend':
          return [`${m.type} ${m.clock}`];
        case 'special-procedure.start':
        case 'special-procedure.end':
          return m.kinds.map((k) => `${m.type} ${k}`);
        case 'supplement.submit':
        case 'case.withdraw':
        case 'case.suspend':
        case 'case.resume':
        case 'case.terminate':
        case 'case.copy':
        case 'case.comment':
          return [m.type];
        case 'copy.read': {
          const copy = world.copies.get(m.copyId);
          return [`${m.type} ${copy?.recipientUser ?? copy?.recipientDepartment}`];
        }
        case 'review.members.change':
          return [`${m.type} ${m.review} ${m.joins ? '+' : '-'}${m.department}`];
        case 'review.close':
          return [`${m.type} ${m.review}`];
        case 'countersign.signer.add':
          return m.positions.map((p) => `${m.type} ${keyOf(m.taskId)} ${p}`);
        case 'countersign.signer.remove':
          return [`${m.type} ${m.task}`];
        case 'task.transfer':
          return [...(m.toPerson ? [`${m.type} ${keyOf(m.taskId)} person`] : []), ...(m.toDepartment ? [`${m.type} ${keyOf(m.taskId)} department`] : [])];
        default:
          return [`${m.type} ${keyOf(m.taskId)}`];
      }
    }),
  );
}

/** Carries out the named command on the case: `changed` when it was accepted and changed the case. */
function carriedOut(world: CaseWorld, by: Actor, name: string): string {
  const command = everyCommand(world, by).get(name);
  if (!command) throw new Error(`no command ${name}`);
  return world.execute(command).changed ? 'changed' : 'unchanged';
}

/** What deciding a withheld command gives: the refusal's code, or `unchanged` (e.g. releasing a task nobody holds). */
function withheld(world: CaseWorld, command: CaseCommand): string {
  try {
    return world.decide(command).commit === null ? 'unchanged' : 'changed';
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    throw error;
  }
}

const movesOf = (world: CaseWorld, by: Actor) =>
  availableMoves(
    by,
    { case: world.case, openTasks: world.openTasks(), unreadCopies: [...world.copies.values()].filter((c) => c.readAt === null), caseFile: world.caseFile() },
    { definition: world.definition, calendar: world.calendar, now: world.clock.now(), serviceItem: serviceItemOf(world.definition) },
  );

describe('the moves a person may make now', () => {
  for (const [state, { build, people }] of Object.entries(STATES)) {
    it.each(people.map((p) => [p.userId, p] as const))(`${state}: for %s, offered ⇔ accepted and changes the case`, (_, by) => {
      const world = build();
      const offered = namesOf(movesOf(world, by), world);
      for (const [name, command] of everyCommand(world, by)) {
        // An offered move is carried out on a fresh copy of the case (its own ids); a withheld one is only decided (it writes nothing).
        const outcome = offered.has(name) ? carriedOut(build(), by, name) : withheld(world, command);
        expect({ name, outcome }).toEqual({ name, outcome: offered.has(name) ? 'changed' : expect.stringMatching(/^(TB-|unchanged$)/) });
      }
    });
  }

  it('the handler of the fire review may claim and complete it with every outcome, and nothing else', () => {
    const world = inJointReview();
    const fire = world.openTask('review.fire');
    expect(movesOf(world, FIRE_HANDLER)).toEqual([
      { type: 'task.claim', taskId: fire.id, task: 'review.fire' },
      {
        type: 'task.complete',
        taskId: fire.id,
        task: 'review.fire',
        outcomes: ['approve', 'reject', 'return'],
        // The returns the definition declares for the review, the first the one taken when none is named.
        returnTargets: [
          { to: 'correction', title: '退回牵头部门补正 Back to the lead department for correction', asksSupplement: false },
          { to: 'acceptance', title: '退回受理窗口 Back to the acceptance window', asksSupplement: false },
        ],
        supplementMaterials: [],
      },
      // Every procedure the item's law leaves out of its limits (its public notice too); not `other`.
      { type: 'special-procedure.start', kinds: ['hearing', 'expert-review', 'testing', 'public-notice', 'tender'] },
      // 抄送 and 批注: fire takes part in the case.
      { type: 'case.copy' },
      { type: 'case.comment' },
    ]);
  });

  it('a named signer of a 或签 may add a signer alongside or after, not before; the lead of the lead department removes either pending deputy', () => {
    const world = STATES['at the road-occupation sign-off (或签 of two named deputies)']?.build() as CaseWorld;
    const own = world.openTask(`signOff.${ROAD_OCCUPATION_DEPUTIES[0]}`);
    expect(movesOf(world, DEPUTY_A).filter((m) => m.type === 'countersign.signer.add')).toEqual([{ type: 'countersign.signer.add', taskId: own.id, task: own.key, positions: ['alongside', 'after'] }]);
    expect(movesOf(world, actor('urban-management', 'lead')).filter((m) => m.type === 'countersign.signer.remove').map((m) => m.type === 'countersign.signer.remove' && m.person)).toEqual([...ROAD_OCCUPATION_DEPUTIES]);
    expect(movesOf(world, actor('urban-management', 'handler')).some((m) => m.type.startsWith('countersign.'))).toBe(false);
  });

  it('a step that cannot refuse offers approve and return only (business opening after registration)', async () => {
    const { businessOpening } = await import('../../workflows/business-opening.js');
    const world = CaseWorld.start(businessOpening);
    world.complete('registration', 'approve');
    const complete = movesOf(world, actor('tax', 'handler')).find((m) => m.type === 'task.complete');
    expect(complete).toMatchObject({ task: 'review.tax', outcomes: ['approve', 'return'] });
  });

  it('an extension tells the working days the service item still allows, and that many are granted', () => {
    const world = inJointReview();
    const lead = actor('housing', 'lead');
    world.execute({ type: 'clock.extend', actor: lead, caseId: world.case.id, clock: 'legal', workingDays: 10, reason: '需现场踏勘', legalBasis: '第四十二条第二款' });
    // The item allows one extension (art. 42 ¶2): the legal clock offers none now; the committed clock its 15 days.
    const extensions = movesOf(world, lead).filter((m) => m.type === 'clock.extend');
    expect(extensions.find((m) => m.clock === 'legal')).toBeUndefined();
    expect(extensions.find((m) => m.clock === 'committed')).toEqual({ type: 'clock.extend', clock: 'committed', maxWorkingDays: 15 });
    const command = (workingDays: number) => ({ type: 'clock.extend', actor: lead, caseId: world.case.id, clock: 'committed', workingDays, reason: '理由', legalBasis: '依据' }) as const;
    expect(() => world.decide(command(16))).toThrow(EngineError);
    expect(world.decide(command(15)).commit).not.toBeNull();
  });

  it('a closed case offers nobody anything but a copy (抄送: a decided case may be copied too)', () => {
    const world = STATES['refused']!.build();
    for (const by of [WINDOW_CLERK, actor('housing', 'lead'), SUPERVISOR]) expect(movesOf(world, by)).toEqual([{ type: 'case.copy' }]);
  });
});
