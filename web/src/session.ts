import { reactive } from 'vue';
import type { components } from './api/schema';

export type Profile = components['schemas']['Profile'];

const TOKEN_KEY = 'tongban.token';

/**
 * Who is signed in: the bearer token (kept in localStorage, so a case opened in a new tab is signed in too; it expires with the token) and
 * the profile the API answers for it. `expired` tells the sign-in page why it is shown again.
 */
export const session = reactive({
  token: localStorage.getItem(TOKEN_KEY) as string | null,
  profile: null as Profile | null,
  expired: false,
  signIn(token: string, profile: Profile) {
    localStorage.setItem(TOKEN_KEY, token);
    this.token = token;
    this.profile = profile;
    this.expired = false;
  },
  signOut() {
    localStorage.removeItem(TOKEN_KEY);
    this.token = null;
    this.profile = null;
  },
  expire() {
    this.signOut();
    this.expired = true;
  },
  hasRole(...roles: readonly string[]) {
    return this.profile?.roles.some((role) => roles.includes(role)) ?? false;
  },
});
