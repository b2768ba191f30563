import { textProblem, type TextProblem } from './notice-form.js';

/**
 * The case page's forms checked before sending, with the API's own limits (`api/schemas.ts`, `api/routes/clocks.ts`,
 * `api/routes/urge.ts`): an opinion, an extension, a special procedure's notice, an urge, a supplement's materials.
 * Each check names what is wrong, for the page to say it in the reader's language. No DOM, no Vue: unit-tested.
 */
export const MOVE_LIMITS = {
  opinion: 10_000,
  reason: 2000,
  legalBasis: 500,
  notice: 2000,
  urge: { min: 2, max: 1000 },
  materialName: 200,
  materialBytes: 1_073_741_824,
  supplementReason: 1000,
} as const;

/**
 * What is wrong with an opinion: every outcome states one, and a refusal or a return owes the applicant its
 * reasons (行政许可法 art. 38), so an empty one is named for what it lacks.
 */
export function opinionProblem(outcome: string, text: string): 'reasonsRequired' | 'opinionRequired' | 'tooLong' | null {
  const wrong = textProblem(text, MOVE_LIMITS.opinion);
  if (wrong === 'required') return outcome === 'approve' ? 'opinionRequired' : 'reasonsRequired';
  return wrong;
}

/** What is wrong with the working days of an extension, of which `max` are still allowed. */
export function extensionDaysProblem(days: number | null | undefined, max: number): 'range' | null {
  return days === null || days === undefined || !Number.isInteger(days) || days < 1 || days > max ? 'range' : null;
}

/** An urge says something: from 2 to 1000 characters. */
export function urgeProblem(message: string): 'length' | null {
  const length = message.trim().length;
  return length < MOVE_LIMITS.urge.min || length > MOVE_LIMITS.urge.max ? 'length' : null;
}

/** A material recorded on paper is named, with its SHA-256 digest (64 lowercase hex digits) and its size in bytes. */
export function materialProblems(m: { name: string; sha256: string; sizeBytes: number | null | undefined }): { name: TextProblem | null; sha256: 'format' | null; sizeBytes: 'range' | null } {
  const size = m.sizeBytes;
  return {
    name: textProblem(m.name, MOVE_LIMITS.materialName),
    sha256: /^[0-9a-f]{64}$/.test(m.sha256) ? null : 'format',
    sizeBytes: size === null || size === undefined || !Number.isInteger(size) || size < 0 || size > MOVE_LIMITS.materialBytes ? 'range' : null,
  };
}

/** A material of the item in a return's checklist (补正告知): chosen or not, and what is wrong with it. */
export interface SupplementChoice {
  readonly name: string;
  /** False: the first request did not name it and the applicant has not changed it since (一次性告知). */
  readonly askable: boolean;
  chosen: boolean;
  reason: string;
}

/**
 * Whether the return being chosen goes to the applicant and so names what to supplement: a target that asks for it, or
 * — a fixed return, no targets offered — the materials the move offers.
 */
export function returnAsksSupplement(
  outcome: string,
  returnTo: string,
  targets: readonly { readonly to: string; readonly asksSupplement: boolean }[],
  materials: readonly unknown[],
): boolean {
  if (outcome !== 'return') return false;
  return targets.length === 0 ? materials.length > 0 : targets.some((r) => r.to === returnTo && r.asksSupplement);
}

/** What is wrong with the checklist: nothing chosen, or a chosen material without its reason or with one over the API's limit. */
export function supplementProblem(choices: readonly SupplementChoice[]): 'noneChosen' | 'reasonRequired' | 'tooLong' | null {
  const chosen = choices.filter((c) => c.chosen && c.askable);
  if (chosen.length === 0) return 'noneChosen';
  const wrong = chosen.map((c) => textProblem(c.reason, MOVE_LIMITS.supplementReason)).find((p) => p !== null);
  return wrong === 'required' ? 'reasonRequired' : (wrong ?? null);
}

/** The request the checklist makes: every chosen material with its reason, in the item's order. */
export function supplementRequestOf(choices: readonly SupplementChoice[]): { materials: { name: string; reason: string }[] } {
  return { materials: choices.filter((c) => c.chosen && c.askable).map((c) => ({ name: c.name, reason: c.reason.trim() })) };
}
