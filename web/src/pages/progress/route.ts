import type { RouteRecordRaw } from 'vue-router';

/** 进度查询: the applicant's page, no sign-in (a case number and its query code). */
export default [{ path: '/progress', name: 'progress', component: () => import('./ProgressPage.vue'), meta: { public: true } }] satisfies RouteRecordRaw[];
