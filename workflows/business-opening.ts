import { onOutcome, reviewRegion, taskState, type DepartmentReview } from '../engine/definitions/definition-parts.js';
import { grantedState, refusedState } from '../engine/definitions/final-states.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { JOINT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 企业开办 一网通办 — opening a business in one go. Market regulation registers the company and the
 * business licence is issued at once; then public security (seal), taxation (invoices), social insurance and
 * the housing fund work in parallel. The whole case targets one working day.
 */
export const BUSINESS_OPENING_STEPS: readonly DepartmentReview[] = [
  { department: 'police', title: '公章刻制备案 Company seal', workingDays: 1 },
  { department: 'tax', title: '发票申领 Invoices', workingDays: 1 },
  { department: 'social-insurance', title: '社保登记 Social insurance', workingDays: 1 },
  { department: 'housing-fund', title: '公积金缴存登记 Housing fund', workingDays: 1 },
];

export const businessOpening: ProcessDefinition = {
  key: 'business-opening',
  version: 1,
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
      setup: {
        type: 'parallel',
        states: Object.fromEntries(BUSINESS_OPENING_STEPS.map((step) => [step.department, reviewRegion(step, { rejectable: false })])),
        onDone: 'opened',
      },
      opened: grantedState('business.opened'),
      refused: refusedState(),
    },
  },
};

export const businessOpeningItem: ServiceItem = {
  code: 'business-opening',
  name: '企业开办 Business opening',
  legalBasis: '《市场主体登记管理条例》；《优化营商环境条例》第十九条',
  leadDepartment: 'market',
  legalLimitDays: 3,
  committedLimitDays: 1,
  definitionKey: 'business-opening',
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** 企业开办 is joint handling (一窗通办): art. 42 ¶2. */
  extension: JOINT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
};
