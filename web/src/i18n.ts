import { createI18n } from 'vue-i18n';
import { LOCALES, type Locale, type Messages } from './messages/index';
import processWords from '../../diagram/process-words';
import shell from './messages/shell';

const LOCALE_KEY = 'tongban.locale';

/**
 * Each page keeps its texts beside it (`pages/<page>/messages.ts`, under the page's own key); the words of a process
 * (`process.`) are the diagram's, which the server draws with too (`diagram/process-words.ts`).
 */
const pageMessages = Object.values(import.meta.glob<{ default: Messages }>('./pages/*/messages.ts', { eager: true })).map((m) => m.default);

/** Message trees are plain nested objects of strings; keys are checked by the browser tests, not the types. */
type MessageTree = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function merged(locale: Locale): MessageTree {
  return Object.assign({}, shell[locale], processWords[locale], ...pageMessages.map((m) => m[locale]));
}

const stored = localStorage.getItem(LOCALE_KEY);
const initial: Locale = LOCALES.find((l) => l === stored) ?? 'zh-CN';

/**
 * Dates and times as the law counts them: in Beijing time whatever the browser's zone (a due date is a day of
 * the official calendar). `short` is the day, `long` the day and the minute.
 */
const zone = { timeZone: 'Asia/Shanghai' } as const;
const dateFormats = {
  short: { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' },
  long: { ...zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
} as const;

/** vue-i18n in composition mode: Chinese by default, English on request; the choice is remembered. */
export const i18n = createI18n<MessageTree, Locale, false>({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': merged('zh-CN'), en: merged('en') },
  datetimeFormats: { 'zh-CN': dateFormats, en: dateFormats },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

document.documentElement.lang = initial;
