import type { RouteRecordRaw } from 'vue-router';

/** Process designers keep the catalogue and its processes (`catalog.design`, `catalog.publish`, `definition.migrate`: designers only). */
export default [
  {
    path: '/designer',
    name: 'designer',
    component: () => import('./DesignerPage.vue'),
    meta: { roles: ['designer'], nav: { label: 'designer.nav', order: 70 } },
  },
] satisfies RouteRecordRaw[];
