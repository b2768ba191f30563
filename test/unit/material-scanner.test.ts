import { describe, expect, it } from 'vitest';
import { commandScanner } from '../../platform/material-scanner.js';

/** A scanner script as `clamdscan --no-summary -` answers: exit 0 clean, 1 infected; this one looks for the EICAR test string. */
const EICAR_SCANNER = commandScanner("if grep -aq 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE'; then exit 1; else exit 0; fi");

describe('the scan hook point', () => {
  it('passes the file to the command on its standard input and reads its exit status', async () => {
    expect(await EICAR_SCANNER.scan([Buffer.from('%PDF-1.7 '), Buffer.from('a clean form')])).toBe('clean');
    expect(await EICAR_SCANNER.scan([Buffer.from('%PDF-1.7 X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-'), Buffer.from('ANTIVIRUS-TEST-FILE!$H+H*')])).toBe('infected');
  });

  it('fails, never passes, when the scanner cannot answer', async () => {
    await expect(commandScanner('exit 2').scan([Buffer.from('x')])).rejects.toThrow(/exit 2/);
    await expect(commandScanner('no-such-scanner-command').scan([Buffer.from('x')])).rejects.toThrow(/scanner failed/);
  });
});
