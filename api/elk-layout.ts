import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * ELK's layered layout on a thread of its own. ELK is Java compiled to JavaScript and runs to the end once started:
 * a process the size of the construction permit takes it about a second of CPU (several while the JIT warms up),
 * during which the API's thread would answer nothing — no command, no health check. So layouts go to one worker
 * thread, started with the first of them; they queue there in order. The thread never keeps the process up while
 * it has nothing to do. If it dies, the layouts waiting on it fail (500) and the next one starts another.
 */

/** The worker: ELK's bundled build (no worker file of its own), answering each layout by its id. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const ELK = require(${JSON.stringify(createRequire(import.meta.url).resolve('elkjs/lib/elk.bundled.js'))});
const elk = new ELK();
parentPort.on('message', ({ id, graph }) =>
  elk.layout(graph).then(
    (laidOut) => parentPort.postMessage({ id, laidOut }),
    (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
  ),
);
`;

interface Waiting {
  readonly resolve: (laidOut: ElkNode) => void;
  readonly reject: (error: Error) => void;
}

let thread: Worker | null = null;
const waiting = new Map<number, Waiting>();
let lastId = 0;

/**
 * ELK's answer for a graph (`elk.layout`), computed off this thread.
 *
 * @example
 * const laidOut = await layoutOffThread(elkInput(labelled));
 */
export function layoutOffThread(graph: ElkNode): Promise<ElkNode> {
  const worker = (thread ??= startThread());
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    // Held up while it owes an answer, so that a script awaiting a layout does not end before it.
    worker.ref();
    worker.postMessage({ id, graph });
  });
}

function startThread(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.on('message', ({ id, laidOut, error }: { id: number; laidOut?: ElkNode; error?: string }) => {
    const answer = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error === undefined && laidOut) answer?.resolve(laidOut);
    else answer?.reject(new Error(`ELK could not lay the diagram out: ${error}`));
  });
  const fail = (error: Error) => {
    if (thread === worker) thread = null;
    for (const answer of waiting.values()) answer.reject(error);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The layout thread ended (exit code ${code})`)));
  return worker;
}
