import type { components } from '../api/schema.js';
import type { Wording } from './wording.js';

export type CaseCopy = components['schemas']['CaseCopy'];
/** Whom a copy (抄送) is sent to, as the API takes it. */
export type CopyRecipient = { userId: string } | { departmentCode: string };

/** The most people and departments one copy names (`MAX_COPY_RECIPIENTS`, checked again by the API). */
export const MAX_COPY_RECIPIENTS = 50;

/**
 * The recipients of a copy from its form: the departments chosen, then the people chosen or typed by their ids (an
 * entry pasted as several ids, separated by spaces, commas or semicolons, Chinese ones too, is split), each once, in
 * the order given.
 *
 * @example copyRecipients(['tax'], ['market.handler， police.lead']) // [{ departmentCode: 'tax' }, { userId: 'market.handler' }, { userId: 'police.lead' }]
 */
export function copyRecipients(departments: readonly string[], people: readonly string[]): CopyRecipient[] {
  const ids = people.flatMap((entry) => entry.split(/[\s,，;；、]+/)).filter((id) => id !== '');
  return [...new Set(departments)].map((departmentCode): CopyRecipient => ({ departmentCode })).concat([...new Set(ids)].map((userId) => ({ userId })));
}

/** Whom a copy went to, in words: a person by name and id, a department by its name (`departmentName`). */
export function recipientText(copy: Pick<CaseCopy, 'recipient'>, departmentName: (code: string) => string): string {
  const to = copy.recipient;
  return 'userId' in to ? (to.name ? `${to.name} (${to.userId})` : to.userId) : departmentName(to.departmentCode);
}

/** Its read receipt: "已阅 by X at T", or unread (未阅). */
export function receiptText(copy: Pick<CaseCopy, 'readAt' | 'readBy' | 'readByName'>, w: Wording): string {
  if (copy.readAt === null) return w.t('case.copies.unread');
  return w.t('case.copies.readBy', { who: copy.readByName ?? copy.readBy ?? '', when: w.instant(copy.readAt) });
}
