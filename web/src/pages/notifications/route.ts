import type { RouteRecordRaw } from 'vue-router';

/** Whoever is told things: everyone who reads notifications (`notification.read`); the header's bell links here. */
const READERS = ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin'];

export default [
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('./NotificationsPage.vue'),
    // Late in the menu: nobody's home page (the first entry of one's menu) should be their notifications.
    meta: { roles: READERS, nav: { label: 'notificationsPage.nav', order: 80 } },
  },
] satisfies RouteRecordRaw[];
