import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoActor } from '../../apps/demo-users.js';
import { publishServiceItemDraft, saveServiceItemDraft } from '../../db/service-item-designs.js';
import { seedServiceItems } from '../../db/reference-data.js';
import { foodBusinessLicenceItem } from '../../workflows/food-business-licence.js';
import { roadOccupationItem } from '../../workflows/road-occupation.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';

/**
 * Shipped service items are seeds: installed when the catalogue lacks them, replaced by a later shipped version, but
 * never over a version a designer published (the database, not the code, holds the catalogue from then on).
 */
let f: EngineFixture;
beforeAll(async () => {
  f = await createEngineFixture();
});
afterAll(() => f.close());

const inForce = async (code: string) => {
  const [row] = await f.sql<{ version: number; committed_limit_days: number }[]>`select version, committed_limit_days from service_items where code = ${code}`;
  return row;
};

describe('shipped service items as seeds', () => {
  it('a later shipped version replaces a shipped one, and both stay in the catalogue', async () => {
    const later = roadOccupationItem.version + 1;
    await seedServiceItems(f.sql, [{ ...roadOccupationItem, version: later, committedLimitDays: 6 }]);
    expect(await inForce('road-occupation')).toEqual({ version: later, committed_limit_days: 6 });
    const versions = await f.sql`select version, published_by from service_item_versions where code = 'road-occupation' order by version`;
    expect(versions.map((v) => [v['version'], v['published_by']])).toEqual([[roadOccupationItem.version, null], [later, null]]);
  });

  it('a designer’s publication is never replaced by a seed, whatever its version', async () => {
    const designer = demoActor('designer');
    const [published, shippedLater] = [foodBusinessLicenceItem.version + 1, foodBusinessLicenceItem.version + 2];
    await saveServiceItemDraft(f.sql, { ...foodBusinessLicenceItem, version: published, committedLimitDays: 7 }, designer, f.clock.now());
    await publishServiceItemDraft(f.sql, { code: 'food-business-licence', version: published }, designer, f.clock.now(), () => undefined);
    await seedServiceItems(f.sql, [foodBusinessLicenceItem, { ...foodBusinessLicenceItem, version: shippedLater, committedLimitDays: 9 }]);
    expect(await inForce('food-business-licence')).toEqual({ version: published, committed_limit_days: 7 });
    // The later shipped version is in the catalogue, for a designer to adopt.
    const [shipped] = await f.sql`select status, published_by from service_item_versions where code = 'food-business-licence' and version = ${shippedLater}`;
    expect(shipped).toEqual({ status: 'published', published_by: null });
  });
});
