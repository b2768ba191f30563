import type { RouteRecordRaw } from 'vue-router';

/** My page (我的): who I am, and my substitutes (代理). Reached from my name in the header, not from the menu. */
export default [{ path: '/me', name: 'me', component: () => import('./MePage.vue') }] satisfies RouteRecordRaw[];
