import { describe, expect, it } from 'vitest';
import { definitionChecksum } from '../engine/definitions/process-definition.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../engine/audit/canonical-json.js';
import { shippedDefinitions, shippedServiceItems } from './index.js';

/**
 * A published version never changes (databases that installed it refuse different content under the same
 * key and version): a shipped definition whose checksum moves must get a new version, and its line here
 * the new one. Rewriting a definition with building blocks must keep these as they are.
 */
const PUBLISHED: Readonly<Record<string, string>> = {
  // construction-permit@2 was 9f19b41e4e7f977c50783e04afc62c1758ee8fa5b0445c33ddfa61de0b1462df (no longer shipped; installed databases keep it)
  // construction-permit@3 was 898b5677967bd42e3e8a4f3cadd8be2cdf8dce2e99d09d621509a8a5dab09b83 (no longer shipped; installed databases keep it)
  // construction-permit@4 was c128beb6b2db094a4e1ce1173c6f95b12bf342d790430bec0c242468e4a60a00 (no longer shipped; installed databases keep it)
  // construction-permit@5 was 048924999d9e35a857904f7ba145e6b4506b8f1448b2ba5c5fcef0626b0912bf (no longer shipped; installed databases keep it)
  'construction-permit@6': 'ebad6cdf84da8933b39707bfff7e857a26f18b1222e6a8a8522024deb378765c',
  // business-opening@1 was 0329e3c66b54eb043f058d3227a370041d017257d2490eaa033fa80993c53186 (no longer shipped; installed databases keep it)
  'business-opening@2': '69b91fd6746890181ad06b41e15e0907fb7e217d5c0530fe531e044ef4e482d1',
  'food-business-licence@1': '37405906fa7bfe53eb031feb933d55531adb28317afd21a2fd9c32cccc949c1a',
  'road-occupation@1': '341105fe085fb57408e8614ff6ad2b72c94325e68a291c00202f589a232e5e3d',
  'eia-approval@1': '95f5d1af3e6e13cb3d7a39830df3bf3f7a4eaecc1eac2ec106a9000f660325c4',
};

/** Likewise for the shipped service items (seeds of the catalogue): `sha256` of the canonical JSON of each version. */
const SHIPPED_ITEMS: Readonly<Record<string, string>> = {
  // every item@1 was installed before the catalogue kept versions (its content is each database's own)
  // construction-permit@2 was 3edea2340a207ce03bea413bceb747f5b2cb43fce8edb76772b6fae1c06a0bde (no longer shipped; installed databases keep it)
  'construction-permit@3': 'da50a6ef8667239c21d7ed57acde150eb0bdec28fc58f564467fe4f1f6a3bd67',
  'business-opening@2': '2e73878e132412062ae517e6a0b0821a4eeef7d9a078df6898a490139473e575',
  // food-business-licence@2 was af2848e58a59dad94066c734e139fda14bd1c8f30f7fcdc0a139343ff621ea89 (no longer shipped; installed databases keep it)
  'food-business-licence@3': '113fe10f94108cba2caa20c3ea067c863165512f4f01236dbb9e3e5268352677',
  'road-occupation@2': '0a605c42c54ed24c9366db8b6f8646b4d571d8fb3fcb44c675b289e0012d6c8a',
  'eia-approval@2': 'b225d39db4fc62b5c7d3b5d8c7180fb19f28a833cc1ec1bdb8ce57814631cee4',
};

describe('shipped definitions and service items', () => {
  it('keep the content of every version they were published with', () => {
    const shipped = Object.fromEntries(shippedDefinitions.map((d) => [`${d.key}@${d.version}`, definitionChecksum(d)]));
    expect(shipped).toEqual(PUBLISHED);
  });

  it('are JSON as they are written: uploaded through the catalogue API, each is the same definition', () => {
    for (const d of shippedDefinitions) expect(definitionChecksum(JSON.parse(JSON.stringify(d)) as typeof d), d.key).toBe(definitionChecksum(d));
  });

  it('keep the content of every service item version they were seeded with', () => {
    const shipped = Object.fromEntries(shippedServiceItems.map((i) => [`${i.code}@${i.version}`, createHash('sha256').update(canonicalJson(i)).digest('hex')]));
    expect(shipped).toEqual(SHIPPED_ITEMS);
  });
});
