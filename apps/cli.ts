import { parseArgs } from 'node:util';
import { ApiRefusal } from './cli-api-client.js';
import { CASE_COMMANDS } from './cli-case-commands.js';
import type { CliCommand } from './cli-command.js';
import { DATABASE_COMMANDS } from './cli-database-commands.js';
import { DEFINITION_COMMANDS } from './cli-definition-commands.js';
import { UsageError, type CliIo, type ExitCode } from './cli-io.js';

/** Every command of `npm run tongban`, in the order `help` lists them. */
const COMMANDS: readonly CliCommand[] = [...DATABASE_COMMANDS, ...CASE_COMMANDS, ...DEFINITION_COMMANDS];

const INVOCATION = 'npm run tongban --';

/**
 * `npm run tongban -- <command> [arguments]`: finds the command by its words, checks its options, runs it. Bad input
 * (an unknown command or option, a missing argument, a malformed id) is one line on standard error and exit status 2,
 * before anything is done; a refusal of the API is its status, code and detail in one line, exit status 1.
 *
 * @example process.exitCode = await runCli(['case', 'show', caseId], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    (argv.length === 0 ? io.err : io.out)(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  if (!command) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name.split(' ')[1]);
    const hint = group.length > 0 ? `${argv[0]} is followed by one of: ${group.join(', ')}` : `\`${INVOCATION} help\` lists them`;
    io.err(`tongban: unknown command ${argv.slice(0, 2).join(' ')}; ${hint}`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const { positionals, values } = parseArgs({ args: [...rest], options: command.options ?? {}, allowPositionals: true, strict: true });
    return await command.run({ positionals, values }, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')) {
      io.err(`tongban ${command.name}: ${(error as Error).message} (usage: ${INVOCATION} ${command.name} ${command.usage})`.replace(' )', ')'));
      return 2;
    }
    io.err(`tongban ${command.name}: ${error instanceof ApiRefusal ? 'refused: ' : ''}${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${INVOCATION} <command> [arguments]   (${INVOCATION} <command> --help for one)`,
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Commands on cases, incidents, timers and definitions go through the API (TONGBAN_API_URL, default http://localhost:3000) with',
    "TONGBAN_API_TOKEN (a person's bearer token) or TONGBAN_API_KEY: the API decides what the credential may do, and records it.",
    'The others act on DATABASE_URL directly. Exit status: 0 done, 1 refused or failed, 2 bad input (nothing done).',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return [`usage: ${INVOCATION} ${command.name} ${command.usage}`.trimEnd(), '', command.summary, ...(command.details ?? [])].join('\n');
}
