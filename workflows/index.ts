import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import type { ServiceItem } from '../engine/service-item.js';
import { businessOpening, businessOpeningItem } from './business-opening.js';
import { constructionPermit, constructionPermitItem } from './construction-permit.js';
import { eiaApproval, eiaApprovalItem } from './eia-approval.js';
import { foodBusinessLicence, foodBusinessLicenceItem } from './food-business-licence.js';
import { roadOccupation, roadOccupationItem } from './road-occupation.js';

/** The processes Tongban ships, published at start (a published version is never changed). */
export const shippedDefinitions: readonly ProcessDefinition[] = [constructionPermit, businessOpening, foodBusinessLicence, roadOccupation, eiaApproval];

export const shippedServiceItems: readonly ServiceItem[] = [constructionPermitItem, businessOpeningItem, foodBusinessLicenceItem, roadOccupationItem, eiaApprovalItem];
