import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, onReturn, taskState, type StateConfig } from '../engine/definitions/definition-parts.js';
import type { OpenCountersignParams } from '../engine/definitions/countersign.js';
import { issuedState, notAcceptedState, refusedState } from '../engine/definitions/final-states.js';
import { countersignState } from '../engine/definitions/joint-review.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { SINGLE_DEPARTMENT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 建设项目环境影响报告表审批 — approval of a project's environmental impact report form, by ecology and
 * environment. After acceptance and a technical review, a panel of five experts votes (票签): the report passes
 * with at least two thirds of the votes, and the vote ends as soon as its outcome cannot change (four approvals, or
 * two rejections). The expert review is not counted in the limits (art. 45: 专家评审), so the case's clocks pause
 * while the panel sits. The head of the department then decides (审批), or signs the refusal with every expert's
 * reasons.
 */
export const EIA_EXPERTS = ['expert-1', 'expert-2', 'expert-3', 'expert-4', 'expert-5'].map((e) => `expert-panel.${e}`);

const EXPERT_PANEL: OpenCountersignParams = {
  step: 'expertPanel',
  mode: 'vote',
  kind: 'countersign',
  title: '专家评审表决（票签）Expert panel vote',
  workingDays: 5,
  signers: EIA_EXPERTS.map((person) => ({ department: 'expert-panel', person })),
  threshold: { numerator: 2, denominator: 3 },
};

/** The case's clocks stop while the experts sit (art. 45), and go on when the panel has decided. */
const pausedForExperts = (state: StateConfig): StateConfig => ({
  ...state,
  entry: [{ type: 'pauseCaseClocks', params: { reason: 'expert-review' } }, ...asList(state.entry)],
  exit: [...asList(state.exit), 'resumeCaseClocks'],
});

const asList = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T]);

export const eiaApproval: ProcessDefinition = {
  key: 'eia-approval',
  version: 1,
  title: '建设项目环境影响评价审批 Environmental impact approval',
  machine: {
    id: 'eia-approval',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState(
        { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: INTAKE_DEPARTMENT, workingDays: 1 },
        {
          'task.approved': onOutcome('acceptance', 'technicalReview'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
        },
      ),
      technicalReview: taskState(
        { task: 'technicalReview', kind: 'review', title: '技术审查 Technical review', department: LEAD_DEPARTMENT, workingDays: 5 },
        {
          'task.approved': onOutcome('technicalReview', 'expertPanel'),
          'task.returned': onReturn({ task: 'technicalReview', to: 'acceptance', title: '退回受理窗口 Back to the acceptance window' }, 'acceptance'),
          'task.rejected': onOutcome('technicalReview', 'refusal'),
        },
      ),
      expertPanel: pausedForExperts(countersignState(EXPERT_PANEL, { approved: 'decision', rejected: 'refusal' })),
      decision: taskState(
        { task: 'decision', kind: 'decision', title: '审批决定 Decision', department: LEAD_DEPARTMENT, workingDays: 3 },
        {
          'task.approved': onOutcome('decision', 'issued'),
          'task.rejected': onOutcome('decision', 'refused'),
          'task.returned': onReturn({ task: 'decision', to: 'technicalReview', title: '退回技术审查 Back to the technical review' }, 'technicalReview'),
        },
      ),
      refusal: taskState(
        { task: 'refusal', kind: 'decision', title: '不予批准决定 Refusal', department: LEAD_DEPARTMENT, workingDays: 3 },
        { 'task.approved': onOutcome('refusal', 'refused') },
      ),
      issued: issuedState({ licenceType: 'hp', title: '环境影响报告表批复 EIA approval' }),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

export const eiaApprovalItem: ServiceItem = {
  code: 'eia-approval',
  version: 2,
  name: '建设项目环境影响报告表审批 Environmental impact approval',
  type: 'administrative-licence',
  legalBasis: '《中华人民共和国环境影响评价法》第二十二条',
  legalBasisVersion: '2018年修正',
  scope: '编制环境影响报告表的建设项目 Projects filing an environmental impact report form',
  leadDepartment: 'ecology',
  participatingDepartments: ['expert-panel'],
  legalLimitDays: 30,
  committedLimitDays: 15,
  definitionKey: 'eia-approval',
  definitionVersion: eiaApproval.version,
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  extension: SINGLE_DEPARTMENT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  materials: [
    { name: '环境影响报告表 EIA report form', form: 'either', originals: 1, copies: 1, licenceType: null },
    { name: '建设项目批准文件 Project approval', form: 'electronic', originals: 0, copies: 1, licenceType: 'project-approval' },
  ],
};
