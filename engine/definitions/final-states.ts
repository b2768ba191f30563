import type { IssueLicenceParams } from './case-machine.js';
import type { StateConfig } from './definition-parts.js';
import { CASE_OUTCOME_TAGS } from './process-definition.js';

/**
 * The ends a case can reach, as building blocks: each is a final state tagged with how the case ended
 * (the case status is read from the tag) and tells the applicant. Their JSON is what the shipped
 * definitions always held, so using them changes no published checksum.
 */

/** Granted: the licence is issued (电子证照) and the applicant told. */
export function issuedState(licence: IssueLicenceParams): StateConfig {
  return {
    type: 'final',
    tags: [CASE_OUTCOME_TAGS.approved],
    entry: [
      { type: 'issueLicence', params: licence },
      { type: 'notifyApplicant', params: { template: 'licence.issued' } },
    ],
  };
}

/** Granted without a licence of ours, with the applicant told by the template given (e.g. `business.opened`). */
export function grantedState(template: string): StateConfig {
  return { type: 'final', tags: [CASE_OUTCOME_TAGS.approved], entry: [{ type: 'notifyApplicant', params: { template } }] };
}

/** Refused (不予许可) after review; the notice carries the reasons the refusal recorded. */
export const refusedState = (): StateConfig => refusal('case.refused');

/** Not accepted (不予受理) at the window: the application never entered review. */
export const notAcceptedState = (): StateConfig => refusal('case.not-accepted');

function refusal(template: string): StateConfig {
  return { type: 'final', tags: [CASE_OUTCOME_TAGS.refused], entry: [{ type: 'notifyApplicant', params: { template } }] };
}
