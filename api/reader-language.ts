import type { Language } from '../diagram/catalogue-words.js';

/**
 * The reader's language: the one asked for by name (`?lang=`), else the first of the `Accept-Language` header's
 * that the diagram has (by weight; any `zh-*` as Chinese, any `en-*` as English), else Chinese.
 */
export function readerLanguage(asked: Language | undefined, acceptLanguage: string | undefined): Language {
  if (asked) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.split(';').map((p) => p.trim());
      const q = params.find((p) => p.startsWith('q='));
      return { primary: tag.toLowerCase().split('-')[0], weight: q === undefined ? 1 : Number(q.slice(2)), order };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return ranked.find((r) => r.primary === 'zh' || r.primary === 'en')?.primary === 'en' ? 'en' : 'zh-CN';
}
