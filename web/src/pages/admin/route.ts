import type { RouteRecordRaw } from 'vue-router';

/** Administrators; supervisors too, for the security log (`security-log.read`), its only tab they see. */
export default [
  {
    path: '/admin',
    name: 'admin',
    component: () => import('./AdminPage.vue'),
    meta: { roles: ['admin', 'supervisor'], nav: { label: 'admin.nav', order: 90 } },
  },
] satisfies RouteRecordRaw[];
