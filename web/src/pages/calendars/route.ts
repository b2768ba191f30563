import type { RouteRecordRaw } from 'vue-router';

/** Every person who deals with a deadline asks the explainer (`calendar.read`: every role of a person); administrators also import years. */
const READERS = ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin'];

export default [
  {
    path: '/calendars',
    name: 'calendars',
    component: () => import('./CalendarsPage.vue'),
    meta: { roles: READERS, nav: { label: 'calendars.nav', order: 60 } },
  },
] satisfies RouteRecordRaw[];
