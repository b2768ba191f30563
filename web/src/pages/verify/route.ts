import type { RouteRecordRaw } from 'vue-router';

/** 电子证照核验: anyone, without signing in; a printed licence's QR code links here with its number and signature. */
export default [{ path: '/verify', name: 'verify', component: () => import('./VerifyPage.vue'), meta: { public: true } }] satisfies RouteRecordRaw[];
