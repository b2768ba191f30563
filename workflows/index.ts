import type { ProcessDefinition } from '../engine/definitions/process-definition.js';
import type { ServiceItem } from '../engine/service-item.js';
import { businessOpening, businessOpeningItem } from './business-opening.js';
import { constructionPermit, constructionPermitItem } from './construction-permit.js';
import { eiaApproval, eiaApprovalItem } from './eia-approval.js';
import { foodBusinessLicence, foodBusinessLicenceItem } from './food-business-licence.js';
import { roadOccupation, roadOccupationItem } from './road-occupation.js';

/** The processes Tongban ships, published at start (a published version is never changed). */
export const shippedDefinitions: readonly ProcessDefinition[] = [constructionPermit, businessOpening, foodBusinessLicence, roadOccupation, eiaApproval];

/**
 * The service items Tongban ships: seeds of the catalogue (`seedServiceItems`), never over a designer's publication.
 * A shipped item whose content changes gets a new version (`published-checksums.test.ts`). Version 2 of each added
 * its type, scope, legal basis version, participating departments and materials; version 1 is what databases
 * installed before the catalogue kept versions have.
 */
export const shippedServiceItems: readonly ServiceItem[] = [constructionPermitItem, businessOpeningItem, foodBusinessLicenceItem, roadOccupationItem, eiaApprovalItem];
