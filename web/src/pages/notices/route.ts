import type { RouteRecordRaw } from 'vue-router';

/** The people of a department that a 督办 may be sent to: the intake window, handlers and leads. */
export default [
  {
    path: '/notices',
    name: 'notices',
    component: () => import('./NoticesPage.vue'),
    meta: { roles: ['intake_clerk', 'handler', 'lead'], nav: { label: 'notices.nav', order: 20 } },
  },
] satisfies RouteRecordRaw[];
