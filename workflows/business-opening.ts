import { LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, taskState } from '../engine/definitions/definition-parts.js';
import { jointReview, type JointReviewDeclaration, type MemberReview } from '../engine/definitions/joint-review.js';
import { grantedState, refusedState } from '../engine/definitions/final-states.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { JOINT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 企业开办 一网通办 — opening a business in one go. Market regulation registers the company and the
 * business licence is issued at once; then public security (seal), taxation (invoices), social insurance and
 * the housing fund work in parallel (the joint-review block, where nobody can refuse a company that exists:
 * each only approves or returns its part to market regulation for correction, the others going on). The whole
 * case targets one working day.
 *
 * Version 2: the joint-review block (withdrawals, a chosen return); version 1 built the regions by hand.
 */
export const BUSINESS_OPENING_STEPS: readonly MemberReview[] = [
  { department: 'police', title: '公章刻制备案 Company seal', workingDays: 1 },
  { department: 'tax', title: '发票申领 Invoices', workingDays: 1 },
  { department: 'social-insurance', title: '社保登记 Social insurance', workingDays: 1 },
  { department: 'housing-fund', title: '公积金缴存登记 Housing fund', workingDays: 1 },
];

const SETUP: JointReviewDeclaration = {
  name: 'setup',
  machineId: 'business-opening',
  members: BUSINESS_OPENING_STEPS,
  onRejection: 'none',
  returns: [{ to: 'correction', title: '退回登记机关更正 Back to registration for correction', siblings: 'keep', department: LEAD_DEPARTMENT, workingDays: 1, clock: 'continue' }],
  approved: 'opened',
  refused: 'refused',
};

export const businessOpening: ProcessDefinition = {
  key: 'business-opening',
  version: 2,
  title: '企业开办 Business opening',
  machine: {
    id: 'business-opening',
    context: { outcomes: {}, rejections: [] },
    initial: 'registration',
    states: {
      registration: taskState(
        { task: 'registration', kind: 'review', title: '设立登记 Company registration', department: 'market', workingDays: 1 },
        {
          'task.approved': {
            ...onOutcome('registration', 'setup'),
            actions: [
              'recordOutcome',
              { type: 'issueLicence', params: { licenceType: 'bl', title: '营业执照 Business licence' } },
            ],
          },
          'task.returned': onOutcome('registration', 'supplement'),
          'task.rejected': onOutcome('registration', 'refused'),
        },
      ),
      supplement: {
        entry: [{ type: 'notifyApplicant', params: { template: 'supplement.requested' } }],
        on: { 'supplement.submitted': 'registration' },
      },
      // Once the company exists nobody can refuse it: these steps only approve or return for correction.
      ...jointReview(SETUP),
      opened: grantedState('business.opened'),
      refused: refusedState(),
    },
  },
};

export const businessOpeningItem: ServiceItem = {
  code: 'business-opening',
  version: 2,
  name: '企业开办 Business opening',
  type: 'administrative-licence',
  legalBasis: '《市场主体登记管理条例》；《优化营商环境条例》第十九条',
  legalBasisVersion: '国务院令第746号（2022年）',
  scope: '在本市登记的各类企业 Companies registered in the city',
  leadDepartment: 'market',
  participatingDepartments: ['police', 'tax', 'social-insurance', 'housing-fund'],
  legalLimitDays: 3,
  committedLimitDays: 1,
  definitionKey: 'business-opening',
  definitionVersion: businessOpening.version,
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** 企业开办 is joint handling (一窗通办): art. 42 ¶2. */
  extension: JOINT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  materials: [
    { name: '企业登记申请书 Registration form', form: 'electronic', originals: 0, copies: 0, licenceType: null },
    { name: '公司章程 Articles of association', form: 'electronic', originals: 0, copies: 0, licenceType: null },
    { name: '法定代表人身份证明 Legal representative ID', form: 'electronic', originals: 1, copies: 0, licenceType: 'resident-id' },
  ],
};
