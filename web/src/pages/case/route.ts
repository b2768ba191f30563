import type { RouteRecordRaw } from 'vue-router';

/** Whoever reads cases: the intake window, handlers, leads and supervisors (opened from an inbox or a list). */
const READERS = ['intake_clerk', 'handler', 'lead', 'supervisor'];

export default [{ path: '/cases/:caseId', name: 'case', component: () => import('./CasePage.vue'), props: true, meta: { roles: READERS } }] satisfies RouteRecordRaw[];
