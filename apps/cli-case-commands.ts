import { apiClient, type ApiClient } from './cli-api-client.js';
import { BatchRefusal, runBatch } from './cli-batch.js';
import { idsOf, required, type CliCommand } from './cli-command.js';
import { UsageError } from './cli-io.js';

/** The operational commands on cases, incidents and timers: through the API, under the caller's credential. */

const THROUGH_API = ['Through the API at TONGBAN_API_URL, as TONGBAN_API_TOKEN or TONGBAN_API_KEY: what the credential may not do is refused (403).'];
const BATCH = [
  '--file <ids.txt>   ids one a line besides those given (blank lines and # comments skipped); every id is checked before anything is done',
  'A progress bar on a terminal, a line per item otherwise, then a summary: done, refused (with why), failed. Exit 1 when any was not done.',
];

interface Incident {
  readonly id: string;
  readonly caseId: string;
  readonly timerKind: string;
  readonly dueAt: string;
  readonly attempts: number;
  readonly lastFailedAt: string;
  readonly error: string;
}

/** Every incident, open or resolved, a page of 100 at a time. */
async function allIncidents(api: ApiClient, resolved: boolean): Promise<Incident[]> {
  const incidents: Incident[] = [];
  for (let page = 1; ; page += 1) {
    const { items } = await api.get<{ items: Incident[] }>(`/incidents?resolved=${resolved}&page=${page}&pageSize=100`);
    incidents.push(...items);
    if (items.length < 100) return incidents;
  }
}

const retryIncident = (api: ApiClient) => async (incidentId: string) => {
  const { version } = await api.post<{ version: number }>(`/incidents/${incidentId}/retry`);
  return `re-armed (case version ${version})`;
};

export const CASE_COMMANDS: readonly CliCommand[] = [
  {
    name: 'case show',
    usage: '<caseId>',
    summary: "a case: its number, service item, status, version and open tasks (--json: the API's whole answer)",
    options: { json: { type: 'boolean' } },
    details: THROUGH_API,
    async run({ positionals, values }, io) {
      const [id] = await idsOf('case', positionals, undefined);
      if (positionals.length > 1) throw new UsageError('case show takes one case id');
      const c = await apiClient(io).get(`/cases/${id}`);
      if (values['json']) {
        io.out(JSON.stringify(c, null, 2));
        return 0;
      }
      io.out(`${c.caseNumber} ${c.id} ${c.serviceItemCode} v${c.serviceItemVersion} ${c.status} (${c.state}) version ${c.version} ${c.warningLevel}, due ${c.dueAt}`);
      for (const t of c.tasks.filter((t: any) => t.status === 'open')) io.out(`  task ${t.id} ${t.key} ${t.departmentCode} due ${t.dueAt}`);
      return 0;
    },
  },
  {
    name: 'case retry',
    usage: '<caseId>... | --file <ids.txt> | --all-incidents',
    summary: 'retry the open incidents (timers given up) of the cases named, or of every case',
    options: { file: { type: 'string' }, 'all-incidents': { type: 'boolean' } },
    details: [...THROUGH_API, ...BATCH, 'A case named with no open incident is refused.'],
    async run({ positionals, values }, io) {
      const every = values['all-incidents'] === true;
      if (every && (positionals.length > 0 || values['file'] !== undefined)) throw new UsageError('--all-incidents takes no case ids');
      const caseIds = every ? [] : await idsOf('case', positionals, values['file']);
      const api = apiClient(io);
      const open = await allIncidents(api, false);
      const chosen = every ? open : open.filter((i) => caseIds.includes(i.caseId));
      const idle = caseIds.filter((id) => !open.some((i) => i.caseId === id));
      const retry = retryIncident(api);
      // A case without an incident is not an incident id: it is refused by name, among the batch's items.
      return runBatch(io, 'case retry', [...chosen.map((i) => i.id), ...idle], (item) =>
        idle.includes(item) ? Promise.reject(new BatchRefusal(`case ${item} has no open incident`)) : retry(item),
      );
    },
  },
  {
    name: 'case terminate',
    usage: '<caseId>... | --file <ids.txt>  --reason <text> --legal-basis <text>',
    summary: '终止: close cases as terminated, without a decision (the lead of the lead department)',
    options: { file: { type: 'string' }, reason: { type: 'string' }, 'legal-basis': { type: 'string' } },
    details: [...THROUGH_API, ...BATCH],
    async run(input, io) {
      const body = { reason: required(input, 'reason'), legalBasis: required(input, 'legal-basis') };
      const caseIds = await idsOf('case', input.positionals, input.values['file']);
      const api = apiClient(io);
      return runBatch(io, 'case terminate', caseIds, async (id) => {
        const { version } = await api.post<{ version: number }>(`/cases/${id}/termination`, body);
        return `terminated (version ${version})`;
      });
    },
  },
  {
    name: 'incidents list',
    usage: '[--resolved]',
    summary: 'timers given up after failing on every attempt, the latest failure first (open ones; --resolved: those retried or closed)',
    options: { resolved: { type: 'boolean' } },
    details: THROUGH_API,
    async run({ positionals, values }, io) {
      if (positionals.length > 0) throw new UsageError('incidents list takes no arguments');
      const incidents = await allIncidents(apiClient(io), values['resolved'] === true);
      for (const i of incidents) io.out(`${i.id} case ${i.caseId} ${i.timerKind} due ${i.dueAt}, ${i.attempts} attempts, last ${i.lastFailedAt}: ${i.error}`);
      io.out(`incidents list: ${incidents.length} ${values['resolved'] ? 'resolved' : 'open'}`);
      return 0;
    },
  },
  {
    name: 'incidents retry',
    usage: '<incidentId>... | --file <ids.txt>',
    summary: "re-arm incidents' timers: pending again, delivered at once with fresh attempts",
    options: { file: { type: 'string' } },
    details: [...THROUGH_API, ...BATCH],
    async run({ positionals, values }, io) {
      const incidentIds = await idsOf('incident', positionals, values['file']);
      return runBatch(io, 'incidents retry', incidentIds, retryIncident(apiClient(io)));
    },
  },
  {
    name: 'reconcile now',
    usage: '',
    summary: "put the timers due within the hour and the overdue ones into Redis now, without waiting for the reconciler's tick",
    details: [...THROUGH_API, 'The API process must have Redis (REDIS_URL): without it, 503.'],
    async run({ positionals }, io) {
      if (positionals.length > 0) throw new UsageError('reconcile now takes no arguments');
      const { scheduled, overdue } = await apiClient(io).post<{ scheduled: number; overdue: number }>('/timers/reconciliation');
      io.out(`reconcile now: ${scheduled} timers due within the horizon enqueued, ${overdue} overdue delivered again`);
      return 0;
    },
  },
];
