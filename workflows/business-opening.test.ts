import { describe, expect, it } from 'vitest';
import { CommandNotAcceptedError } from '../engine/errors.js';
import { beijing } from '../test/unit/support/calendar.js';
import { CaseWorld } from '../test/unit/support/case-world.js';
import type { ModelSnapshot } from '../test/unit/support/model-state.js';
import { endingsOf, movesOf, workflowSuite } from '../test/unit/support/workflow-model.js';
import { BUSINESS_OPENING_STEPS, businessOpening } from './business-opening.js';

/**
 * Model-based tests of business opening (企业开办, version 2 on the joint-review block): shortest paths to every
 * vertex (one per combination of the four set-up regions' states and per way into each top-level state), plus
 * targeted sequences for the loops a shortest path cannot contain and for withdrawals, which only lead back to
 * vertices already reached. Simple paths are not walked: four parallel regions with return loops give too many.
 * The business licence is issued when registration is approved, before the set-up steps.
 */
const suite = workflowSuite(businessOpening, { licenceIssued: (s: ModelSnapshot) => s.matches('setup') || s.matches('opened') });
const { shortest } = suite;
const departments = BUSINESS_OPENING_STEPS.map((s) => s.department);

describe('business opening model', () => {
  it('reaches opened after each department finishes last, and refused from registration', () => {
    expect(endingsOf(shortest)).toEqual(new Set([...departments.map((d) => `opened <- review.${d}:approve`), 'refused <- registration:reject']));
    const moves = new Set(shortest.flatMap(movesOf));
    for (const d of departments) expect(moves).toContain(`review.${d}:return>correction`);
    // Once the company exists nobody refuses it: no set-up step offers a rejection.
    expect([...moves].filter((m) => m.startsWith('review.') && m.endsWith(':reject'))).toEqual([]);
  });
});

describe('business opening: shortest paths', () => {
  suite.itReplaysEach(shortest);
});

describe('business opening: loops and targeted sequences', () => {
  it('a supplement before registration, then every set-up step returned once and corrected; the company opens', async () => {
    const moves = [
      'registration:return',
      'supplement',
      'registration:approve',
      ...departments.flatMap((d) => [`review.${d}:return>correction`, `correction.${d}:approve`, `review.${d}:approve`]),
    ];
    const world = await suite.replayMoves(moves);
    expect(world.case.status).toBe('approved');
    const registration = [...world.tasks.values()].filter((t) => t.key === 'registration');
    expect(registration.map((t) => t.outcome)).toEqual(['return', 'approve']);
    // The business licence (营业执照) carries the registration's instant, not the last set-up step's.
    expect(world.licences).toEqual([expect.objectContaining({ licenceType: 'bl', issuedAt: registration[1]?.completedAt })]);
  });

  it('a set-up step takes its approval back while the others run, or its return before the correction was made', async () => {
    const approved = await suite.replayMoves(['registration:approve', 'review.tax:approve', 'review.police:approve', 'review.tax:withdraw']);
    expect(approved.openTasks().map((t) => t.key).sort()).toEqual(['review.housing-fund', 'review.social-insurance', 'review.tax']);
    expect(approved.context.outcomes['review.police']?.outcome).toBe('approve');
    const returned = await suite.replayMoves(['registration:approve', 'review.tax:return>correction', 'review.tax:withdraw', 'review.tax:approve']);
    expect([...returned.tasks.values()].filter((t) => t.key.endsWith('.tax')).map((t) => [t.key, t.status])).toEqual([
      ['review.tax', 'withdrawn'],
      ['correction.tax', 'cancelled'],
      ['review.tax', 'completed'],
    ]);
  });

  it('a set-up department cannot refuse: the rejection is refused and nothing changes', () => {
    const world = CaseWorld.start(businessOpening);
    world.complete('registration', 'approve');
    const before = { version: world.case.version, tasks: world.openTasks(), audit: world.audit.length };
    expect(() => world.complete('review.police', 'reject')).toThrow(CommandNotAcceptedError);
    expect({ version: world.case.version, tasks: world.openTasks(), audit: world.audit.length }).toEqual(before);
  });

  it('targets one working day: a case started on Monday morning is due when Tuesday ends, and so is each step', () => {
    const world = CaseWorld.start(businessOpening, { now: beijing('2026-11-30T09:00') });
    expect(world.case.dueAt).toEqual(beijing('2026-12-02T00:00'));
    world.complete('registration', 'approve');
    expect(world.openTasks().map((t) => t.dueAt)).toEqual(departments.map(() => beijing('2026-12-02T00:00')));
  });
});
