import { describe, expect, it } from 'vitest';
import { CATALOGUE_DEFAULTS } from '../../test/unit/support/catalogue-entry.js';
import type { ModelSnapshot } from '../../test/unit/support/model-state.js';
import { endingsOf, movesOf, workflowSuite } from '../../test/unit/support/workflow-model.js';
import { onOutcome, taskState } from './definition-parts.js';
import { CASE_OUTCOME_TAGS, compileDefinition, type ProcessDefinition } from './process-definition.js';
import { SINGLE_DEPARTMENT_EXTENSION, type ServiceItem } from '../service-item.js';
import { DEFAULT_COUNTING_RULE } from '../time/counting-rule.js';
import { DEFAULT_LADDER } from '../time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../time/legal-clock.js';

/**
 * A public notice (公示) that an objection can cut short: the applicant's answer to it (a supplement) sends
 * the case back to review, and approval starts a new notice. The notice state is written as definitions
 * write it, with `startPeriod` on entry and nothing on exit.
 */
const noticeWithObjection: ProcessDefinition = {
  key: 'notice-objection',
  version: 1,
  title: 'Public notice with objections',
  machine: {
    id: 'notice-objection',
    context: { outcomes: {}, rejections: [] },
    initial: 'review',
    states: {
      review: taskState(
        { task: 'review', kind: 'review', title: '规划审查 Planning review', department: 'planning', workingDays: 3 },
        { 'task.approved': onOutcome('review', 'publicNotice'), 'task.rejected': onOutcome('review', 'refused') },
      ),
      publicNotice: {
        entry: [{ type: 'startPeriod', params: { period: 'publicNotice', workingDays: 5 } }],
        on: {
          'period.ended': { guard: { type: 'periodIs', params: { period: 'publicNotice' } }, target: 'issued' },
          'supplement.submitted': 'review',
        },
      },
      issued: {
        type: 'final',
        tags: [CASE_OUTCOME_TAGS.approved],
        entry: [
          { type: 'issueLicence', params: { licenceType: 'pn', title: 'Permit' } },
          { type: 'notifyApplicant', params: { template: 'licence.issued' } },
        ],
      },
      refused: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused], entry: [{ type: 'notifyApplicant', params: { template: 'case.refused' } }] },
    },
  },
};

const item: ServiceItem = {
  ...CATALOGUE_DEFAULTS,
  code: 'notice-objection',
  name: 'Notice with objections',
  legalBasis: 'test',
  leadDepartment: 'housing',
  legalLimitDays: 20,
  committedLimitDays: 20,
  definitionKey: 'notice-objection',
  calendarCode: 'cn',
  countingRule: DEFAULT_COUNTING_RULE,
  extension: SINGLE_DEPARTMENT_EXTENSION,
  uncountedProcedures: STATUTORY_UNCOUNTED,
  ladder: DEFAULT_LADDER,
};

// `expectInvariants` holds the case's pending period timers equal to the periods the model's active states
// started, after every step.
const suite = workflowSuite(noticeWithObjection, { licenceIssued: (s: ModelSnapshot) => s.matches('issued') }, { item });

describe('a period lasts while the state that started it is active', () => {
  it('the model walks out of the notice by an objection as well as by its end', () => {
    expect(endingsOf(suite.shortest)).toEqual(new Set(['issued <- period:publicNotice', 'refused <- review:reject']));
    expect(suite.shortest.map(movesOf)).toContainEqual(['review:approve', 'supplement']);
  });

  describe('every shortest path', () => {
    suite.itReplaysEach(suite.shortest);
  });

  it('an objection cancels the running notice; the next notice is the only one that fires', async () => {
    const world = await suite.replayMoves(['review:approve', 'supplement', 'review:approve', 'period:publicNotice']);
    const periods = [...world.timers.values()].filter((t) => t.kind === 'period');
    expect(periods.map((t) => t.status)).toEqual(['cancelled', 'fired']);
    expect(world.audit.filter((a) => a.type === 'period.ended')).toHaveLength(1);
    expect(world.case.status).toBe('approved');
  });

  it('the stored definition stays as written: the exit is added to the compiled machine only', () => {
    const compiled = compileDefinition(noticeWithObjection);
    expect(compiled.machine).toBe(noticeWithObjection.machine);
    expect(compiled.stateMachine.states['publicNotice']?.exit).toEqual([
      expect.objectContaining({ type: 'cancelPeriod', params: { period: 'publicNotice' } }),
    ]);
  });
});
