import type { RouteRecordRaw } from 'vue-router';

/** Whoever holds tasks: the intake window, handlers and leads. */
const WORKERS = ['intake_clerk', 'handler', 'lead'];

export default [
  { path: '/inbox', name: 'inbox', component: () => import('./InboxPage.vue'), meta: { roles: WORKERS, nav: { label: 'inbox.nav', order: 10 } } },
] satisfies RouteRecordRaw[];
