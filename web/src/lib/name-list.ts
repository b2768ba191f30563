/**
 * Names listed as the language lists them (`Intl.ListFormat`, "and"): 「消防、环保和税务」 in Chinese, "fire, ecology,
 * and tax" in English — 「、」 means nothing to an English reader. Pass vue-i18n's active locale: the departments that
 * see a material, those a case waits for, a person's roles.
 *
 * @example nameList('zh-CN', ['承办人', '负责人']) // '承办人和负责人'
 * @example nameList('en', ['Handler', 'Lead', 'Supervisor']) // 'Handler, Lead, and Supervisor'
 */
export function nameList(locale: string, names: readonly string[]): string {
  return formatterFor(locale).format(names);
}

/** One formatter a language: a table lists names in every row, and each new one loads the language's patterns. */
const formatters = new Map<string, Intl.ListFormat>();

function formatterFor(locale: string): Intl.ListFormat {
  let formatter = formatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.ListFormat(locale, { type: 'conjunction' });
    formatters.set(locale, formatter);
  }
  return formatter;
}
