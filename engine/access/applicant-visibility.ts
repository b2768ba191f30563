import type { Actor } from './actor.js';
import type { Applicant } from '../case-record.js';
import { maskIdNumber, maskPhone } from './personal-data-mask.js';

/** The departments of a case that meet the applicant. */
export interface ApplicantContact {
  readonly intakeDepartment: string;
  readonly leadDepartment: string;
}

/**
 * Whether the viewer deals with the applicant and so reads their personal data in full: the intake window
 * takes the application and asks for supplements, the lead department gives the joint decision. Every other
 * department, and a supervisor, sees it masked (a supervisor reads it in full only through an audited
 * personal-data read).
 */
function dealsWithApplicant(viewer: Actor, contact: ApplicantContact): boolean {
  return viewer.departmentCode === contact.intakeDepartment || viewer.departmentCode === contact.leadDepartment;
}

/**
 * The applicant as the viewer may see them: in full for those who deal with the applicant, otherwise
 * with the ID number and phone masked (`personal-data-mask.ts`); the name and ID type are always shown.
 *
 * @example applicantSeenBy(fireHandler, record) // { name: '张三', idNumber: '1101**********1234' }
 */
export function applicantSeenBy(viewer: Actor, record: ApplicantContact & { readonly applicant: Applicant }): Applicant {
  const { applicant } = record;
  if (dealsWithApplicant(viewer, record)) return applicant;
  // The ID type is no personal data: it says how to read the masked number.
  return {
    name: applicant.name,
    ...(applicant.idType ? { idType: applicant.idType } : {}),
    idNumber: maskIdNumber(applicant.idNumber),
    ...(applicant.phone ? { phone: maskPhone(applicant.phone) } : {}),
  };
}
