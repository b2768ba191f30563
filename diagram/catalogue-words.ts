/**
 * Saying messages without vue-i18n: what the server needs to draw a diagram in the reader's language from the same
 * catalogue the workspace merges into its vue-i18n messages (`process-words.ts`). Only the message syntax that
 * catalogue uses — `{name}` and `a | b` plurals — said exactly as vue-i18n says it (a test holds the two equal for
 * every message of it).
 */

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A tree of messages: strings, nested under keys. */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

/** The same keys in Chinese (the default) and English. */
export type Catalogue = Readonly<Record<Language, MessageTree>>;

/**
 * How the diagram's words are said: vue-i18n's `t` (a plural count picks `day | days`) and `te` (whether a message
 * exists). The workspace hands its `useI18n()`'s (its `Wording` is one); the server `catalogueWords(…)`.
 */
export interface Words {
  t(key: string, named?: Record<string, unknown>, plural?: number): string;
  te(key: string): boolean;
}

/**
 * The words of a catalogue in one language.
 *
 * @example
 * const en = catalogueWords(processWords, 'en');
 * en.t('process.period', { n: 3 }, 3); // '3 working days'
 */
export function catalogueWords(catalogue: Catalogue, language: Language): Words {
  const find = (key: string): string | undefined => {
    let node: string | MessageTree | undefined = catalogue[language];
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  return {
    te: (key) => find(key) !== undefined,
    t: (key, named = {}, plural) => {
      const message = find(key);
      if (message === undefined) return key;
      const forms = message.includes('|') ? message.split('|').map((form) => form.trim()) : [message];
      const form = forms[plural === undefined ? 0 : pluralForm(plural, forms.length)] ?? '';
      const values: Record<string, unknown> = plural === undefined ? named : { n: plural, count: plural, ...named };
      return form.replace(/\{(\w+)\}/g, (_, name: string) => (values[name] === undefined ? '' : String(values[name])));
    },
  };
}

/** vue-i18n's default plural rule: `one | many` (zero takes the second), or `zero | one | many`. */
function pluralForm(count: number, forms: number): number {
  const n = Math.abs(count);
  if (forms === 2) return n === 1 ? 0 : 1;
  return Math.min(n, forms - 1, 2);
}

