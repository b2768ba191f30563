import { createI18n } from 'vue-i18n';
import type { Wording } from '../../../../web/src/lib/wording.js';
import casePage from '../../../../web/src/pages/case/messages.js';

/** Beijing time, to the minute: how the tests write an instant (the page uses vue-i18n's `long` format). */
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Message trees as vue-i18n takes them (their keys are checked by the tests, not by the types). */
type MessageTree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The case page's words as a real vue-i18n instance says them in `locale`, from the page's own message file:
 * what the unit tests of `lib/` read, so both languages are checked as people will read them.
 */
export function caseWording(locale: 'zh-CN' | 'en'): Wording {
  const messages: Record<'zh-CN' | 'en', MessageTree> = casePage;
  const i18n = createI18n<MessageTree, 'zh-CN' | 'en', false>({ legacy: false, locale, missingWarn: false, fallbackWarn: false, messages });
  const { t, te } = i18n.global;
  return {
    t: (key, named = {}, plural) => (plural === undefined ? t(key, named) : t(key, named, plural)),
    te: (key) => te(key),
    day: (date) => date,
    instant: beijing,
  };
}
