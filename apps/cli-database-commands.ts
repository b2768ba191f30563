import { migrateDatabase, shippedMigrations } from '../db/migrate.js';
import { AUDIT_VERIFY } from './cli-audit-verify.js';
import { CALENDAR_IMPORT } from './cli-calendar-import.js';
import { databaseUrl, type CliCommand } from './cli-command.js';
import { UsageError } from './cli-io.js';
import { installDemoCases } from './demo-cases.js';
import { installDemoUsers } from './demo-users.js';
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';

/**
 * The commands on the database itself (DATABASE_URL), for the operator who runs it: they come before any API process
 * exists (a new deployment, an upgrade), so they hold no credential but the database's.
 */

const ON_DATABASE = 'On the database at DATABASE_URL, directly.';

export const DATABASE_COMMANDS: readonly CliCommand[] = [
  {
    name: 'migrate',
    usage: '',
    summary: 'apply the pending migrations, under the advisory lock the API and workers processes take at start',
    details: [ON_DATABASE],
    async run({ positionals }, io) {
      if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
      await migrateDatabase(databaseUrl(io));
      io.out(`migrate: the database has every one of the ${shippedMigrations().length} migrations`);
      return 0;
    },
  },
  {
    name: 'seed',
    usage: '[--demo]',
    summary: 'migrate, then install the shipped reference data (departments, calendars, catalogue) and register the licence signing key; --demo adds the demo users and cases',
    options: { demo: { type: 'boolean' } },
    details: [ON_DATABASE, 'Idempotent: what is there stays. The demo cases go only into a database with no case yet.'],
    async run({ positionals, values }, io) {
      if (positionals.length > 0) throw new UsageError('seed takes no arguments');
      const url = databaseUrl(io);
      const runtime = createRuntime({ databaseUrl: url, poolSize: 2 });
      try {
        await runtime.ready;
        await prepareDatabase(url, runtime);
        io.out('seed: migrations applied, reference data installed, licence signing key registered');
        if (values['demo']) {
          await installDemoUsers(runtime.sql);
          const created = await installDemoCases(runtime.sql, runtime.engine);
          io.out(`seed: demo users installed, ${created > 0 ? `${created} demo cases created` : 'demo cases not created (the database has cases)'}`);
        }
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },
  AUDIT_VERIFY,
  CALENDAR_IMPORT,
];
