import type { RouteRecordRaw } from 'vue-router';

/** 整改: the fix tasks bad ratings opened, for the lead department's handlers and leads (who answer) and supervisors. */
export default [
  {
    path: '/fix-tasks',
    name: 'fix-tasks',
    component: () => import('./FixTasksPage.vue'),
    meta: { roles: ['handler', 'lead', 'supervisor'], nav: { label: 'fixTasks.nav', order: 25 } },
  },
] satisfies RouteRecordRaw[];
