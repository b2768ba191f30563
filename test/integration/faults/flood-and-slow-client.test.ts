import { connect as connectTcp, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../../api/auth.js';
import { serveApi } from '../../../apps/serve-api.js';
import { getFreePort } from '../../../platform/free-port.js';
import { systemClock } from '../../../platform/system-clock.js';
import { startApiFleet, type ApiFleet } from '../../support/api-fleet.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import type { ApiProcess, Fleet } from '../../support/fleet.js';
import { TEST_JWT_SECRET } from '../../support/test-auth.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 14: a slow client and a flood.
 * (a) Fault: 10,000 requests within a minute from one caller (one token) against a real API process
 *     (`TONGBAN_RATE_LIMIT_PER_MINUTE=100`), pipelined on keep-alive connections from a thread of their own.
 *     Expected: the per-caller limit holds (100 accepted: the fleet's clock stands still, so the bucket never
 *     refills), the rest are 429 `TB-RATE-LIMITED` problem+json with Retry-After, and another caller's inbox reads keep
 *     a p99 within 2× of theirs without the flood. The two are measured in alternating phases of one run (flood on,
 *     flood off), so that whatever else loads the machine loads both alike; over 2×, measured once more.
 * (b) Fault: slowloris, connections that send their headers, or their body, a byte at a time. Expected: other
 *     callers are answered meanwhile, and the server cuts each slow connection once its timeout passes.
 */

let f: EngineFixture;
let fleet: Fleet;
let api: ApiProcess;
/**
 * Small, because the requests a limit lets through are real work: a full bucket spent at once queues that many inbox
 * reads on the API's pool ahead of other callers (300 at once put ~450 ms on a few of their reads here).
 */
const LIMIT = 100;
const FLOOD = 10_000;
const PHASES = 10;
/** How long each flood phase sends its share: 10,000 requests in 8 s of flooding, 1,250 a second (the issue asks for 10,000 within a minute). */
const PHASE_MS = 800;

let w: ApiFleet;
beforeAll(async () => {
  w = await startApiFleet('flood', { TONGBAN_RATE_LIMIT_PER_MINUTE: String(LIMIT) }, 1);
  ({ f, fleet } = w);
  [api] = w.apis as [ApiProcess];
}, 60_000);
afterAll(() => w?.close());

/**
 * The flooding caller, in a thread of its own so that sending never delays the measured requests, and as cheap as a
 * real flooding tool (wrk, a scraper's loop): raw keep-alive connections with requests pipelined on them, answers
 * counted by their status lines. Given `{ count, ms }`, it sends `count` requests evenly over `ms` and answers how
 * each was answered once all were.
 */
const FLOODER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const request = Buffer.from('GET ' + workerData.path + ' HTTP/1.1\\r\\nHost: localhost\\r\\nAuthorization: Bearer ' + workerData.token + '\\r\\n\\r\\n');
const statuses = {};
let answered = 0;
let expected = 0;
let done = null;
const connections = Array.from({ length: workerData.connections }, () => {
  const socket = net.connect(workerData.port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('error', (error) => parentPort.postMessage({ error: String(error) }));
  let tail = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    const text = tail + chunk;
    const lines = /HTTP\\/1\\.1 (\\d{3}) /g;
    let match;
    let last = 0;
    while ((match = lines.exec(text))) {
      statuses[match[1]] = (statuses[match[1]] || 0) + 1;
      answered += 1;
      last = lines.lastIndex;
    }
    tail = text.slice(Math.max(last, text.length - 16));
    if (done && answered === expected) done();
  });
  return socket;
});
parentPort.on('message', ({ count, ms }) => {
  for (const key of Object.keys(statuses)) delete statuses[key];
  answered = 0;
  expected = count;
  const ticks = Math.max(1, Math.round(ms / 10));
  let sent = 0;
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    const upTo = Math.round((count * tick) / ticks);
    for (; sent < upTo; sent++) connections[sent % connections.length].write(request);
    if (tick >= ticks) clearInterval(timer);
  }, 10);
  done = () => {
    done = null;
    parentPort.postMessage({ ...statuses });
  };
});
`;

const INBOX = '/api/tasks?view=todo&pageSize=20';

/** One inbox read as `token`: its status and how long it took, in ms. */
async function timedRead(token: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${api.url}${INBOX}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/**
 * The other callers: handlers of six departments, each with twenty tokens (issued a second apart, so each is a
 * credential of its own), taken in turn, so that none of them comes near the limit.
 */
function otherCallers(): Promise<string[]> {
  const users = ['fire', 'planning', 'ecology', 'water', 'civil-air-defence', 'housing'].map((dept) => `${dept}.handler`);
  const issuedSecondsAgo = (seconds: number) => ({ now: () => new Date(Date.now() - seconds * 1000) });
  return Promise.all(users.flatMap((user) => Array.from({ length: 20 }, (_, s) => mintToken(user, TEST_JWT_SECRET, issuedSecondsAgo(s)))));
}

/** The most reads measured in one phase: on an idle machine a phase holds hundreds, and a few dozen say as much. */
const READS_PER_PHASE = 100;

const p99 = (samples: readonly number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.99) - 1]!;

describe('a flood from one caller', () => {
  it('is refused beyond the per-caller limit while other callers keep their p99', { timeout: 150_000 }, async () => {
    const flooderToken = await mintToken('window.clerk', TEST_JWT_SECRET, systemClock);
    const others = await otherCallers();
    let reads = 0;
    const otherRead = async (into: number[]) => {
      const read = await timedRead(others[reads++ % others.length]!);
      expect(read.status).toBe(200);
      into.push(read.ms);
    };
    for (let i = 0; i < 40; i++) await otherRead([]); // warm: connections, caches, JIT
    const port = Number(new URL(api.url).port);
    const flooder = new Worker(FLOODER, { eval: true, workerData: { port, path: INBOX, token: flooderToken, connections: 4 } });
    const flood = (count: number, ms: number) =>
      new Promise<Record<string, number>>((resolve) => {
        flooder.once('message', resolve);
        flooder.postMessage({ count, ms });
      });
    /** One flood, sent in alternating phases while the others read, answered as the limit says: their p99 with it ÷ without. */
    const measure = async (): Promise<number> => {
      const quiet: number[] = [];
      const flooded: number[] = [];
      const answered: Record<string, number>[] = [];
      const started = performance.now();
      for (let phase = 0; phase < PHASES; phase++) {
        // Flood on: the other callers read while this phase's share of the flood is being answered.
        let flooding = true;
        const sent = flood(FLOOD / PHASES, PHASE_MS).finally(() => (flooding = false));
        const before = flooded.length;
        while ((flooding && flooded.length - before < READS_PER_PHASE) || flooded.length - before < 10) await otherRead(flooded);
        answered.push(await sent);
        // Flood off: as many reads again.
        while (quiet.length < flooded.length) await otherRead(quiet);
      }
      const total = (status: string) => answered.reduce((n, a) => n + (a[status] ?? 0), 0);
      const seconds = (performance.now() - started) / 1000;
      const ratio = p99(flooded) / p99(quiet);
      console.log(
        `${FLOOD} requests from one caller in ${seconds.toFixed(1)} s: ${total('200')} accepted, ${total('429')} refused; ` +
          `other callers' p99 ${p99(quiet).toFixed(1)} ms without the flood, ${p99(flooded).toFixed(1)} ms with it (${quiet.length} samples each): ×${ratio.toFixed(2)}`,
      );
      expect(total('200') + total('429'), JSON.stringify(answered)).toBe(FLOOD);
      expect(seconds).toBeLessThan(60);
      // The fleet's clock stands still: the bucket never refills, so exactly the limit gets through.
      expect(total('200')).toBe(LIMIT);
      expect(quiet.length).toBeGreaterThanOrEqual(300);
      return ratio;
    };
    try {
      let ratio = await measure();
      // A p99 of a few hundred reads is their third slowest: one stall of a shared machine (CI runs browsers beside
      // this) falling in a flood phase is enough to double it. So a ratio over 2 is measured once more, the bucket
      // full again a minute later: a flood that slows the others does so both times, a stall seldom twice.
      if (ratio > 2) {
        await fleet.setClock(new Date(fleet.now().getTime() + 60_000));
        ratio = await measure();
      }
      expect(ratio).toBeLessThanOrEqual(2);
    } finally {
      await flooder.terminate();
    }

    // The refusal: problem+json, with the seconds until the bucket holds a request again.
    const refused = await fetch(`${api.url}${INBOX}`, { headers: { authorization: `Bearer ${flooderToken}` } });
    expect([refused.status, refused.headers.get('content-type'), refused.headers.get('retry-after')]).toEqual([429, 'application/problem+json', '1']);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'TB-RATE-LIMITED' });
    // A minute later the bucket is full again.
    await fleet.setClock(new Date(fleet.now().getTime() + 60_000));
    const again = await fetch(`${api.url}${INBOX}`, { headers: { authorization: `Bearer ${flooderToken}` } });
    expect(again.status).toBe(200);
  });
});

describe('slow clients', () => {
  /** Short timeouts, so that the slow connections are cut within the test; production's are in HTTP_TIMEOUTS. */
  const TIMEOUTS = { headersMs: 3_000, requestMs: 4_000, keepAliveMs: 1_000, checkEveryMs: 200 };

  /** A connection that sends `head` whole, then `drip` a byte every 100 ms; `end()` says when the server ended it, and with what. */
  function slowConnection(port: number, head: string, drip: string): { socket: Socket; end(): { afterMs: number; answer: string } | null } {
    const socket = connectTcp(port, '127.0.0.1');
    const started = performance.now();
    let answer = '';
    let sentBytes = 0;
    let end: { afterMs: number; answer: string } | null = null;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {}); // a reset is one way the server ends it
    socket.write(head);
    const dripping = setInterval(() => socket.writable && socket.write(drip[sentBytes++ % drip.length]!), 100);
    socket.once('close', () => {
      clearInterval(dripping);
      end = { afterMs: performance.now() - started, answer };
    });
    return { socket, end: () => end };
  }

  it('neither block other callers nor outlive the timeouts', { timeout: 30_000 }, async () => {
    const port = await getFreePort();
    const server = await serveApi({ ...f, close: async () => undefined }, { port, auth: { jwtSecret: TEST_JWT_SECRET }, log: { log: () => undefined }, timeouts: TIMEOUTS });
    const [token, clerk] = await Promise.all([mintToken('fire.handler', TEST_JWT_SECRET, systemClock), mintToken('window.clerk', TEST_JWT_SECRET, systemClock)]);
    const slow = [
      ...Array.from({ length: 4 }, () => slowConnection(port, `GET ${INBOX} HTTP/1.1\r\nHost: localhost\r\n`, 'X-Slow: aaaaaaaaaaaaaaaa\r\n')),
      ...Array.from({ length: 4 }, () =>
        slowConnection(port, `POST /api/cases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${clerk}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`, '{"a":1}'),
      ),
    ];
    try {
      // Others are answered while every slow connection is still open (the first cut comes after 3 s).
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${server.url}${INBOX}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect(slow.every((s) => !s.socket.closed)).toBe(true);
      await waitFor('the slow connections to be cut', async () => slow.every((s) => s.end()), 15_000);
      for (const end of slow.map((s) => s.end()!)) {
        // Cut by the server within the request timeout and a checking interval or two, answered 408 where it still could.
        expect(end.afterMs).toBeLessThan(TIMEOUTS.requestMs + 3 * TIMEOUTS.checkEveryMs + 1_000);
        if (end.answer) expect(end.answer).toMatch(/^HTTP\/1\.1 408/);
      }
    } finally {
      for (const s of slow) s.socket.destroy();
      await server.close();
    }
  });
});
