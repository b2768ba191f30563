import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, reviewRegion, taskState, type DepartmentReview } from '../engine/definitions/definition-parts.js';
import { issuedState, notAcceptedState, refusedState } from '../engine/definitions/final-states.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { JOINT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 工程建设项目施工许可 — construction permit, joint review (联合审查).
 *
 * The intake window checks the application (受理; a return asks the applicant for a supplement, 补正);
 * five departments review in parallel, each able to return it for correction. Every review is finished
 * even after one department rejects, so that a refusal tells the applicant every department's reasons at
 * once: when all five are done, any rejection leads to the joint refusal (不予许可决定) signed by the lead
 * department, listing every reason; otherwise the lead signs the joint decision, the permit is publicly
 * noticed for five working days (公示) and the licence is issued.
 *
 * Version 4: the acceptance after a supplement continues the acceptance's clock with the budget it had left
 * (its return paused it), and the public notice is not counted in the case's limits (the item leaves it out:
 * `uncountedProcedures`); the clocks stay paused until the licence is issued, which stops them.
 * Version 3: the case's clocks stop while the applicant supplements (补正, art. 32: reason `supplement`),
 * paused on entering `supplement` and resumed on leaving it. Version 2 kept no clocks' pauses; version 1 left
 * the joint review on the first rejection, cancelling the other reviews, so its refusal carried one
 * department's reasons. Cases finish under the version they started on (published versions never change).
 */
export const CONSTRUCTION_PERMIT_REVIEWS: readonly DepartmentReview[] = [
  { department: 'planning', title: '规划审查 Planning review', workingDays: 5 },
  { department: 'ecology', title: '环境影响审查 Environmental review', workingDays: 5 },
  { department: 'fire', title: '消防设计审查 Fire protection review', workingDays: 5 },
  { department: 'civil-air-defence', title: '人防审查 Civil air defence review', workingDays: 5 },
  { department: 'water', title: '水务审查 Water review', workingDays: 5 },
];

export const constructionPermit: ProcessDefinition = {
  key: 'construction-permit',
  version: 4,
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
          'task.returned': onOutcome('acceptance', 'supplement'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
        },
      ),
      supplement: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'supplement' } }, { type: 'notifyApplicant', params: { template: 'supplement.requested' } }],
        exit: ['resumeCaseClocks'],
        on: { 'supplement.submitted': 'acceptance' },
      },
      jointReview: {
        type: 'parallel',
        states: Object.fromEntries(
          CONSTRUCTION_PERMIT_REVIEWS.map((review) => [review.department, reviewRegion(review, { rejectable: true })]),
        ),
        onDone: [{ guard: 'anyRejected', target: 'jointRefusal' }, { target: 'jointDecision' }],
      },
      jointDecision: taskState(
        { task: 'decision', kind: 'decision', title: '联合审批决定 Joint decision', department: LEAD_DEPARTMENT, workingDays: 2 },
        {
          'task.approved': onOutcome('decision', 'publicNotice'),
          'task.rejected': onOutcome('decision', 'refused'),
        },
      ),
      publicNotice: {
        entry: [{ type: 'pauseCaseClocks', params: { reason: 'public-notice' } }, { type: 'startPeriod', params: { period: 'publicNotice', workingDays: 5 } }],
        on: { 'period.ended': { guard: { type: 'periodIs', params: { period: 'publicNotice' } }, target: 'issued' } },
      },
      issued: issuedState({ licenceType: 'cp', title: '建筑工程施工许可证 Construction permit' }),
      jointRefusal: taskState(
        { task: 'refusal', kind: 'decision', title: '不予许可决定 Joint refusal', department: LEAD_DEPARTMENT, workingDays: 2 },
        { 'task.approved': onOutcome('refusal', 'refused') },
      ),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

export const constructionPermitItem: ServiceItem = {
  code: 'construction-permit',
  name: '建筑工程施工许可证核发 Construction permit',
  legalBasis: '《中华人民共和国建筑法》第八条；《建筑工程施工许可管理办法》',
  leadDepartment: 'housing',
  legalLimitDays: 15,
  committedLimitDays: 10,
  definitionKey: 'construction-permit',
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** Joint review (联合审查): art. 42 ¶2. */
  extension: JOINT_EXTENSION,
  /** The item's rules leave its public notice (公示) out of the limits as well. */
  uncountedProcedures: [...STATUTORY_UNCOUNTED, 'public-notice'],
  ladder: DEFAULT_LADDER,
};
