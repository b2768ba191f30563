import { apiClient } from './cli-api-client.js';
import { idsOf, readText, required, type CliCommand, type CliInput, type OptionValue } from './cli-command.js';
import { UsageError, type CliIo, type ExitCode } from './cli-io.js';

/** The designers' commands on process definitions: through the API, under the caller's credential (designers). */

const THROUGH_API = 'Through the API at TONGBAN_API_URL, as TONGBAN_API_TOKEN or TONGBAN_API_KEY (a designer): what the credential may not do is refused (403).';

interface Finding {
  readonly path: string;
  readonly rule: string;
  readonly problem: string;
}

/** The definition key and version named as arguments. */
function keyAndVersion({ positionals }: CliInput, command: string): [key: string, version: number] {
  const [key, version, ...rest] = positionals;
  if (key === undefined || version === undefined || rest.length > 0) throw new UsageError(`${command} takes a definition key and a version`);
  return [encodeURIComponent(key), versionNumber(version, 'version')];
}

function versionNumber(text: OptionValue, what: string): number {
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,6}$/.test(text)) throw new UsageError(`${what} must be a version number, not ${String(text ?? 'nothing')}`);
  return Number(text);
}

/** A JSON file the command sends: not JSON is bad input. */
async function jsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readText(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} is not JSON`);
  }
}

/** The lint's findings, one a line; exit 1 when any is an error (it blocks publishing). */
function printLint(io: CliIo, title: string, lint: { errors: Finding[]; warnings: Finding[] }): ExitCode {
  for (const e of lint.errors) io.out(`error ${e.path}: ${e.rule}: ${e.problem}`);
  for (const w of lint.warnings) io.out(`warning ${w.path}: ${w.rule}: ${w.problem}`);
  io.out(`${title}: ${lint.errors.length} errors, ${lint.warnings.length} warnings`);
  return lint.errors.length > 0 ? 1 : 0;
}

export const DEFINITION_COMMANDS: readonly CliCommand[] = [
  {
    name: 'definitions lint',
    usage: '<key> <version> | <key> --file <draft.json>',
    summary: 'lint a definition version; with --file, upload the draft first ({ version, title, machine }) and lint it',
    options: { file: { type: 'string' } },
    details: [THROUGH_API, 'Exit 1 when the lint finds errors (they block publishing); warnings do not.'],
    async run(input, io) {
      const api = apiClient(io);
      const file = input.values['file'];
      if (typeof file === 'string') {
        const [key, ...rest] = input.positionals;
        if (key === undefined || rest.length > 0) throw new UsageError('definitions lint --file takes a definition key');
        const draft = await api.post(`/catalog/definitions/${encodeURIComponent(key)}/drafts`, await jsonFile(file));
        return printLint(io, `definitions lint: ${draft.key} ${draft.version} (draft saved)`, draft.lint);
      }
      const [key, version] = keyAndVersion(input, 'definitions lint');
      const design = await api.get(`/catalog/definitions/${key}/versions/${version}`);
      return printLint(io, `definitions lint: ${design.key} ${design.version} (${design.status})`, design.lint);
    },
  },
  {
    name: 'definitions publish',
    usage: '<key> <version>',
    summary: 'publish a definition draft: immutable from then on (refused while its lint finds errors)',
    details: [THROUGH_API],
    async run(input, io) {
      const [key, version] = keyAndVersion(input, 'definitions publish');
      const published = await apiClient(io).post(`/catalog/definitions/${key}/versions/${version}/publication`);
      io.out(`definitions publish: ${published.key} ${published.version} published, ${published.lint.warnings.length} warnings`);
      return 0;
    },
  },
  {
    name: 'definitions migrate',
    usage: '<key> --from <version> --to <version> --mapping <mapping.json> [<caseId>... | --file <ids.txt>] [--dry-run]',
    summary: "move running cases onto another published version by a state mapping (every running case of --from unless named); --dry-run says what it would do",
    options: { from: { type: 'string' }, to: { type: 'string' }, mapping: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    details: [
      THROUGH_API,
      '--mapping <file>   JSON: source state node id -> target state node id',
      'Applied, it runs in the API process in batches; its progress is at GET /api/catalog/migrations/<id>.',
    ],
    async run(input, io) {
      const [key, ...cases] = input.positionals;
      if (key === undefined) throw new UsageError('definitions migrate takes a definition key');
      const body = {
        fromVersion: versionNumber(input.values['from'], '--from'),
        toVersion: versionNumber(input.values['to'], '--to'),
        mapping: await jsonFile(required(input, 'mapping')),
        ...(cases.length > 0 || input.values['file'] !== undefined ? { caseIds: await idsOf('case', cases, input.values['file']) } : {}),
      };
      const path = `/catalog/definitions/${encodeURIComponent(key)}/migrations`;
      if (input.values['dry-run']) {
        const { totals, cases: lines } = await apiClient(io).post(`${path}/dry-run`, body);
        for (const line of lines) io.out(line.outcome === 'migrate' ? `migrate ${line.caseId}: ${line.fromState} -> ${line.toState}` : `refused ${line.caseId}: ${line.code}: ${line.detail}`);
        io.out(`definitions migrate (dry run): ${totals.cases} cases, ${totals.migrate} would move, ${totals.refused} refused`);
        return 0;
      }
      const migration = await apiClient(io).post(path, body);
      io.out(`definitions migrate: migration ${migration.id} ${migration.status}, ${migration.total} cases (progress: GET /api/catalog/migrations/${migration.id})`);
      return 0;
    },
  },
];
