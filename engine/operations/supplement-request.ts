import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import type { CaseEffect, NewSupplementRequest } from '../case-effect.js';
import type { TaskRecord } from '../case-record.js';
import { stepMachine, type MachineStep } from '../case-snapshot.js';
import type { CaseFile, LockedCase } from '../case-store.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import type { TaskOutcome } from '../definitions/case-machine.js';
import { SupplementNotOnceError, SupplementRequestInvalidError } from '../errors.js';
import type { ServiceItem } from '../service-item.js';
import type { DecisionEnv } from './decision.js';

/**
 * 一次性告知 (行政许可法 art. 32): a return to the applicant tells them, at once and in one go, every material to
 * supplement and what is wrong with it. A later request of the same case may name only what an earlier one named, or a
 * material the applicant handed in again after the first request (changed, so it may be newly defective).
 */

/** A material named in a supplement request, with what is missing or wrong. */
export interface RequestedMaterial {
  readonly name: string;
  readonly reason: string;
}

/** What a return to the applicant asks for (补正告知). */
export interface SupplementRequestInput {
  readonly materials: readonly RequestedMaterial[];
}

/** A material of the service item, and whether a supplement request may name it now (a page's checklist). */
export interface SupplementChoice {
  readonly name: string;
  /** False: an earlier request did not name it and the applicant has not changed it since (一次性告知). */
  readonly askable: boolean;
}

/**
 * Whether the case, as `snapshot` has it, awaits the applicant's supplement: its state takes `supplement.submitted`.
 * What makes a return a return to the applicant, whatever the definition calls its states.
 */
export function awaitsSupplement(definition: CompiledDefinition, snapshot: unknown): boolean {
  return stepMachine(definition, snapshot, { type: 'supplement.submitted' }).accepted;
}

/** Each material of the item, in its order, and whether a request may name it now. */
export function supplementChoices(item: ServiceItem, file: CaseFile): SupplementChoice[] {
  return item.materials.map(({ name }) => ({ name, askable: askable(name, file) }));
}

/**
 * The supplement request a completion makes, checked, or null when it makes none: only a return whose step awaits the
 * applicant's supplement makes one, and must. Refused (422) when the request is missing, empty, names a material the
 * service item does not list or one twice, or gives a material no reason, or when a completion that does not go to the
 * applicant carries one; refused (409) when a later request names a material it may not (`SupplementNotOnceError`).
 */
export function requestedSupplement(
  locked: LockedCase,
  task: TaskRecord,
  completion: { readonly outcome: TaskOutcome; readonly actor: Actor; readonly supplementRequest?: SupplementRequestInput | undefined },
  step: MachineStep,
  env: DecisionEnv,
): NewSupplementRequest | null {
  const request = completion.supplementRequest;
  // The approval (the hot path) never steps the machine a second time.
  if (completion.outcome !== 'return' || !awaitsSupplement(env.definition, step.snapshot)) {
    if (request) throw new SupplementRequestInvalidError(task.id, 'only a return to the applicant asks for a supplement');
    return null;
  }
  if (!request) throw new SupplementRequestInvalidError(task.id, 'a return to the applicant names every material to supplement, with its reason (一次性告知)');
  const { caseFile } = locked;
  const item = env.serviceItem;
  if (!caseFile || !item) throw new Error('A return to the applicant is decided with the case file and the service item: its reference asks for the case file');
  return {
    id: randomUUID(),
    caseId: locked.case.id,
    taskId: task.id,
    materials: checkedMaterials(locked.case.id, task.id, request, item, caseFile),
    requestedBy: completion.actor.userId,
    requestedAt: env.now,
  };
}

/** The applicant's notifications planned with the request carry its list: what to supplement and why. */
export function withRequestedMaterials(effects: readonly CaseEffect[], request: NewSupplementRequest | null): CaseEffect[] {
  if (!request) return [...effects];
  return effects.map((e) =>
    e.type === 'notification.send' && 'applicant' in e.notification.audience
      ? { ...e, notification: { ...e.notification, data: { ...e.notification.data, materials: request.materials } } }
      : e,
  );
}

function checkedMaterials(caseId: string, taskId: string, request: SupplementRequestInput, item: ServiceItem, file: CaseFile): readonly RequestedMaterial[] {
  const refuse = (reason: string, ...path: (string | number)[]) => new SupplementRequestInvalidError(taskId, reason, ['supplementRequest', ...path]);
  if (request.materials.length === 0) throw refuse('it names no material', 'materials');
  const listed = new Set(item.materials.map((m) => m.name));
  request.materials.forEach((m, i) => {
    if (!listed.has(m.name)) throw refuse(`the service item lists no material ${m.name}`, 'materials', i, 'name');
    if (request.materials.findIndex((other) => other.name === m.name) !== i) throw refuse(`it names ${m.name} twice`, 'materials', i, 'name');
    if (m.reason.trim() === '') throw refuse(`it gives no reason for ${m.name}`, 'materials', i, 'reason');
  });
  const refused = request.materials.filter((m) => !askable(m.name, file)).map((m) => m.name);
  if (refused.length > 0) throw new SupplementNotOnceError(caseId, refused);
  return request.materials.map(({ name, reason }) => ({ name, reason }));
}

/**
 * Whether a request may name the material now: always on the first request; later, when an earlier request named it, or
 * its latest version was handed in after the first request.
 */
function askable(name: string, file: CaseFile): boolean {
  const [first] = file.supplementRequests;
  if (!first) return true;
  if (file.supplementRequests.some((r) => r.materials.some((m) => m.name === name))) return true;
  const latest = file.materials.filter((m) => m.name === name).reduce<CaseFile['materials'][number] | null>((a, m) => (a && a.version >= m.version ? a : m), null);
  return latest !== null && latest.submittedAt > first.requestedAt;
}
