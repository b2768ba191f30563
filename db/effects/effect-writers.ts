import type { CaseEffect } from '../../engine/case-effect.js';
import { CASE_CLOCKS_WRITER } from './case-clocks-writer.js';
import { CASE_CLOSE_WRITER } from './case-close-writer.js';
import { CASE_FILE_WRITERS } from './case-file-writers.js';
import { SUPPLEMENT_REQUEST_WRITERS } from './supplement-request-writers.js';
import { DEADLINE_WRITERS } from './deadline-writers.js';
import { DELEGATION_WRITERS } from './delegation-writers.js';
import { TAKE_OVER_WRITER } from './take-over-writer.js';
import type { CommitCheck, EffectWriter, EffectWriters, PayloadDraft } from './effect-writer.js';
import { COPY_WRITERS } from './copy-writers.js';
import { NOTICE_WRITERS } from './notice-writers.js';
import { NOTIFICATION_WRITER } from './notification-writer.js';
import { TASK_WRITERS } from './task-writers.js';
import { TIMER_WRITERS } from './timer-writers.js';

/**
 * How each kind of effect is written, by kind: the one table `commit-payload.ts` fills the payload from and
 * `commit-statement.ts` takes its arms from, in this order (the statement's text is fixed, so PostgreSQL
 * prepares it once per connection). A kind added to `CaseEffect` without a writer here does not compile;
 * `test/integration/effect-contract.test.ts` holds each writer to the in-memory world of the unit tests.
 */
export const EFFECT_WRITERS: EffectWriters = {
  ...TASK_WRITERS,
  ...DELEGATION_WRITERS,
  ...TAKE_OVER_WRITER,
  ...CASE_FILE_WRITERS,
  ...SUPPLEMENT_REQUEST_WRITERS,
  ...TIMER_WRITERS,
  ...DEADLINE_WRITERS,
  ...CASE_CLOCKS_WRITER,
  ...NOTIFICATION_WRITER,
  ...NOTICE_WRITERS,
  ...COPY_WRITERS,
  ...CASE_CLOSE_WRITER,
};

/** Puts one effect into the payload with its kind's writer. */
export function writeEffect<E extends CaseEffect>(effect: E, payload: PayloadDraft): void {
  // The table is keyed by kind, so this is E's writer; TypeScript cannot follow a key to its entry's type.
  (EFFECT_WRITERS[effect.type] as EffectWriter<E>).write(effect, payload);
}

/** Every writer's arms, in the table's order; `caseId` is the statement's SQL for the case's id. */
export const effectArms = (caseId: string): string[] => Object.values(EFFECT_WRITERS).flatMap((w) => [...w.arms(caseId)]);

/** Every writer's checks, in the table's order. */
export const effectChecks: readonly CommitCheck[] = Object.values(EFFECT_WRITERS).flatMap((w) => w.checks ?? []);
