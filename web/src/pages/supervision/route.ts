import type { RouteRecordRaw } from 'vue-router';

/** Supervisors read every department; a lead reads their own (the API scopes what they see). */
export default [
  {
    path: '/supervision',
    name: 'supervision',
    component: () => import('./SupervisionPage.vue'),
    meta: { roles: ['supervisor', 'lead'], nav: { label: 'supervision.nav', order: 30 } },
  },
] satisfies RouteRecordRaw[];
