import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, onReturn, taskState } from '../engine/definitions/definition-parts.js';
import { jointReview, memberChanges, withdrawalInto, withdrawalsAfter, type JointReviewDeclaration, type MemberReview } from '../engine/definitions/joint-review.js';
import { issuedState, notAcceptedState, refusedState } from '../engine/definitions/final-states.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { JOINT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 工程建设项目施工许可 — construction permit, joint review (联合审查) on the engine's joint-review block.
 *
 * The intake window checks the application (受理; a return asks the applicant for a supplement, 补正). Five
 * member departments review in parallel under the lead department (housing): planning, ecology and fire always;
 * civil air defence when the project has underground space, water when it connects to the public water supply —
 * as the application answers (`hasUndergroundSpace`, `connectsToWaterSupply`), or as the lead decides at
 * acceptance, adding or removing either with a reason. Every review is finished even after one department
 * rejects, so that a refusal tells the applicant every department's reasons at once (the lead may close the
 * reviews still open once a rejection is in): any rejection leads to the joint refusal (不予许可决定) signed by
 * the lead department; otherwise the lead consolidates the opinions into the joint decision, the permit is
 * publicly noticed for five working days (公示) and the licence is issued.
 *
 * A member returns the application either for correction by the lead department, inside its own review while the
 * others go on (the default), or back to the acceptance window: the other reviews are cancelled, the approvals
 * already given stand, and the reviews that reopen continue their clocks. The lead may send the joint decision
 * back to the joint review, where every member reviews again. A completion is withdrawn (撤回) while the next step
 * is untouched: the acceptance while no review has been claimed, a member's review while the review runs or
 * while the decision waits.
 *
 * Version 6: each member's review names the materials it needs (`materials`): the member department sees those,
 * the lead department and the window see every material.
 * Version 5: the joint-review block (run-time members, chosen returns, withdrawals, closing after a rejection).
 * Version 4: the acceptance after a supplement continues the acceptance's clock with the budget it had left
 * (its return paused it), and the public notice is not counted in the case's limits (the item leaves it out:
 * `uncountedProcedures`); the clocks stay paused until the licence is issued, which stops them.
 * Version 3: the case's clocks stop while the applicant supplements (补正, art. 32: reason `supplement`),
 * paused on entering `supplement` and resumed on leaving it. Version 2 kept no clocks' pauses; version 1 left
 * the joint review on the first rejection, cancelling the other reviews, so its refusal carried one
 * department's reasons. Cases finish under the version they started on (published versions never change).
 */
export const CONSTRUCTION_PERMIT_MATERIALS = {
  form: '建筑工程施工许可证申请表 Application form',
  planningPermit: '建设工程规划许可证 Planning permit',
  contract: '施工合同 Construction contract',
  businessLicence: '营业执照 Business licence',
  drawings: '施工图设计文件 Construction drawings',
} as const;

const { form, planningPermit, drawings } = CONSTRUCTION_PERMIT_MATERIALS;

/** Each member sees the materials its review needs (since version 6); the contract and the licence stay with housing and the window. */
export const CONSTRUCTION_PERMIT_REVIEWS: readonly MemberReview[] = [
  { department: 'planning', title: '规划审查 Planning review', workingDays: 5, materials: [form, planningPermit, drawings] },
  { department: 'ecology', title: '环境影响审查 Environmental review', workingDays: 5, materials: [form, drawings] },
  { department: 'fire', title: '消防设计审查 Fire protection review', workingDays: 5, materials: [form, drawings] },
  { department: 'civil-air-defence', title: '人防审查 Civil air defence review', workingDays: 5, required: false, whenAnswer: 'hasUndergroundSpace', materials: [form, drawings] },
  { department: 'water', title: '水务审查 Water review', workingDays: 5, required: false, whenAnswer: 'connectsToWaterSupply', materials: [form, drawings] },
];

/** The application's answers that bring every optional member in: what the demo and most tests apply with. */
export const EVERY_MEMBER_NEEDED = { hasUndergroundSpace: true, connectsToWaterSupply: true } as const;

const MEMBERS = { members: CONSTRUCTION_PERMIT_REVIEWS };

const REVIEW: JointReviewDeclaration = {
  name: 'jointReview',
  machineId: 'construction-permit',
  members: CONSTRUCTION_PERMIT_REVIEWS,
  onRejection: 'finish',
  returns: [
    { to: 'correction', title: '退回牵头部门补正 Back to the lead department for correction', siblings: 'keep', department: LEAD_DEPARTMENT, workingDays: 2, clock: 'continue' },
    { to: 'acceptance', title: '退回受理窗口 Back to the acceptance window', siblings: 'cancel', target: 'acceptance', approvals: 'stand', clock: 'continue' },
  ],
  approved: 'jointDecision',
  refused: 'jointRefusal',
  // The window takes its acceptance back while no department has acted on its review.
  on: withdrawalInto(MEMBERS, 'acceptance', 'acceptance'),
};

const backToApplicant = { task: 'acceptance', to: 'applicant', title: '退回申请人补正 Back to the applicant for a supplement' };

export const constructionPermit: ProcessDefinition = {
  key: 'construction-permit',
  version: 6,
  title: '工程建设项目施工许可 Construction permit',
  machine: {
    id: 'construction-permit',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState(
        { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: INTAKE_DEPARTMENT, workingDays: 1, continueClock: true },
        {
          'task.approved': onOutcome('acceptance', 'jointReview'),
          'task.returned': onReturn(backToApplicant, 'supplement'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
          ...memberChanges(REVIEW),
        },
      ),
      supplement: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'supplement' } }, { type: 'notifyApplicant', params: { template: 'supplement.requested' } }],
        exit: ['resumeCaseClocks'],
        on: {
          'supplement.submitted': 'acceptance',
          // The window takes its request for a supplement back before the applicant answered it.
          'task.withdrawn': { guard: { type: 'withdrawable', params: { task: 'acceptance' } }, target: 'acceptance', actions: [{ type: 'forgetOutcomes', params: { tasks: ['acceptance'] } }] },
        },
      },
      ...jointReview(REVIEW),
      jointDecision: taskState(
        { task: 'decision', kind: 'decision', title: '联合审批决定 Joint decision', department: LEAD_DEPARTMENT, workingDays: 2 },
        {
          'task.approved': onOutcome('decision', 'publicNotice'),
          'task.rejected': onOutcome('decision', 'refused'),
          // Every member reviews again: their approvals are forgotten.
          'task.returned': onReturn({ task: 'decision', to: 'jointReview', title: '退回联合审查重审 Back to the joint review' }, 'jointReview', [
            { type: 'forgetOutcomes' as const, params: { tasks: CONSTRUCTION_PERMIT_REVIEWS.map((r) => `review.${r.department}`) } },
          ]),
          ...withdrawalsAfter(REVIEW),
        },
      ),
      publicNotice: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'public-notice' } }, { type: 'startPeriod', params: { period: 'publicNotice', workingDays: 5 } }],
        on: { 'period.ended': { guard: { type: 'periodIs', params: { period: 'publicNotice' } }, target: 'issued' } },
      },
      issued: issuedState({ licenceType: 'cp', title: '建筑工程施工许可证 Construction permit' }),
      jointRefusal: taskState(
        { task: 'refusal', kind: 'decision', title: '不予许可决定 Joint refusal', department: LEAD_DEPARTMENT, workingDays: 2 },
        { 'task.approved': onOutcome('refusal', 'refused'), ...withdrawalsAfter(REVIEW) },
      ),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

export const constructionPermitItem: ServiceItem = {
  code: 'construction-permit',
  version: 3,
  name: '建筑工程施工许可证核发 Construction permit',
  type: 'administrative-licence',
  legalBasis: '《中华人民共和国建筑法》第八条；《建筑工程施工许可管理办法》',
  legalBasisVersion: '2019年修正；住房和城乡建设部令第52号（2021年修改）',
  scope: '在城市、镇规划区内从事各类房屋建筑及其附属设施的建造、装修装饰和与其配套的线路、管道、设备的安装，以及城镇市政基础设施工程的施工 Building works in urban planning areas',
  leadDepartment: 'housing',
  participatingDepartments: ['planning', 'ecology', 'fire', 'civil-air-defence', 'water'],
  legalLimitDays: 15,
  committedLimitDays: 10,
  definitionKey: 'construction-permit',
  definitionVersion: constructionPermit.version,
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** Joint review (联合审查): art. 42 ¶2. */
  extension: JOINT_EXTENSION,
  /** The item's rules leave its public notice (公示) out of the limits as well. */
  uncountedProcedures: [...STATUTORY_UNCOUNTED, 'public-notice'],
  ladder: DEFAULT_LADDER,
  materials: [
    { name: form, form: 'either', originals: 1, copies: 0, licenceType: null },
    { name: planningPermit, form: 'electronic', originals: 0, copies: 1, licenceType: 'planning-permit' },
    { name: CONSTRUCTION_PERMIT_MATERIALS.contract, form: 'paper', originals: 1, copies: 1, licenceType: null },
    // Since version 3, what the member departments review (each sees it through its task's `materials`).
    { name: drawings, form: 'electronic', originals: 0, copies: 1, licenceType: null },
    // Since version 3 the licence business opening issues (`bl`): a case reuses it instead of a copy (证照复用).
    { name: CONSTRUCTION_PERMIT_MATERIALS.businessLicence, form: 'electronic', originals: 0, copies: 1, licenceType: 'bl' },
  ],
};
