import { createI18n } from 'vue-i18n';
import processWords from '../../../../diagram/process-words.js';
import type { Messages } from '../../../../web/src/messages/index.js';
import type { Wording } from '../../../../web/src/lib/wording.js';

/** Message trees as vue-i18n takes them (their keys are checked by the tests, not by the types). */
type MessageTree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The words of a process and of some pages' message files (merged, as `i18n.ts` merges them) as a real vue-i18n
 * instance says them in `locale`, with dates written plainly: a day as it is, an instant as Beijing time to the minute.
 */
export function pageWording(locale: 'zh-CN' | 'en', ...pages: readonly Messages[]): Wording {
  const files = [processWords, ...pages];
  const messages = { 'zh-CN': Object.assign({}, ...files.map((m) => m['zh-CN'])) as MessageTree, en: Object.assign({}, ...files.map((m) => m.en)) as MessageTree };
  const { t, te } = createI18n<MessageTree, 'zh-CN' | 'en', false>({ legacy: false, locale, missingWarn: false, fallbackWarn: false, messages }).global;
  return {
    t: (key, named = {}, plural) => (plural === undefined ? t(key, named) : t(key, named, plural)),
    te: (key) => te(key),
    day: (date) => date,
    instant: (iso) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '),
  };
}
