import { drizzle } from 'drizzle-orm/postgres-js';
import { serviceItems } from '../../db/schema/index.js';
import { timeoutDefinition } from '../unit/support/timeout-definition.js';
import type { EngineFixture } from './engine-fixture.js';

/**
 * Publishes the `reminder` service item: a case of it has a timer due in a minute, so its start writes an outbox row
 * for the relay to hand to the timer worker (the logs' and the traces' tests follow a case that far).
 */
export async function publishReminderItem(f: EngineFixture): Promise<void> {
  await f.catalog.publish(timeoutDefinition('reminder'));
  await drizzle(f.sql).insert(serviceItems).values({
    code: 'reminder', name: 'Reminder', legalBasis: 'test', leadDepartment: 'housing', legalLimitDays: 5, committedLimitDays: 5,
    definitionKey: 'reminder', definitionVersion: 1, calendarCode: 'cn',
  });
}
