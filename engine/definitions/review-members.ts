import type { Answer, CaseContext } from './case-machine.js';
import { declaredGuards } from './declared-guards.js';
import type { ProcessDefinition } from './process-definition.js';
import { joinsReview, type MemberChange, type MembershipParams } from './review-membership.js';

/** A member department of a joint review as a case has it now: whether it takes part, and why. */
export interface ReviewMember {
  readonly department: string;
  readonly required: boolean;
  readonly joins: boolean;
  /** The application's answer an optional member follows, and what the application said. */
  readonly whenAnswer: string | null;
  readonly answer: Answer | null;
  /** The lead's decision on this member, with its reason, when it made one. */
  readonly change: MemberChange | null;
}

export interface ReviewMembers {
  readonly review: string;
  readonly members: readonly ReviewMember[];
}

/** The joint reviews a definition declares, with each member's part in this case (from its context). */
export function reviewMembers(definition: Pick<ProcessDefinition, 'machine'>, context: CaseContext): ReviewMembers[] {
  const byReview = new Map<string, ReviewMember[]>();
  // A member region enters on `joinsReview` or leaves on its negation `skipsReview` (the joint-review block's way).
  const declared = ['joinsReview', 'skipsReview'].flatMap((type) => declaredGuards<MembershipParams>(definition.machine, type));
  for (const p of declared) {
    const members = byReview.get(p.review) ?? [];
    if (members.some((m) => m.department === p.department)) continue;
    members.push({
      department: p.department,
      required: p.required,
      joins: joinsReview(context, p),
      whenAnswer: p.whenAnswer ?? null,
      answer: p.whenAnswer === undefined ? null : (context.answers?.[p.whenAnswer] ?? null),
      change: context.memberChanges?.[p.review]?.[p.department] ?? null,
    });
    byReview.set(p.review, members);
  }
  // Stored as jsonb, a definition keeps no order of its regions' keys: required members first, then by code.
  const ordered = (members: ReviewMember[]) => members.sort((a, b) => Number(b.required) - Number(a.required) || a.department.localeCompare(b.department));
  return [...byReview].map(([review, members]) => ({ review, members: ordered(members) }));
}
