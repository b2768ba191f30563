import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './personal-data-mask.js';

describe('masking personal data', () => {
  it.each([
    ['an 18-character ID card number', '110101199003071234', '1101**********1234'],
    ['a unified social credit code', '91310000MA1FL1234X', '9131**********234X'],
    ['a 10-character ID number', '1234567890', '12******90'],
    ['a 7-character ID number', '1234567', '1*****7'],
  ])('%s keeps at most four characters, and a quarter, at each end', (_, idNumber, masked) => {
    expect(maskIdNumber(idNumber)).toBe(masked);
  });

  it('a phone number keeps its first three and last two characters', () => {
    expect(maskPhone('+86 21 5555 0000')).toBe('+86***********00');
    expect(maskPhone('13812345678')).toBe('13*******78');
  });
});
