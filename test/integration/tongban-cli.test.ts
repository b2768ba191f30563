import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { shippedMigrations } from '../../db/migrate.js';
import { openTimerIncident } from '../../db/timer-incidents.js';
import { systemClock } from '../../platform/system-clock.js';
import { constructionPermit } from '../../workflows/construction-permit.js';
import { createQueues, timerJobId } from '../../workers/queues.js';
import type { RedisView } from '../../workers/readiness.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { tongban } from '../support/cli-run.js';
import { ROAD_V1_TO_V2, roadOccupationV2 } from '../support/road-occupation-v2.js';
import { TEST_LICENCE_KEY } from '../support/licence-signer.js';
import { TEST_JWT_SECRET } from '../support/test-auth.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';

/**
 * `npm run tongban`: every command run in-process (`tongban`), the operational ones through the in-memory API with a
 * real token, the others on the test's own database. The API decides what a credential may do; the CLI says its
 * refusal in one line. Bad input is refused before anything is done.
 */

let f: ApiFixture;
let redis: RedisView;
beforeAll(async () => {
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
  f = await createApiFixture({}, redis);
});
afterAll(async () => {
  await f.close();
  await redis.connection.quit();
  await deleteKeysWithPrefix(redis.prefix);
});
const { start, complete, startInJointReview } = caseDriver(() => f);
/** A road occupation permit case in joint review, on version 1 of its definition. */
const startRoadCase = async () => {
  const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation', answers: {} });
  await complete('window.clerk', 'acceptance', caseId);
  return caseId;
};

/** The CLI as `user` (a bearer token), against the in-memory API. */
const as = async (user: string, ...args: string[]) => tongban(args, { env: { TONGBAN_API_TOKEN: await f.token(user) }, app: f.app });
const statusOf = async (caseId: string) => (await f.sql`select status, version from cases where id = ${caseId}`)[0];
const file = (name: string, content: string) => {
  const path = join(tmpdir(), `tongban-cli-${name}-${process.pid}`);
  writeFileSync(path, content);
  return path;
};
const GROUND = ['--reason', '申请人已注销', '--legal-basis', '《某省行政审批条例》第二十一条'];

describe('on the database (DATABASE_URL)', () => {
  it('migrate applies what is pending (here: nothing), seed installs the reference data and, with --demo, the demo cases once', async () => {
    const env = { DATABASE_URL: f.db.url };
    const migrate = await tongban(['migrate'], { env });
    expect([migrate.code, migrate.stdout]).toEqual([0, `migrate: the database has every one of the ${shippedMigrations().length} migrations\n`]);
    vi.stubEnv('TONGBAN_LICENCE_SIGNING_KEY', TEST_LICENCE_KEY);
    try {
      const seed = await tongban(['seed', '--demo'], { env });
      expect([seed.code, seed.stdout.trimEnd().split('\n')]).toEqual([0, ['seed: migrations applied, reference data installed, licence signing key registered', 'seed: demo users installed, 11 demo cases created']]);
      const again = await tongban(['seed', '--demo'], { env });
      expect(again.stdout).toContain('demo cases not created (the database has cases)');
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await f.sql`select count(*)::int as n from cases`)[0]?.['n']).toBe(11);
  });
});

describe('help and bad input', () => {
  it('help lists every command; each command has --help', async () => {
    const help = await tongban(['help']);
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'seed', 'reconcile now', 'audit verify', 'calendar import', 'definitions lint', 'definitions publish', 'definitions migrate', 'case show', 'case retry', 'case terminate', 'incidents list', 'incidents retry']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    const one = await tongban(['case', 'terminate', '--help']);
    expect([one.code, one.stdout.split('\n')[0]]).toEqual([0, 'usage: npm run tongban -- case terminate <caseId>... | --file <ids.txt>  --reason <text> --legal-basis <text>']);
  });

  it.each([
    ['an unknown command', ['reopen', 'case'], /^tongban: unknown command reopen case; `npm run tongban -- help` lists them$/],
    ['an unknown command of a group', ['case', 'reopen'], /^tongban: unknown command case reopen; case is followed by one of: show, retry, terminate$/],
    ['an unknown option', ['incidents', 'list', '--all'], /^tongban incidents list: Unknown option '--all'/],
    ['a malformed id', ['case', 'terminate', 'CASE-1', ...GROUND], /^tongban case terminate: not a case id: CASE-1 \(usage: /],
    ['a missing option', ['case', 'terminate', '6f1c1d8e-0000-4000-8000-000000000099', '--reason', 'x'], /^tongban case terminate: --legal-basis is required/],
    ['no credential', ['incidents', 'list'], /^tongban incidents list: set TONGBAN_API_TOKEN/],
    ['no database', ['migrate'], /^tongban migrate: DATABASE_URL is not set/],
  ])('%s: one line on stderr, exit 2', async (_, args, says) => {
    const run = await tongban(args);
    expect([run.code, run.stdout, run.stderr.trimEnd().split('\n')]).toEqual([2, '', [expect.stringMatching(says)]]);
  });

  it('a batch with one bad id in its file does nothing at all', async () => {
    const caseId = await startInJointReview();
    const before = await statusOf(caseId);
    const run = await as('housing.lead', 'case', 'terminate', '--file', file('bad-ids', `${caseId}\nnot-an-id\n`), ...GROUND);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('not a case id: not-an-id')]);
    expect(await statusOf(caseId)).toEqual(before);
  });

  it('npm run tongban -- help, as a process', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['node_modules/.bin/tsx', 'apps/tongban.ts', 'help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect([code, stdout]).toEqual([0, expect.stringContaining('case terminate')]);
  });
});

describe('cases', () => {
  it('case show: the case and its open tasks', async () => {
    const caseId = await startInJointReview();
    const run = await as('housing.lead', 'case', 'show', caseId);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^\\d{4}-\\d{6} ${caseId} construction-permit v\\d+ running `));
    expect(run.stdout).toMatch(/^ {2}task [0-9a-f-]{36} review\.fire fire due /m);
  });

  it('case terminate in a batch: a progress line per item, the summary, exit 1 for the case already closed', async () => {
    const [a, b] = [await startInJointReview(), await startInJointReview()];
    await as('housing.lead', 'case', 'terminate', b, ...GROUND);
    const run = await as('housing.lead', 'case', 'terminate', a, '--file', file('ids', `# closed already\n${b}\n`), ...GROUND);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^done ${a}: terminated \\(version \\d+\\)$`)),
      expect.stringMatching(new RegExp(`^refused ${b}: 409 TB-CASE-CLOSED: `)),
      'case terminate: 2 in all, 1 done, 1 refused, 0 failed',
    ]);
    expect((await statusOf(a))?.['status']).toBe('terminated');
  });

  it('on a terminal: a progress bar, and what was not done listed on stderr', async () => {
    const [open, closed] = [await startInJointReview(), await startInJointReview()];
    await as('housing.lead', 'case', 'terminate', closed, ...GROUND);
    const token = await f.token('housing.lead');
    // The same id twice is one item.
    const run = await tongban(['case', 'terminate', open, closed, open, ...GROUND], { env: { TONGBAN_API_TOKEN: token }, app: f.app, tty: true });
    expect([run.code, run.progress]).toEqual([1, `case terminate [${'#'.repeat(15)}${'-'.repeat(15)}] 1/2case terminate [${'#'.repeat(30)}] 2/2\n`]);
    expect(run.stdout).toBe('case terminate: 2 in all, 1 done, 1 refused, 0 failed\n');
    expect(run.stderr).toMatch(new RegExp(`^refused ${closed}: 409 TB-CASE-CLOSED: .*\n$`));
  });

  it("a credential without the right is refused by the API, said in one line; nothing changes", async () => {
    const caseId = await startInJointReview();
    const before = await statusOf(caseId);
    const run = await as('housing.handler', 'case', 'terminate', caseId, ...GROUND);
    expect([run.code, run.stdout.split('\n')[0]]).toEqual([1, expect.stringMatching(new RegExp(`^refused ${caseId}: 403 TB-PERMISSION: `))]);
    expect(await statusOf(caseId)).toEqual(before);
    const show = await as('admin', 'incidents', 'list');
    expect(show.code).toBe(0);
    const denied = await as('fire.handler', 'incidents', 'list');
    expect([denied.code, denied.stderr.trimEnd().split('\n')]).toEqual([1, [expect.stringMatching(/^tongban incidents list: refused: 403 TB-PERMISSION: /)]]);
  });
});

describe('incidents and timers', () => {
  /** Gives one of the case's pending timers up, as the timer worker does after its last attempt: its incident's id. */
  const giveUpATimer = async (caseId: string): Promise<string> => {
    const [timer] = await f.sql<{ id: string }[]>`select id from timers where case_id = ${caseId} and status = 'pending' order by due_at limit 1`;
    const now = new Date();
    const incidentId = await openTimerIncident(f.sql, { timerId: timer!.id, error: 'boom', attempts: 10, firstFailedAt: now, lastFailedAt: now });
    return incidentId!;
  };

  it('incidents list, then case retry re-arms the named cases’ incidents; a case without one is refused', async () => {
    const [failing, healthy] = [await startInJointReview(), await startInJointReview()];
    const incidentId = await giveUpATimer(failing);
    const listed = await as('admin', 'incidents', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${incidentId} case ${failing} \\S+ due .*: boom$`, 'm'));
    const run = await as('admin', 'case', 'retry', failing, healthy);
    expect([run.code, run.stdout.trimEnd().split('\n')]).toEqual([
      1,
      [
        expect.stringMatching(new RegExp(`^done ${incidentId}: re-armed \\(case version \\d+\\)$`)),
        `refused ${healthy}: case ${healthy} has no open incident`,
        'case retry: 2 in all, 1 done, 1 refused, 0 failed',
      ],
    ]);
    const again = await as('admin', 'incidents', 'retry', incidentId);
    expect([again.code, again.stdout]).toEqual([1, expect.stringMatching(new RegExp(`^refused ${incidentId}: 409 `))]);
  });

  it('case retry --all-incidents re-arms every open incident', async () => {
    const incidents = [await giveUpATimer(await startInJointReview()), await giveUpATimer(await startInJointReview())];
    const run = await as('admin', 'case', 'retry', '--all-incidents');
    expect(run.code).toBe(0);
    for (const id of incidents) expect(run.stdout).toContain(`done ${id}: re-armed`);
    expect((await as('admin', 'incidents', 'list')).stdout).toMatch(/^incidents list: 0 open$/m);
  });

  it('reconcile now: an overdue timer is delivered again at once (administrators only)', async () => {
    const caseId = await startInJointReview();
    const [timer] = await f.sql<{ id: string }[]>`
      update timers set due_at = now() - interval '10 minutes'
      where id = (select id from timers where case_id = ${caseId} and status = 'pending' order by due_at limit 1) returning id`;
    const queue = createQueues(redis).timers;
    expect(await queue.getJob(timerJobId(timer!.id))).toBeUndefined();
    const denied = await as('supervisor', 'reconcile', 'now');
    expect([denied.code, denied.stderr]).toEqual([1, expect.stringMatching(/^tongban reconcile now: refused: 403 TB-PERMISSION: /)]);
    expect(await queue.getJob(timerJobId(timer!.id))).toBeUndefined();
    const run = await as('admin', 'reconcile', 'now');
    // The walk from the start of the horizon enqueues the overdue timer itself; the sweep after it finds its job there.
    expect([run.code, run.stdout]).toEqual([0, expect.stringMatching(/^reconcile now: [1-9]\d* timers due within the horizon enqueued, \d+ overdue delivered again\n$/)]);
    expect(await queue.getJob(timerJobId(timer!.id))).toBeDefined();
    await queue.close();
  });

  it('reconcile now on an API process without Redis: 503, said in one line', async () => {
    const app = createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: TEST_JWT_SECRET }, log: () => {} }));
    const run = await tongban(['reconcile', 'now'], { env: { TONGBAN_API_TOKEN: await f.token('admin') }, app });
    expect([run.code, run.stderr]).toEqual([1, 'tongban reconcile now: refused: 503 TB-QUEUES-UNAVAILABLE: This API process runs without Redis (REDIS_URL): it has no queues to reconcile.\n']);
  });
});

describe('definitions', () => {
  const next = constructionPermit.version + 1;
  const draftFile = (name: string, machine: object) => file(`${name}.json`, JSON.stringify({ version: next, title: '施工许可 Construction permit', machine }));

  it('lint --file saves the draft and says its findings (exit 1 with errors); publish publishes it; a non-designer is refused', async () => {
    const broken: any = structuredClone(constructionPermit.machine);
    broken.states.orphan = { entry: [{ type: 'notifyApplicant', params: { template: 'supplement.requested' } }], on: { 'supplement.submitted': 'acceptance' } };
    const lint = await as('designer', 'definitions', 'lint', 'construction-permit', '--file', draftFile('broken', broken));
    expect([lint.code, lint.stdout]).toEqual([1, expect.stringMatching(/^error machine\.states\.orphan\S*: unreachable-state: /m)]);
    const refused = await as('designer', 'definitions', 'publish', 'construction-permit', String(next));
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('refused: 422 TB-DEFINITION-LINT: ')]);

    const clean = await as('designer', 'definitions', 'lint', 'construction-permit', '--file', draftFile('clean', constructionPermit.machine));
    expect([clean.code, clean.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, expect.stringMatching(new RegExp(`^definitions lint: construction-permit ${next} \\(draft saved\\): 0 errors, \\d+ warnings$`))]);
    const handler = await as('housing.handler', 'definitions', 'publish', 'construction-permit', String(next));
    expect([handler.code, handler.stderr]).toEqual([1, expect.stringContaining('refused: 403 TB-PERMISSION: ')]);
    const published = await as('designer', 'definitions', 'publish', 'construction-permit', String(next));
    expect([published.code, published.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^definitions publish: construction-permit ${next} published, \\d+ warnings\\n$`))]);
    const read = await as('designer', 'definitions', 'lint', 'construction-permit', String(next));
    expect([read.code, read.stdout]).toEqual([0, expect.stringContaining(`construction-permit ${next} (published): 0 errors`)]);
  });

  it('migrate: the dry run says what would happen; applied, it starts the migration', async () => {
    await f.catalog.publish(roadOccupationV2);
    const road = await startRoadCase();
    const mapping = file('mapping.json', JSON.stringify(ROAD_V1_TO_V2));
    const args = ['definitions', 'migrate', 'road-occupation', road, '--from', '1', '--to', '2', '--mapping', mapping];
    const dryRun = await as('designer', ...args, '--dry-run');
    expect([dryRun.code, dryRun.stdout.trimEnd().split('\n')]).toEqual([0, [expect.stringMatching(new RegExp(`^migrate ${road}: \\S+ -> \\S+$`)), 'definitions migrate (dry run): 1 cases, 1 would move, 0 refused']]);
    const bad = await as('designer', 'definitions', 'migrate', 'road-occupation', '--from', 'one', '--to', '2', '--mapping', mapping);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--from must be a version number, not one')]);
    const applied = await as('designer', ...args);
    expect([applied.code, applied.stdout]).toEqual([0, expect.stringMatching(/^definitions migrate: migration [0-9a-f-]{36} (running|finished), 1 cases/)]);
    // It runs on in the API process: the fixture closes the database once it is done.
    const id = /migration (\S+)/.exec(applied.stdout)![1];
    for (let i = 0; i < 100 && (await f.as('designer').get(`/api/catalog/migrations/${id}`)).body.status !== 'finished'; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  });
});
