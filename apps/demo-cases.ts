import type { Engine } from '../engine/engine.js';
import type { TaskOutcome } from '../engine/definitions/case-machine.js';
import { taskId } from '../engine/ids.js';
import type { Sql } from '../db/connection.js';
import { anyCaseExists } from '../db/case-queries.js';
import { findOpenTaskId } from '../db/task-queries.js';
import { demoActor } from './demo-users.js';

interface Step {
  readonly user: string;
  readonly task: string;
  readonly outcome: TaskOutcome;
  readonly opinion: string;
}

interface DemoCase {
  readonly serviceItemCode: string;
  readonly applicant: { name: string; idNumber: string; phone: string };
  readonly steps: readonly Step[];
}

const approve = (user: string, task: string, opinion = '同意 Approved'): Step => ({ user, task, outcome: 'approve', opinion });
const acceptance = approve('window.clerk', 'acceptance', '材料齐全，予以受理 Complete, accepted');
const company = (name: string, idNumber: string) => ({ name, idNumber, phone: '+86 21 6000 0000' });

/**
 * A few cases in different states, made by real commands so each has its tasks, opinions and audit trail:
 * waiting at the window, in joint review, refused, waiting for the lead's sign-off, and a business opened.
 */
const DEMO_CASES: readonly DemoCase[] = [
  { serviceItemCode: 'construction-permit', applicant: company('上海浦江建设有限公司', '91310000MA1FL2001A'), steps: [] },
  {
    serviceItemCode: 'construction-permit',
    applicant: company('申城置业发展有限公司', '91310000MA1FL2002B'),
    steps: [acceptance, approve('planning.handler', 'review.planning'), approve('fire.handler', 'review.fire', '消防设计符合 GB 50016')],
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

/** Creates the demo cases once: only when there are no cases yet, so a second `npm start` reuses the data. */
export async function installDemoCases(sql: Sql, engine: Engine): Promise<number> {
  if (await anyCaseExists(sql)) return 0;
  for (const demo of DEMO_CASES) {
    const started = await engine.startCase({
      type: 'case.start',
      actor: demoActor('window.clerk'),
      serviceItemCode: demo.serviceItemCode,
      applicant: demo.applicant,
      materials: [{ name: '申请书 Application form', sha256: '0'.repeat(63) + '1', sizeBytes: 48_213 }],
    });
    for (const step of demo.steps) {
      const task = await findOpenTaskId(sql, started.caseId, step.task);
      if (!task) throw new Error(`Demo case ${demo.serviceItemCode}: no open task ${step.task}`);
      await engine.execute({
        type: 'task.complete',
        actor: demoActor(step.user),
        taskId: taskId(task),
        outcome: step.outcome,
        opinion: { text: step.opinion, visibility: 'internal' },
      });
    }
  }
  return DEMO_CASES.length;
}
