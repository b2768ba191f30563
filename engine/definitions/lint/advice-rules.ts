import { CASE_OUTCOME_TAGS } from '../process-definition.js';
import type { DeclaredParts } from './declared-parts.js';
import { finding, type LintFinding, type LintReferences } from './lint-finding.js';
import { isHumanStep } from './reference-rules.js';

/**
 * Warnings: what is allowed but rarely meant — a step given more time than the whole case is promised, a pause the
 * service item does not grant, an approval that issues no licence, a title the workspace cannot show in both its
 * languages.
 */
export function adviceFindings(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  return [...overCommittedSteps(parts, references), ...countedPauses(parts, references), ...approvalsWithoutLicence(parts), ...untranslatedTitles(parts)];
}

const PAUSES: readonly string[] = ['pauseCaseClocks', 'pauseClock'];

/**
 * A pause for a procedure the service item counts in its limits (not in its `uncountedProcedures`): the clocks
 * pinned to the item do not stop for it (`pausesFor`), so the time the definition meant to leave out is counted.
 */
function countedPauses(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  const uncounted: readonly string[] | undefined = references.item?.uncountedProcedures;
  if (uncounted === undefined) return [];
  return parts.actions
    .filter((a) => PAUSES.includes(a.type) && typeof a.params['reason'] === 'string' && !uncounted.includes(a.params['reason']))
    .map((a) =>
      finding(
        'pause-counted-by-item',
        `${a.path}.params.reason`,
        a.state,
        `${a.type} stops the clocks for ${String(a.params['reason'])}, which the service item counts in its limits: its clocks keep running (the item leaves out ${uncounted.join(', ')}).`,
      ),
    );
}

/** A step whose working days exceed the item's committed limit (承诺时限) can only make the case late. */
function overCommittedSteps(parts: DeclaredParts, references: LintReferences): LintFinding[] {
  const limit = references.item?.committedLimitDays;
  if (limit === undefined) return [];
  return parts.actions
    .filter((a) => isHumanStep(a) && typeof a.params['workingDays'] === 'number' && a.params['workingDays'] > limit)
    .map((a) =>
      finding(
        'over-committed-limit',
        `${a.path}.params.workingDays`,
        a.state,
        `${String(a.params['title'])} is given ${String(a.params['workingDays'])} working days, more than the ${limit} the service item commits to for the whole case.`,
      ),
    );
}

/**
 * An approval (a final state tagged approved) in a definition that issues no licence (电子证照) anywhere, on entering
 * a state or on a transition (business opening issues its licence on the registration): the applicant gets nothing
 * to show for it.
 */
function approvalsWithoutLicence(parts: DeclaredParts): LintFinding[] {
  if (parts.actions.some((a) => a.type === 'issueLicence')) return [];
  return parts.states
    .filter((s) => s.config['type'] === 'final' && Array.isArray(s.config['tags']) && s.config['tags'].includes(CASE_OUTCOME_TAGS.approved))
    .map((s) => finding('approval-without-licence', s.path, s.id, `${s.path.split('.').at(-1) ?? s.id} approves the application, but the definition issues no licence (issueLicence).`));
}

const CHINESE = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

/** Titles are "中文 English": the workspace shows a step in either language. */
function untranslatedTitles(parts: DeclaredParts): LintFinding[] {
  return parts.actions
    .filter((a) => isHumanStep(a) && typeof a.params['title'] === 'string' && !(CHINESE.test(a.params['title']) && LATIN.test(a.params['title'])))
    .map((a) => finding('title-not-bilingual', `${a.path}.params.title`, a.state, `The title "${String(a.params['title'])}" is not in both languages: write it "中文 English".`));
}
