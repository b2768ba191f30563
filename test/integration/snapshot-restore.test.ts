import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { restoreSnapshot, startMachine, stepMachine } from '../../engine/case-snapshot.js';
import type { CaseEvent } from '../../engine/definitions/case-machine.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { startInJointReview, complete } = caseDriver(() => f);

const approved = (task: string, department: string): CaseEvent => ({ type: 'task.approved', task, department });

describe('a case restored from its stored snapshot', () => {
  it('behaves exactly like the same case kept in memory', async () => {
    const caseId = await startInJointReview();
    await complete('fire.handler', 'review.fire', caseId);
    const [row] = await f.sql`select snapshot, definition_version from cases where id = ${caseId}`;
    const definition = await f.catalog.definition('construction-permit', row?.['definition_version'] as number);

    // The same history, in memory only, from the same answers.
    let live = startMachine(definition, { answers: CONSTRUCTION_APPLICATION.answers });
    for (const event of [approved('acceptance', 'window'), approved('review.fire', 'fire')]) live = stepMachine(definition, live.snapshot, event);

    const stored = row?.['snapshot'];
    expect(stored).toEqual(JSON.parse(JSON.stringify(live.snapshot)));

    const remaining = ['planning', 'ecology', 'civil-air-defence', 'water'].map((d) => approved(`review.${d}`, d));
    let fromStore = restoreSnapshot(definition, stored);
    let inMemory = restoreSnapshot(definition, live.snapshot);
    for (const event of remaining) {
      const [a, actionsA] = transition(definition.stateMachine, fromStore, event);
      const [b, actionsB] = transition(definition.stateMachine, inMemory, event);
      expect(a.value).toEqual(b.value);
      expect(a.context).toEqual(b.context);
      expect(actionsA.map((x) => [x.type, x.params])).toEqual(actionsB.map((x) => [x.type, x.params]));
      fromStore = a;
      inMemory = b;
    }
    expect(fromStore.value).toBe('jointDecision');
  });
});
