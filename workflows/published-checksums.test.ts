import { describe, expect, it } from 'vitest';
import { definitionChecksum } from '../engine/definitions/process-definition.js';
import { shippedDefinitions } from './index.js';

/**
 * A published version never changes (databases that installed it refuse different content under the same
 * key and version): a shipped definition whose checksum moves must get a new version, and its line here
 * the new one. Rewriting a definition with building blocks must keep these as they are.
 */
const PUBLISHED: Readonly<Record<string, string>> = {
  // construction-permit@2 was 9f19b41e4e7f977c50783e04afc62c1758ee8fa5b0445c33ddfa61de0b1462df (no longer shipped; installed databases keep it)
  // construction-permit@3 was 898b5677967bd42e3e8a4f3cadd8be2cdf8dce2e99d09d621509a8a5dab09b83 (no longer shipped; installed databases keep it)
  // construction-permit@4 was c128beb6b2db094a4e1ce1173c6f95b12bf342d790430bec0c242468e4a60a00 (no longer shipped; installed databases keep it)
  'construction-permit@5': '048924999d9e35a857904f7ba145e6b4506b8f1448b2ba5c5fcef0626b0912bf',
  // business-opening@1 was 0329e3c66b54eb043f058d3227a370041d017257d2490eaa033fa80993c53186 (no longer shipped; installed databases keep it)
  'business-opening@2': '69b91fd6746890181ad06b41e15e0907fb7e217d5c0530fe531e044ef4e482d1',
  'food-business-licence@1': '37405906fa7bfe53eb031feb933d55531adb28317afd21a2fd9c32cccc949c1a',
  'road-occupation@1': '341105fe085fb57408e8614ff6ad2b72c94325e68a291c00202f589a232e5e3d',
  'eia-approval@1': '95f5d1af3e6e13cb3d7a39830df3bf3f7a4eaecc1eac2ec106a9000f660325c4',
};

describe('shipped definitions', () => {
  it('keep the content of every version they were published with', () => {
    const shipped = Object.fromEntries(shippedDefinitions.map((d) => [`${d.key}@${d.version}`, definitionChecksum(d)]));
    expect(shipped).toEqual(PUBLISHED);
  });
});
