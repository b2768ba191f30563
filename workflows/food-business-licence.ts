import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, taskState } from '../engine/definitions/definition-parts.js';
import { issuedState, notAcceptedState, refusedState } from '../engine/definitions/final-states.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { SINGLE_DEPARTMENT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 食品经营许可 — food business licence, a sequential approval: acceptance at the window, document review by
 * a handler, on-site inspection (现场核查), then the department lead signs off (审批) and the licence is issued.
 * Review and inspection may return the case one step back; the lead may return it to inspection.
 */
export const foodBusinessLicence: ProcessDefinition = {
  key: 'food-business-licence',
  version: 1,
  title: '食品经营许可 Food business licence',
  machine: {
    id: 'food-business-licence',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState(
        { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: INTAKE_DEPARTMENT, workingDays: 1 },
        {
          'task.approved': onOutcome('acceptance', 'documentReview'),
          'task.returned': onOutcome('acceptance', 'supplement'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
        },
      ),
      supplement: {
        entry: [{ type: 'notifyApplicant', params: { template: 'supplement.requested' } }],
        on: { 'supplement.submitted': 'acceptance' },
      },
      documentReview: taskState(
        { task: 'documentReview', kind: 'review', title: '材料审查 Document review', department: LEAD_DEPARTMENT, workingDays: 3 },
        {
          'task.approved': onOutcome('documentReview', 'inspection'),
          'task.returned': onOutcome('documentReview', 'supplement'),
          'task.rejected': onOutcome('documentReview', 'refused'),
        },
      ),
      inspection: taskState(
        { task: 'inspection', kind: 'review', title: '现场核查 On-site inspection', department: LEAD_DEPARTMENT, workingDays: 5 },
        {
          'task.approved': onOutcome('inspection', 'signOff'),
          'task.returned': onOutcome('inspection', 'documentReview'),
          'task.rejected': onOutcome('inspection', 'refused'),
        },
      ),
      signOff: taskState(
        { task: 'signOff', kind: 'decision', title: '负责人审批 Lead sign-off', department: LEAD_DEPARTMENT, workingDays: 2 },
        {
          'task.approved': onOutcome('signOff', 'issued'),
          'task.returned': onOutcome('signOff', 'inspection'),
          'task.rejected': onOutcome('signOff', 'refused'),
        },
      ),
      issued: issuedState({ licenceType: 'jy', title: '食品经营许可证 Food business licence' }),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

export const foodBusinessLicenceItem: ServiceItem = {
  code: 'food-business-licence',
  version: 3,
  name: '食品经营许可 Food business licence',
  type: 'administrative-licence',
  legalBasis: '《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》',
  legalBasisVersion: '2021年修正；国家市场监督管理总局令第78号（2023年）',
  scope: '在本市从事食品销售和餐饮服务的经营者 Food sellers and caterers in the city',
  leadDepartment: 'market',
  participatingDepartments: [],
  legalLimitDays: 20,
  committedLimitDays: 10,
  definitionKey: 'food-business-licence',
  definitionVersion: foodBusinessLicence.version,
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** One department decides: art. 42 ¶1. */
  extension: SINGLE_DEPARTMENT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  materials: [
    { name: '食品经营许可申请书 Application form', form: 'either', originals: 1, copies: 0, licenceType: null },
    // Since version 3 the licence business opening issues (`bl`): a case reuses it instead of a copy (证照复用).
    { name: '营业执照 Business licence', form: 'electronic', originals: 0, copies: 1, licenceType: 'bl' },
    { name: '经营场所平面图 Floor plan', form: 'either', originals: 0, copies: 1, licenceType: null },
  ],
};
