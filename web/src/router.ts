import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { api } from './api/client';
import { session } from './session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown without signing in (the sign-in page). */
    public?: boolean;
    /** Roles that may open the page; every signed-in person when absent. */
    roles?: readonly string[];
    /** In the main menu, under this message key, in this order. */
    nav?: { label: string; order: number };
  }
}

/** Each page declares its own routes (`pages/<page>/route.ts`): adding a page touches no shared file. */
export const pageRoutes: RouteRecordRaw[] = Object.values(import.meta.glob<{ default: RouteRecordRaw[] }>('./pages/*/route.ts', { eager: true })).flatMap(
  (m) => m.default,
);

/** The menu entries this person may open, in order. */
export function menuFor(roles: readonly string[]): RouteRecordRaw[] {
  return pageRoutes
    .filter((r) => r.meta?.nav && (!r.meta.roles || r.meta.roles.some((role) => roles.includes(role))))
    .sort((a, b) => (a.meta?.nav?.order ?? 0) - (b.meta?.nav?.order ?? 0));
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    ...pageRoutes,
    // Home is the first page of one's menu: the inbox for handlers, the dashboard for supervisors…
    // (after the global guard below has loaded the profile, hence a guard and not a redirect).
    { path: '/', name: 'home', component: { render: () => null }, beforeEnter: () => menuFor(session.profile?.roles ?? [])[0]?.path ?? '/sign-in' },
    { path: '/:unknown(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.token) return { name: 'sign-in', query: { next: to.fullPath } };
  if (!session.profile) {
    const { data } = await api.GET('/api/me');
    if (!data) return { name: 'sign-in', query: { next: to.fullPath } };
    session.profile = data;
  }
  if (to.meta.roles && !session.hasRole(...to.meta.roles)) return { name: 'home' };
  return true;
});
