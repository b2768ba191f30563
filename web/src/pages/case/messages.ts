import type { Messages } from '../../messages/index.js';
import en from './messages.en.js';
import zh from './messages.zh-CN.js';

/**
 * The case page (办件详情): its header, steps, clocks and their explanation, diagram, timeline, records and forms,
 * joint reviews and every move's form. One file per language (the catalogue outgrew one file); `Messages` keeps
 * their keys equal.
 */
export default { 'zh-CN': zh, en } satisfies Messages;
