/**
 * The peer under test, in its own process like ours (`server.ts`): bpmn-engine running the joint-approval
 * BPMN, one PostgreSQL transaction per step: lock the case row, recover the engine from its jsonb state,
 * resume, signal the user task, persist the new state, commit. Served over plain `node:http` (no auth, no
 * validation library: the peer gets the cheapest HTTP layer).
 *
 * The parsed BPMN (moddle context) is built once per process and the stored state leaves out the
 * definition source, which bpmn-engine otherwise serialises into every state and parses on every recover:
 * measured 2.5× faster per step than the default, so this is the peer at its best.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import postgres from 'postgres';
import { ELEMENT_OF, JOINT_APPROVAL_BPMN, KEY_OF } from './peer-process.js';

const config = JSON.parse(process.env['PEER_CONFIG'] ?? '{}') as { databaseUrl: string; port: number; poolSize: number };
const sql = postgres(config.databaseUrl, { max: config.poolSize, onnotice: () => {} });
const moddleContext = await new BpmnModdle().fromXML(JOINT_APPROVAL_BPMN);

type State = Awaited<ReturnType<Engine['getState']>>;
const stored = (state: State): unknown => ({ ...state, definitions: state.definitions.map(({ source: _source, ...d }) => d) });
const openKeys = (engine: Engine): string[] =>
  (engine.execution?.getPostponed() ?? []).map((a) => KEY_OF[a.id]).filter((k): k is string => k !== undefined);
/** bpmn-engine carries a signal through the flow on its broker; let it settle before reading the state. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function start(): Promise<unknown> {
  const id = randomUUID();
  const engine = new Engine({ name: id, moddleContext });
  await engine.execute();
  await settle();
  const open = openKeys(engine);
  const state = stored(await engine.getState());
  await sql`insert into peer_cases (id, state, version, updated_at) values (${id}, ${sql.json(state as never)}, 1, now())`;
  return { caseId: id, state: open.join('+'), open };
}

async function complete(caseId: string, key: string): Promise<{ status: number; body: unknown }> {
  const element = ELEMENT_OF[key];
  if (!element) return { status: 404, body: { detail: `no task ${key}` } };
  return sql.begin(async (tx) => {
    const [row] = await tx<{ state: unknown; version: number }[]>`select state, version from peer_cases where id = ${caseId} for update`;
    if (!row) return { status: 404, body: { detail: 'no such case' } };
    const engine = new Engine({ name: caseId, moddleContext }).recover(row.state);
    const execution = await engine.resume();
    if (!execution.getPostponed().some((a) => a.id === element)) return { status: 409, body: { detail: `${key} is not open` } };
    execution.signal({ id: element });
    await settle();
    const open = openKeys(engine);
    const state = stored(await engine.getState());
    await tx`update peer_cases set state = ${tx.json(state as never)}, version = ${row.version + 1}, updated_at = now() where id = ${caseId}`;
    return { status: 200, body: { caseId, version: row.version + 1, state: open.length > 0 ? open.join('+') : 'end', open } };
  });
}

const reply = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
};

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume(); // bodies carry nothing the peer needs
  req.on('end', () => {
    const done = /^\/peer\/cases\/([0-9a-f-]{36})\/tasks\/([^/]+)\/complete$/.exec(req.url ?? '');
    const work =
      req.method === 'POST' && req.url === '/peer/cases'
        ? start().then((body) => ({ status: 201, body }))
        : req.method === 'POST' && done
          ? complete(done[1] as string, decodeURIComponent(done[2] as string))
          : Promise.resolve({ status: 404, body: { detail: 'no route' } });
    work.then(
      (r) => reply(res, r.status, r.body),
      (error: unknown) => reply(res, 500, { detail: String(error) }),
    );
  });
});
server.listen(config.port, '127.0.0.1', () => process.send?.({ type: 'ready' }));
process.on('message', (m: { type?: string }) => {
  if (m.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'stats', value: { pgWrites: 0, redisWrites: 0, statements: 0, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 } });
  } else if (m.type === 'stop') {
    server.close();
    server.closeAllConnections();
    void sql.end({ timeout: 5 }).then(() => process.exit(0));
  }
});
