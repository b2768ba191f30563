import type { ServiceItem } from '../../../engine/service-item.js';

/** What a test's service item leaves as the catalogue would default it: its first version, on its definition's first. */
export const CATALOGUE_DEFAULTS = {
  version: 1,
  definitionVersion: 1,
  type: 'administrative-licence',
  legalBasisVersion: '',
  scope: '',
  participatingDepartments: [],
  materials: [],
} as const satisfies Partial<ServiceItem>;
