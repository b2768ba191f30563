import type { IdType } from './case-record.js';

/**
 * Whether an ID number is well-formed for its type, with its check digit where the standard has one: a resident ID
 * (GB 11643: 18 characters, ISO 7064 MOD 11-2; the old 15-digit cards have none), a unified social credit code
 * (GB 32100: 18 characters, MOD 31). What reuse finds licences by must be keyed in exactly, so a typo is refused at
 * intake rather than found nowhere later.
 *
 * @example idNumberProblem('resident-id', '110101199003071233') // null: well-formed
 * @example idNumberProblem('uscc', '91310000MA1FL1234Y') // 'its check character is wrong'
 */
export function idNumberProblem(idType: IdType, idNumber: string): string | null {
  switch (idType) {
    case 'resident-id':
      if (/^\d{15}$/.test(idNumber)) return null;
      if (!/^\d{17}[\dX]$/.test(idNumber)) return 'a resident ID number is 18 characters (17 digits and a digit or X), or 15 digits';
      return RESIDENT_CHECK[weighted(idNumber, RESIDENT_WEIGHTS, (c) => Number(c)) % 11] === idNumber[17] ? null : 'its check digit is wrong';
    case 'uscc': {
      if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(idNumber)) return 'a unified social credit code is 18 digits and capital letters (no I, O, Z, S, V)';
      const check = (31 - (weighted(idNumber, USCC_WEIGHTS, (c) => USCC_CHARS.indexOf(c)) % 31)) % 31;
      return USCC_CHARS[check] === idNumber[17] ? null : 'its check character is wrong';
    }
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(idNumber) ? null : 'a passport number is 5 to 17 capital letters and digits';
    case 'hk-macao-permit':
      return /^[HM]\d{8,10}$/.test(idNumber) ? null : 'a Mainland Travel Permit for Hong Kong and Macao Residents is H or M and 8 to 10 digits';
    case 'taiwan-permit':
      return /^\d{8}(\d{2})?$/.test(idNumber) ? null : 'a Mainland Travel Permit for Taiwan Residents is 8 or 10 digits';
  }
}

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK = '10X98765432';
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The weighted sum of the first 17 characters, each read by `value`. */
function weighted(idNumber: string, weights: readonly number[], value: (c: string) => number): number {
  return weights.reduce((sum, w, i) => sum + w * value(idNumber[i] ?? ''), 0);
}
