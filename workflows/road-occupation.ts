import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from '../engine/definitions/case-machine.js';
import { onOutcome, taskState, type StateConfig } from '../engine/definitions/definition-parts.js';
import { issuedState, notAcceptedState, refusedState } from '../engine/definitions/final-states.js';
import { countersignState, jointReview, withdrawalsAfter, type JointReviewDeclaration } from '../engine/definitions/joint-review.js';
import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import { JOINT_EXTENSION, type ServiceItem } from '../engine/service-item.js';
import { DEFAULT_COUNTING_RULE } from '../engine/time/counting-rule.js';
import { DEFAULT_LADDER } from '../engine/time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../engine/time/legal-clock.js';

/**
 * 临时占用城市道路许可 — temporary occupation of a city road (scaffolding, a crane, a market stall), led by urban
 * management with the traffic police (交警) and the municipal road office (市政设施) reviewing in parallel.
 *
 * The members disagree now and then (traffic wants the lane kept, the road office does not mind): a split review
 * climbs the dispute ladder — the dissenting department reconsiders, urban management coordinates, a joint meeting
 * (联席会议) decides. Any rejection that stands refuses the permit with every reason. An approved review goes to
 * sign-off by either of the two deputy directors of urban management (或签): the first to sign decides, and the
 * other's task is cancelled. A member may return the application to the window, where everything starts again:
 * approvals are asked again and the reviews' clocks start anew.
 */
export const ROAD_OCCUPATION_DEPUTIES = ['urban-management.deputy-a', 'urban-management.deputy-b'] as const;

const REVIEW: JointReviewDeclaration = {
  name: 'jointReview',
  machineId: 'road-occupation',
  members: [
    { department: 'traffic-police', title: '交通影响审查 Traffic impact review', workingDays: 3 },
    { department: 'municipal-roads', title: '道路设施审查 Road facilities review', workingDays: 3 },
  ],
  onRejection: 'finish',
  returns: [
    { to: 'acceptance', title: '退回受理窗口重新受理 Back to the window to be accepted again', siblings: 'cancel', target: 'acceptance', approvals: 'redo', clock: 'restart' },
    { to: 'correction', title: '退回牵头部门补正 Back to urban management for correction', siblings: 'keep', department: LEAD_DEPARTMENT, workingDays: 1, clock: 'continue' },
  ],
  dispute: [
    { rung: 'handling', title: '复核意见 Reconsider the dissent', workingDays: 2 },
    { rung: 'lead', title: '牵头部门协调 Coordination by urban management', workingDays: 2 },
    { rung: 'meeting', title: '联席会议决定 Joint meeting decision', workingDays: 3 },
  ],
  approved: 'signOff',
  refused: 'refused',
};

const SIGN_OFF = countersignState(
  {
    step: 'signOff',
    mode: 'any',
    kind: 'decision',
    title: '分管副局长签发（或签）Sign-off by a deputy director',
    workingDays: 2,
    signers: ROAD_OCCUPATION_DEPUTIES.map((person) => ({ department: 'urban-management', person })),
  },
  { approved: 'issued', rejected: 'refused' },
);

/** A member takes its review back while neither deputy has signed. */
const withWithdrawals = (state: StateConfig): StateConfig => ({ ...state, on: { ...state.on, ...withdrawalsAfter(REVIEW) } });

export const roadOccupation: ProcessDefinition = {
  key: 'road-occupation',
  version: 1,
  title: '临时占用城市道路许可 Temporary road occupation',
  machine: {
    id: 'road-occupation',
    context: { outcomes: {}, rejections: [] },
    initial: 'acceptance',
    states: {
      acceptance: taskState(
        { task: 'acceptance', kind: 'intake', title: '受理审查 Acceptance check', department: INTAKE_DEPARTMENT, workingDays: 1 },
        {
          'task.approved': onOutcome('acceptance', 'jointReview'),
          'task.rejected': onOutcome('acceptance', 'notAccepted'),
        },
      ),
      ...jointReview(REVIEW),
      signOff: withWithdrawals(SIGN_OFF),
      issued: issuedState({ licenceType: 'zd', title: '临时占用城市道路许可证 Road occupation permit' }),
      refused: refusedState(),
      notAccepted: notAcceptedState(),
    },
  },
};

export const roadOccupationItem: ServiceItem = {
  code: 'road-occupation',
  version: 2,
  name: '临时占用城市道路许可 Temporary road occupation',
  type: 'administrative-licence',
  legalBasis: '《城市道路管理条例》第三十一条',
  legalBasisVersion: '2019年修订',
  scope: '因工程建设等需要临时占用城市道路的单位和个人 Anyone occupying a city road for works',
  leadDepartment: 'urban-management',
  participatingDepartments: ['traffic-police', 'municipal-roads'],
  legalLimitDays: 20,
  committedLimitDays: 8,
  definitionKey: 'road-occupation',
  definitionVersion: roadOccupation.version,
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  /** Joint handling: art. 42 ¶2. */
  extension: JOINT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
  materials: [
    { name: '临时占用城市道路申请表 Application form', form: 'either', originals: 1, copies: 0, licenceType: null },
    { name: '占道平面图 Site plan', form: 'either', originals: 0, copies: 1, licenceType: null },
    { name: '交通组织方案 Traffic plan', form: 'paper', originals: 1, copies: 1, licenceType: null },
  ],
};
