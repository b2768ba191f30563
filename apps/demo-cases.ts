import type { Engine } from '../engine/engine.js';
import type { OpinionVisibility } from '../engine/case-command.js';
import type { TaskOutcome } from '../engine/definitions/case-machine.js';
import { caseId, taskId, type CaseId } from '../engine/ids.js';
import type { CaseCommand } from '../engine/operations/decide-command.js';
import type { RequestedMaterial, SupplementRequestInput } from '../engine/operations/supplement-request.js';
import type { Sql } from '../db/connection.js';
import { anyCaseExists } from '../db/case-queries.js';
import { findOpenTaskId } from '../db/task-queries.js';
import { demoActor } from './demo-users.js';
import { hashQueryCode } from '../api/query-code.js';
import { earliestCases } from '../db/applicant-queries.js';
import { EVERY_MEMBER_NEEDED } from '../workflows/construction-permit.js';

/** A demo user completes the case's open task `task`: approves, rejects or returns it, with an opinion. */
interface TaskStep {
  readonly user: string;
  readonly task: string;
  readonly outcome: TaskOutcome;
  readonly opinion: string;
  readonly visibility?: OpinionVisibility;
  /** With a return to the applicant: every material to supplement (一次性告知). */
  readonly supplementRequest?: SupplementRequestInput;
}

/** A command on the case itself, such as an extension (延期) or a special procedure (特别程序). */
type CaseStep = (id: CaseId) => CaseCommand;

type Step = TaskStep | CaseStep;

interface DemoCase {
  readonly serviceItemCode: string;
  readonly applicant: { name: string; idNumber: string; phone: string };
  /** The application form's answers; a construction permit's bring in every member (`EVERY_MEMBER_NEEDED`) unless given. */
  readonly answers?: Readonly<Record<string, boolean>>;
  readonly steps: readonly Step[];
}

const approve = (user: string, task: string, opinion = '同意 Approved'): Step => ({ user, task, outcome: 'approve', opinion });
const acceptance = approve('window.clerk', 'acceptance', '材料齐全，予以受理 Complete, accepted');
/** 一次性告知 (行政许可法 art. 32): the return names every missing or defective material at once, and the applicant reads it. */
const supplementRequest = (...materials: RequestedMaterial[]): Step => ({
  user: 'window.clerk',
  task: 'acceptance',
  outcome: 'return',
  opinion: `请一次性补正以下材料 Please supply all of the following: ${materials.map((m, i) => `${i + 1}. ${m.name}（${m.reason}）`).join('；')}`,
  visibility: 'public',
  supplementRequest: { materials },
});
const extendLegalLimit = (reason: string): Step => (id) => ({
  type: 'clock.extend',
  actor: demoActor('housing.lead'),
  caseId: id,
  clock: 'legal',
  workingDays: 10,
  reason,
  legalBasis: '《中华人民共和国行政许可法》第四十二条第二款',
});
const expertReview = (user: string, notice: string): Step => (id) => ({ type: 'special-procedure.start', actor: demoActor(user), caseId: id, kind: 'expert-review', notice });
const company = (name: string, idNumber: string) => ({ name, idNumber, phone: '+86 21 6000 0000' });

/**
 * A few cases in different states, made by real commands so each has its tasks, opinions, clocks and audit
 * trail: waiting at the window; returned for a supplement (补正, its legal and committed clocks paused); in joint
 * review; in joint review with its legal limit extended (延期, art. 42); in joint review during an expert review
 * (特别程序, art. 45: its clocks paused); refused; waiting for the lead's sign-off; a road occupation at its
 * or-sign (或签) and one in dispute; an environmental impact approval in its expert vote (票签); and a business opened.
 */
const DEMO_CASES: readonly DemoCase[] = [
  // No underground space, no water connection: planning, ecology and fire review, unless the lead adds a department.
  { serviceItemCode: 'construction-permit', applicant: company('上海浦江建设有限公司', '91310000MA1FL2001A'), answers: {}, steps: [] },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('静安城市更新建设有限公司', '91310000MA1FL2006F'),
    steps: [
      supplementRequest(
        { name: '施工合同 Construction contract', reason: '未提交 Not handed in' },
        { name: '建设工程规划许可证 Planning permit', reason: '复印件不清晰 The copy is illegible' },
      ),
    ],
  },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('申城置业发展有限公司', '91310000MA1FL2002B'),
    steps: [acceptance, approve('planning.handler', 'review.planning'), approve('fire.handler', 'review.fire', '消防设计符合 GB 50016')],
  },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('临港新城基础设施投资有限公司', '91310000MA1FL2007G'),
    steps: [
      acceptance,
      approve('planning.handler', 'review.planning'),
      extendLegalLimit(
        '项目跨越防汛墙，水务与人防审查需组织联合现场踏勘，无法在法定期限内作出决定 ' +
          'The project crosses the flood wall; the water and civil air defence reviews need a joint site survey and cannot finish within the legal limit',
      ),
    ],
  },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('黄浦江岸线开发有限公司', '91310000MA1FL2008H'),
    steps: [
      acceptance,
      expertReview(
        'ecology.handler',
        '项目环境影响报告书须经专家评审，预计需十个工作日，所需时间不计入审批期限 ' +
          'The environmental impact report goes to an expert review, expected to take 10 working days, not counted in the limit',
      ),
    ],
  },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('东海物流园开发有限公司', '91310000MA1FL2003C'),
    steps: [
      acceptance,
      { user: 'ecology.handler', task: 'review.ecology', outcome: 'reject', opinion: '项目位于水源保护区，环评未通过 Inside a water protection zone' },
      { user: 'water.handler', task: 'review.water', outcome: 'reject', opinion: '取水许可未取得 No water abstraction permit' },
      // Every review finishes before the joint refusal, which then gives both departments' reasons.
      approve('planning.handler', 'review.planning'),
      approve('fire.handler', 'review.fire'),
      approve('civil-air-defence.handler', 'review.civil-air-defence'),
      approve('housing.lead', 'refusal', '不予许可 Refused'),
    ],
  },
  {
    serviceItemCode: 'food-business-licence',
    applicant: company('老城厢小笼包餐饮店', '92310000MA1FL2004D'),
    steps: [acceptance, approve('market.handler', 'documentReview'), approve('market.handler', 'inspection', '现场核查符合要求 Site fits')],
  },
  {
    // Both members approved: either deputy director signs (或签).
    serviceItemCode: 'road-occupation',
    applicant: company('外滩脚手架工程有限公司', '91310000MA1FL2009J'),
    steps: [acceptance, approve('traffic-police.handler', 'review.traffic-police'), approve('municipal-roads.handler', 'review.municipal-roads')],
  },
  {
    // The members disagree (意见分歧): the traffic police reconsider first, on the dispute ladder.
    serviceItemCode: 'road-occupation',
    applicant: company('南京东路夜市管理有限公司', '91310000MA1FL2010K'),
    steps: [
      acceptance,
      { user: 'traffic-police.handler', task: 'review.traffic-police', outcome: 'reject', opinion: '占用主干道晚高峰车道 Blocks a main road lane at the evening peak' },
      approve('municipal-roads.handler', 'review.municipal-roads'),
    ],
  },
  {
    // The expert panel votes (票签, two thirds to pass): one for, one against so far.
    serviceItemCode: 'eia-approval',
    applicant: company('金山化工新材料有限公司', '91310000MA1FL2011L'),
    steps: [
      acceptance,
      approve('ecology.handler', 'technicalReview', '报告表编制规范 The report form is complete'),
      approve('expert-panel.expert-1', 'expertPanel.expert-panel.expert-1', '预测方法合理 Sound prediction method'),
      { user: 'expert-panel.expert-2', task: 'expertPanel.expert-panel.expert-2', outcome: 'reject', opinion: '大气防护距离论证不足 Air protection distance not shown' },
    ],
  },
  {
    serviceItemCode: 'business-opening',
    applicant: company('浦东数字科技有限公司', '91310000MA1FL2005E'),
    steps: [
      approve('market.handler', 'registration'),
      approve('police.handler', 'review.police'),
      approve('tax.handler', 'review.tax'),
      approve('social-insurance.handler', 'review.social-insurance'),
      approve('housing-fund.handler', 'review.housing-fund'),
    ],
  },
];

/** The command a step makes on the case: a case command as given, a task step on the task open under its key. */
async function commandOf(sql: Sql, id: CaseId, step: Step): Promise<CaseCommand> {
  if (typeof step === 'function') return step(id);
  const task = await findOpenTaskId(sql, id, step.task);
  if (!task) throw new Error(`Demo case ${id}: no open task ${step.task}`);
  const opinion = { text: step.opinion, visibility: step.visibility ?? 'internal' };
  const request = step.supplementRequest ? { supplementRequest: step.supplementRequest } : {};
  return { type: 'task.complete', actor: demoActor(step.user), taskId: taskId(task), outcome: step.outcome, opinion, ...request };
}

/**
 * The query code (查询码) of every demo case, so that anyone can try the public progress page (`/progress`) with a
 * case number `npm start` prints. A real case's code is drawn at random and shown once.
 */
export const DEMO_QUERY_CODE = 'TRYME234';

/** Creates the demo cases once: only when there are no cases yet, so a second `npm start` reuses the data. */
export async function installDemoCases(sql: Sql, engine: Engine): Promise<number> {
  if (await anyCaseExists(sql)) return 0;
  const queryCodeHash = await hashQueryCode(DEMO_QUERY_CODE);
  for (const demo of DEMO_CASES) {
    const started = await engine.startCase({
      type: 'case.start',
      actor: demoActor('window.clerk'),
      serviceItemCode: demo.serviceItemCode,
      applicant: demo.applicant,
      answers: demo.answers ?? (demo.serviceItemCode === 'construction-permit' ? EVERY_MEMBER_NEEDED : {}),
      materials: [{ name: '申请书 Application form', sha256: '0'.repeat(63) + '1', sizeBytes: 48_213 }],
      queryCodeHash,
    });
    for (const step of demo.steps) await engine.execute(await commandOf(sql, caseId(started.caseId), step));
  }
  return DEMO_CASES.length;
}

/** The demo cases' numbers and statuses (the first cases of the database): what `npm start` prints beside the demo query code. */
export const demoCaseNumbers = (sql: Sql) => earliestCases(sql, DEMO_CASES.length);
