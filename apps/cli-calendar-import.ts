import { userInfo } from 'node:os';
import { z } from '@hono/zod-openapi';
import { CalendarYearBody } from '../api/schemas.js';
import { importCalendarYear } from '../db/calendar-import.js';
import { connect } from '../db/connection.js';
import { EngineError } from '../engine/errors.js';
import { userId } from '../engine/ids.js';
import { systemClock } from '../platform/system-clock.js';
import { databaseUrl, readText, type CliCommand } from './cli-command.js';
import { UsageError, type CliIo, type ExitCode } from './cli-io.js';

/**
 * `npm run tongban -- calendar import <file>`: imports a year of a calendar's official data from a JSON file
 * `{ calendar, year, holidays, makeUpWorkdays, source, replace? }` into the database named by DATABASE_URL,
 * with the same checks and the same transaction as `POST /api/calendars/{code}/years`. The security log
 * records the import as `cli:<OS user>`, acting for no department: the CLI has no token, and the OS account
 * is who ran it. API processes count on the new year within 30 seconds (their calendar cache).
 *
 * Exit codes: 0 imported; 1 refused (not JSON, a field of the wrong shape, no such calendar, or a year
 * `validateCalendarYear` refuses; nothing was written); 2 nothing was tried (no DATABASE_URL, no file or
 * an unreadable one, or the database failed).
 */
export const CALENDAR_IMPORT: CliCommand = {
  name: 'calendar import',
  usage: '<file.json>',
  summary: "import a year of a calendar's official holiday data from a JSON file into DATABASE_URL, as POST /api/calendars/{code}/years does",
  details: ['The file: { calendar, year, holidays, makeUpWorkdays, source, replace? }. Exit 1 when it is refused (nothing written).'],
  async run({ positionals }, io) {
    const [code, line] = await importYear(positionals, io);
    (code === 0 ? io.out : io.err)(`calendar import: ${line}`);
    return code;
  },
};

const FileBody = CalendarYearBody.extend({ calendar: z.string().min(1).max(100) });

/** The exit code and the one line that says why. */
type Outcome = readonly [code: ExitCode, line: string];

async function importYear(args: readonly string[], io: CliIo): Promise<Outcome> {
  const [file] = args;
  if (file === undefined || args.length > 1) throw new UsageError('calendar import takes one file');
  const url = databaseUrl(io);
  const text = await readText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [1, `${file} is not JSON`];
  }
  const parsed = FileBody.safeParse(json);
  if (!parsed.success) {
    return [1, `${file} is refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`];
  }
  const { calendar, ...year } = parsed.data;
  const sql = connect(url, { max: 1 });
  try {
    const imported = await importCalendarYear(sql, { calendarCode: calendar, ...year }, { userId: cliUser(), departmentCode: null }, systemClock.now());
    const replaced = imported.replacedChecksum ? `, replacing ${imported.replacedChecksum}` : '';
    return [0, `${imported.calendarCode} ${imported.year} imported from ${imported.source} (${imported.checksum}${replaced}); horizon ${imported.horizon ?? 'none yet'}`];
  } catch (error) {
    if (error instanceof EngineError) return [1, error.message];
    return [2, error instanceof Error ? error.message : String(error)];
  } finally {
    await sql.end();
  }
}

/** `cli:<OS user>`, or `cli` where the OS has no name for the account (a container's bare uid). */
function cliUser(): ReturnType<typeof userId> {
  try {
    return userId(`cli:${userInfo().username}`);
  } catch {
    return userId('cli');
  }
}
