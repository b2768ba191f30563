import { useI18n } from 'vue-i18n';
import type { Wording } from './lib/wording';

/**
 * The page's {@link Wording} for the sentence builders of `lib/`: its messages, and dates as the law counts them
 * (`i18n.ts`: Beijing time). A calendar date is shown at its own noon, which is that date in any zone near it.
 */
export function useWording(): Wording {
  const { t, te, d } = useI18n();
  return {
    t: (key, named = {}, plural) => (plural === undefined ? t(key, named) : t(key, named, plural)),
    te: (key) => te(key),
    day: (localDate) => d(new Date(`${localDate}T12:00:00+08:00`), 'short'),
    instant: (iso) => d(new Date(iso), 'long'),
  };
}
