/**
 * Who takes part in a joint review, decided at run time from the case: a required member always; an optional
 * one when the application's answer `whenAnswer` is truthy (a project with a basement needs civil air defence);
 * and whatever the lead department decided at acceptance, adding or removing an optional member with a reason,
 * overrides the answer.
 */
export interface MembershipParams {
  readonly review: string;
  readonly department: string;
  readonly required: boolean;
  /** The application's answer that brings an optional member in. */
  readonly whenAnswer?: string | undefined;
}

/** The lead's decision on one department of a review, with the reason the audit and the case page show. */
export interface MemberChange {
  readonly joins: boolean;
  readonly reason: string;
}

/** What membership reads of the case's context: the lead's changes and the application's answers. */
export interface MembershipFacts {
  readonly memberChanges?: Readonly<Record<string, Readonly<Record<string, MemberChange>>>>;
  readonly answers?: Readonly<Record<string, string | number | boolean>>;
}

export function joinsReview(context: MembershipFacts, p: MembershipParams): boolean {
  if (p.required) return true;
  const change = context.memberChanges?.[p.review]?.[p.department];
  if (change) return change.joins;
  const answer = p.whenAnswer === undefined ? undefined : context.answers?.[p.whenAnswer];
  return answer !== undefined && answer !== false && answer !== 0 && answer !== '';
}
