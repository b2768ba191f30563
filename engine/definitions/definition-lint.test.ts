import { describe, expect, it } from 'vitest';
import { constructionPermit, constructionPermitItem } from '../../workflows/construction-permit.js';
import { SHIPPED_DEPARTMENTS } from '../../workflows/departments.js';
import { shippedDefinitions, shippedServiceItems } from '../../workflows/index.js';
import { asStored } from '../../test/unit/support/jsonb-order.js';
import { DEFAULT_LADDER } from '../time/ladder.js';
import { STATUTORY_UNCOUNTED } from '../time/legal-clock.js';
import { lintDefinition, type LintReferences } from './definition-lint.js';
import type { ProcessDefinition } from './process-definition.js';

/**
 * The lint at publish: every shipped definition is clean, and each rule finds a broken copy of a shipped definition
 * (one edit) with its path and state — exactly that finding, nothing else.
 */
type Json = Record<string, any>;
const departments = new Set(SHIPPED_DEPARTMENTS.map((d) => d.code));
const references: LintReferences = { departments, item: constructionPermitItem };
const CP = 'construction-permit';

/** The construction permit with one edit of its machine. */
const broken = (edit: (m: Json) => void): ProcessDefinition => {
  const machine = structuredClone(constructionPermit.machine) as Json;
  edit(machine);
  return { ...constructionPermit, machine } as ProcessDefinition;
};
const decisionTask = (m: Json): Json => m.states.jointDecision.entry[0].params;

describe('the lint of a definition at publish', () => {
  it.each(shippedDefinitions.map((d) => [d.key, d] as const))('%s, with its service item, lints with no error, as written and as stored', (_, definition) => {
    const item = shippedServiceItems.find((i) => i.definitionKey === definition.key);
    expect(lintDefinition(definition, { departments, item })).toMatchObject({ errors: [] });
    expect(lintDefinition(asStored(definition), { departments, item })).toMatchObject({ errors: [] });
  });

  it.each([
    {
      rule: 'does-not-compile',
      edit: (m: Json) => delete m.states.refused.tags,
      path: 'machine.states.refused.tags',
      state: `${CP}.refused`,
    },
    {
      rule: 'vocabulary',
      edit: (m: Json) => (m.states.acceptance.on['task.approved'].guard.type = 'taskIz'),
      path: 'machine.states.acceptance.on.task.approved.guard',
      state: `${CP}.acceptance`,
    },
    {
      rule: 'no-owner',
      edit: (m: Json) => delete decisionTask(m).department,
      path: 'machine.states.jointDecision.entry.0.params.department',
      state: `${CP}.jointDecision`,
    },
    {
      rule: 'no-clock',
      edit: (m: Json) => (decisionTask(m).workingDays = 0),
      path: 'machine.states.jointDecision.entry.0.params.workingDays',
      state: `${CP}.jointDecision`,
    },
    {
      // A reconsideration nothing leads to.
      rule: 'unreachable-state',
      edit: (m: Json) => (m.states.reconsideration = { ...m.states.jointDecision, entry: [{ type: 'openTask', params: { ...decisionTask(m), task: 'reconsideration' } }], exit: [], on: { 'task.approved': 'jointDecision' } }),
      path: 'machine.states.reconsideration',
      state: `${CP}.reconsideration`,
    },
    {
      // Not accepted stops being an end: the case would wait there for ever.
      rule: 'dead-end',
      edit: (m: Json) => delete m.states.notAccepted.type,
      path: 'machine.states.notAccepted',
      state: `${CP}.notAccepted`,
    },
    {
      // The fire review's outcomes stop being final: its region never finishes, the joint review never completes.
      rule: 'region-never-joins',
      edit: (m: Json) => ['approved', 'skipped', 'rejected'].forEach((s) => delete m.states.jointReview.states.fire.states[s].type),
      path: 'machine.states.jointReview.states.fire',
      state: `${CP}.jointReview.fire`,
    },
    {
      rule: 'unknown-department',
      edit: (m: Json) => (m.states.jointReview.states.fire.states.reviewing.entry[0].params.department = 'fire-brigade'),
      path: 'machine.states.jointReview.states.fire.states.reviewing.entry.0.params.department',
      state: `${CP}.jointReview.fire.reviewing`,
    },
    {
      // The fire review asks for drawings under a name the item does not list.
      rule: 'unknown-material',
      edit: (m: Json) => (m.states.jointReview.states.fire.states.reviewing.entry[0].params.materials = ['施工图 Drawings']),
      path: 'machine.states.jointReview.states.fire.states.reviewing.entry.0.params.materials.0',
      state: `${CP}.jointReview.fire.reviewing`,
    },
    {
      rule: 'unknown-clock',
      edit: (m: Json) => m.states.supplement.entry.push({ type: 'stopClock', params: { clock: 'task:acceptence' } }),
      path: 'machine.states.supplement.entry.2.params.clock',
      state: `${CP}.supplement`,
    },
    {
      // Yellow only: nothing is reached once the decision is late.
      rule: 'ladder-never-ends',
      edit: (m: Json) => (decisionTask(m).ladder = DEFAULT_LADDER.slice(0, 1)),
      path: 'machine.states.jointDecision.entry.0.params.ladder',
      state: `${CP}.jointDecision`,
    },
    {
      rule: 'ladder-never-ends',
      edit: (m: Json) => (decisionTask(m).ladder = [...DEFAULT_LADDER, { ...DEFAULT_LADDER[1], name: 'red-again' }]),
      path: 'machine.states.jointDecision.entry.0.params.ladder.3',
      state: `${CP}.jointDecision`,
    },
    {
      // Sending the decision "back" to a refusal: the case never comes back to the decision.
      rule: 'return-never-comes-back',
      edit: (m: Json) => (m.states.jointDecision.on['task.returned'].target = 'refused'),
      path: 'machine.states.jointDecision.on.task.returned',
      state: `${CP}.jointDecision`,
    },
    {
      // Taking the acceptance back into the joint review: the acceptance does not open again.
      rule: 'withdrawal-never-reopens',
      edit: (m: Json) => (m.states.supplement.on['task.withdrawn'].target = 'jointReview'),
      path: 'machine.states.supplement.on.task.withdrawn',
      state: `${CP}.supplement`,
    },
    {
      // Skipped decides again at once, and deciding skips at once: no guard ever stops it.
      rule: 'endless-eventless-loop',
      edit: (m: Json) => {
        const region = m.states.jointReview.states.fire.states;
        delete region.entering.always[0].guard;
        region.skipped = { always: { target: 'entering' } };
      },
      path: 'machine.states.jointReview.states.fire.states.entering.always',
      state: `${CP}.jointReview.fire.entering`,
    },
  ])('$rule: a broken copy is refused with exactly that finding', ({ rule, edit, path, state }) => {
    expect(lintDefinition(broken(edit), references)).toEqual({ errors: [{ rule, path, state, problem: expect.any(String) }], warnings: [] });
  });

  it.each([
    {
      rule: 'over-committed-limit',
      edit: (m: Json) => (decisionTask(m).workingDays = constructionPermitItem.committedLimitDays + 1),
      path: 'machine.states.jointDecision.entry.0.params.workingDays',
      state: `${CP}.jointDecision`,
    },
    {
      // An item that counts the public notice in its limits: the notice's pause stops nothing.
      rule: 'pause-counted-by-item',
      edit: () => {},
      references: { departments, item: { ...constructionPermitItem, uncountedProcedures: STATUTORY_UNCOUNTED } },
      path: 'machine.states.publicNotice.entry.0.params.reason',
      state: `${CP}.publicNotice`,
    },
    {
      rule: 'approval-without-licence',
      edit: (m: Json) => m.states.issued.entry.shift(),
      path: 'machine.states.issued',
      state: `${CP}.issued`,
    },
    {
      rule: 'title-not-bilingual',
      edit: (m: Json) => (decisionTask(m).title = '联合审批决定'),
      path: 'machine.states.jointDecision.entry.0.params.title',
      state: `${CP}.jointDecision`,
    },
    {
      // Skipped sends the region back to decide again, which may skip it again.
      rule: 'eventless-loop',
      edit: (m: Json) => (m.states.jointReview.states.fire.states.skipped = { always: { target: 'entering' } }),
      path: 'machine.states.jointReview.states.fire.states.entering.always',
      state: `${CP}.jointReview.fire.entering`,
    },
  ])('$rule: a warning is shown and does not count as an error', ({ rule, edit, path, state, ...given }) => {
    expect(lintDefinition(broken(edit), 'references' in given ? given.references : references)).toEqual({ errors: [], warnings: [{ rule, path, state, problem: expect.any(String) }] });
  });

  it('says what is wrong in a sentence, naming what it found', () => {
    const [unknown] = lintDefinition(broken((m) => (m.states.jointReview.states.fire.states.reviewing.entry[0].params.department = 'fire-brigade')), references).errors;
    expect(unknown?.problem).toBe('No department has the code fire-brigade, which task review.fire names.');
    const [region, ...others] = lintDefinition(broken((m) => ['approved', 'skipped', 'rejected'].forEach((s) => delete m.states.jointReview.states.fire.states[s].type)), references).errors;
    expect(others).toEqual([]);
    expect(region?.problem).toBe('Region fire of jointReview never reaches a final state of its own, so jointReview never completes.');
  });

  it('a parallel state must be left when its regions are done', () => {
    const lint = lintDefinition(broken((m) => delete m.states.jointReview.onDone), references);
    expect(lint.errors).toContainEqual({ rule: 'region-never-joins', path: 'machine.states.jointReview', state: `${CP}.jointReview`, problem: expect.stringContaining('no onDone') });
    // What only its onDone led to is never entered.
    expect(lint.errors.filter((e) => e.rule === 'unreachable-state').map((e) => e.state)).toEqual([`${CP}.jointDecision`, `${CP}.publicNotice`, `${CP}.issued`]);
  });

  it('checks the department placeholders, a countersign’s signers and a review’s members', () => {
    const lint = lintDefinition(constructionPermit, { departments: new Set([...departments].filter((d) => d !== 'water')), item: constructionPermitItem });
    // The lead and the intake window are the case's own; water is named by its review and by who may add it.
    expect(lint.errors.map((e) => e.path).sort()).toEqual([
      'machine.states.acceptance.on.members.changed.guard.params.optional.1',
      'machine.states.jointReview.states.water.states.entering.always.0.guard.params.department',
      'machine.states.jointReview.states.water.states.reviewing.entry.0.params.department',
    ]);
  });

  it('checks the service item’s ladder when a step climbs it', () => {
    const endless = { ...constructionPermitItem, ladder: DEFAULT_LADDER.slice(0, 1) };
    expect(lintDefinition(constructionPermit, { departments, item: endless }).errors).toEqual([
      { rule: 'ladder-never-ends', path: 'item.ladder', state: null, problem: expect.stringContaining("The service item's ladder") },
    ]);
  });

  it('a definition that does not compile gets only the problems that keep it from compiling', () => {
    // Not accepted is a dead end too, but the graph of a machine that cannot be built is not read.
    const lint = lintDefinition(
      broken((m) => {
        delete m.states.notAccepted.type;
        m.states.acceptance.on['task.approved'].guard.type = 'taskIz';
      }),
      references,
    );
    expect(lint.errors.map((e) => e.rule)).toEqual(['vocabulary']);
  });

  it('a machine without a way to its end is a dead end from the start', () => {
    const lint = lintDefinition(
      broken((m) => {
        for (const end of ['issued', 'refused', 'notAccepted']) delete m.states[end].type;
      }),
      references,
    );
    expect(lint.errors).toContainEqual({ rule: 'dead-end', path: 'machine', state: CP, problem: 'No final state can be reached from the start: a case never ends.' });
    expect(lint.errors.filter((e) => e.rule === 'dead-end')).toHaveLength(1);
  });
});
