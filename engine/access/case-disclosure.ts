import type { Actor } from './actor.js';
import type { Applicant } from '../case-record.js';
import { applicantSeenBy, type ApplicantContact } from './applicant-visibility.js';
import type { MaterialNeeds } from './material-visibility.js';
import { opinionVisibleTo, outcomeFacts, taskOutcomeVisibleTo, type OpinionFacts } from './opinion-visibility.js';
import { visibleTimeline, type TimelineEntry, type TimelineEvent } from './timeline-visibility.js';

/** A task as far as what a viewer learns of it matters. */
export interface TaskFacts {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly outcome: string | null;
}

/**
 * A case as stored, the parts whose reading depends on the viewer. Tasks and opinions may carry more
 * fields, which pass through untouched; timeline events are copied field by field (`visibleTimeline`).
 */
/** A comment (批注) as far as who may read it matters: read by the rules of opinions. */
export type CommentFacts = Pick<OpinionFacts, 'departmentCode' | 'visibility'>;

export interface StoredCase<T extends TaskFacts, O extends OpinionFacts, C extends CommentFacts = CommentFacts> {
  readonly record: ApplicantContact & { readonly status: string; readonly applicant: Applicant };
  readonly tasks: readonly T[];
  readonly opinions: readonly O[];
  readonly comments: readonly C[];
  readonly timeline: readonly TimelineEvent[];
}

/** What one viewer reads of those parts. */
export interface DisclosedCase<T extends TaskFacts, O extends OpinionFacts, C extends CommentFacts = CommentFacts> {
  readonly applicant: Applicant;
  /** Every task, its `outcome` null where the viewer may not learn it yet. */
  readonly tasks: readonly T[];
  /** The opinions the viewer may read. */
  readonly opinions: readonly O[];
  /** The comments the viewer may read: as if each were an opinion of its department. */
  readonly comments: readonly C[];
  readonly timeline: readonly TimelineEntry[];
}

/**
 * What a viewer reads of a case they may read at all (deny by default is the query's affair): the
 * applicant's personal data in full or masked (`applicant-visibility.ts`), other departments' internal
 * opinions and the outcomes they give once the joint decision is made, and comments by the same rules (`opinion-visibility.ts`), the
 * timeline with outcomes, supervision and the materials the viewer's department does not see (`needs`, from the case's
 * definition: `materialNeeds`) withheld as those rules say (`timeline-visibility.ts`). The API renders the result.
 */
export function discloseCase<T extends TaskFacts, O extends OpinionFacts, C extends CommentFacts>(
  viewer: Actor,
  stored: StoredCase<T, O, C>,
  needs: ReadonlyMap<string, MaterialNeeds>,
): DisclosedCase<T, O, C> {
  const facts = outcomeFacts(stored.record, stored.tasks, stored.opinions);
  return {
    applicant: applicantSeenBy(viewer, stored.record),
    tasks: stored.tasks.map((t) => (taskOutcomeVisibleTo(viewer, t.id, facts) ? t : { ...t, outcome: null })),
    opinions: stored.opinions.filter((o) => opinionVisibleTo(viewer, o, facts)),
    comments: stored.comments.filter((c) => opinionVisibleTo(viewer, c, facts)),
    timeline: visibleTimeline(viewer, stored.timeline, facts, needs),
  };
}
