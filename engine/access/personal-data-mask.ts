/**
 * How personal data is shown to whoever does not deal with the applicant: the case view and the CSV export
 * both mask with these, so one ID number never appears masked two ways. The middle is starred, the ends are
 * kept to recognise a value by — but never more than a quarter of it at each end, so a short value keeps
 * at least half hidden.
 */
function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = [...value];
  const quarter = Math.floor(chars.length / 4);
  const start = Math.min(keepStart, quarter);
  const end = Math.min(keepEnd, quarter);
  return chars.slice(0, start).join('') + '*'.repeat(chars.length - start - end) + chars.slice(chars.length - end).join('');
}

/**
 * An ID card number or unified social credit code, its first and last four kept.
 *
 * @example maskIdNumber('110101199003071234') // '1101**********1234'
 */
export const maskIdNumber = (idNumber: string): string => maskMiddle(idNumber, 4, 4);

/**
 * A phone number, its first three and last two characters kept.
 *
 * @example maskPhone('13812345678') // '13*******78'
 */
export const maskPhone = (phone: string): string => maskMiddle(phone, 3, 2);

/**
 * A holder's name where anyone may read (a licence's public verification): a short name (a person's) keeps its
 * first character, a longer one (an organisation's) its first and last two at most, as `maskMiddle` allows.
 *
 * @example maskName('张三') // '张*'
 * @example maskName('上海某建设有限公司') // '上海*****公司'
 */
export const maskName = (name: string): string => {
  const chars = [...name];
  return chars.length <= 3 ? (chars[0] ?? '') + '*'.repeat(chars.length - 1) : maskMiddle(name, 2, 2);
};
