import { describe, expect, it } from 'vitest';
import { nameList } from '../../../web/src/lib/name-list.js';

describe('a list of names as the language writes it', () => {
  it('in Chinese: 「、」 between names, 「和」 before the last', () => {
    expect(nameList('zh-CN', ['消防救援支队', '生态环境局', '水务局'])).toBe('消防救援支队、生态环境局和水务局');
    expect(nameList('zh-CN', ['承办人', '负责人'])).toBe('承办人和负责人');
    expect(nameList('zh-CN', ['承办人'])).toBe('承办人');
  });

  it('in English: commas, and "and" before the last (with a comma from three names on)', () => {
    expect(nameList('en', ['Fire rescue', 'Ecology', 'Water'])).toBe('Fire rescue, Ecology, and Water');
    expect(nameList('en', ['Handler', 'Lead'])).toBe('Handler and Lead');
    expect(nameList('en', ['Handler'])).toBe('Handler');
  });

  it('nothing to list is an empty text, in either language', () => {
    expect(nameList('zh-CN', [])).toBe('');
    expect(nameList('en', [])).toBe('');
  });

  it('each language keeps its own form, whichever was asked for first', () => {
    const names = ['消防 Fire', '水务 Water'];
    expect([nameList('en', names), nameList('zh-CN', names), nameList('en', names)]).toEqual(['消防 Fire and 水务 Water', '消防 Fire和水务 Water', '消防 Fire and 水务 Water']);
  });
});
