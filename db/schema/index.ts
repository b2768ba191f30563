export * from './organization.js';
export * from './catalog.js';
export * from './cases.js';
export * from './delivery.js';
export * from './audit.js';
export * from './access.js';
export * from './supervision-notices.js';
export * from './supervision.js';
