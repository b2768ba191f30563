import { describe, expect, it } from 'vitest';
import { catalogueWords, LANGUAGES, type MessageTree } from '../../../diagram/catalogue-words.js';
import processWords from '../../../diagram/process-words.js';
import { pageWording } from '../web/support/page-wording.js';

/** Every message of a tree, with its key path. */
const messagesOf = (tree: MessageTree, path = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${path}${key}`, value] as [string, string]] : messagesOf(value, `${path}${key}.`)));
const keysOf = (tree: MessageTree) => messagesOf(tree).map(([key]) => key);

const NAMED = { title: '工程建设项目施工许可 Construction permit', states: 'fire: Approved', state: '公示', region: 'fire', department: 'fire', reason: '补正', event: '通过', guard: '否则', mode: '票签', threshold: '≥ 2/3', d: 3 };

describe('the words of a process, said without vue-i18n', () => {
  it('has the same keys in both languages, in the only syntax both sayers share ({name} and plurals, nothing linked)', () => {
    expect(keysOf(processWords.en)).toEqual(keysOf(processWords['zh-CN']));
    const beyond = LANGUAGES.flatMap((language) => messagesOf(processWords[language])).filter(([, message]) => /[@$%]|\{(?!\w+\})/.test(message));
    expect(beyond).toEqual([]);
  });

  it.each(LANGUAGES)('says every message in %s exactly as vue-i18n says it, with and without a count', (language) => {
    const ours = catalogueWords(processWords, language);
    const theirs = pageWording(language);
    for (const key of keysOf(processWords[language])) {
      expect({ key, said: ours.t(key, NAMED) }).toEqual({ key, said: theirs.t(key, NAMED) });
      for (const n of [0, 1, 2, 7]) expect({ key, n, said: ours.t(key, { ...NAMED, n }, n) }).toEqual({ key, n, said: theirs.t(key, { ...NAMED, n }, n) });
      expect(ours.te(key)).toBe(true);
    }
    expect(ours.t('process.period', {}, 1)).toBe(language === 'en' ? '1 working day' : '1 个工作日');
  });

  it('knows which messages it has: a missing one is said as its key, as vue-i18n says it', () => {
    const en = catalogueWords(processWords, 'en');
    expect([en.te('process.state.nowhere'), en.te('process'), en.te('process.state.supplement.more')]).toEqual([false, false, false]);
    expect(en.t('process.state.nowhere')).toBe('process.state.nowhere');
    expect(pageWording('en').t('process.state.nowhere')).toBe('process.state.nowhere');
  });
});
