import { createServer } from 'node:net';

const HOST = '127.0.0.1';

/** Resolves with the port the listener got, or rejects if it could not listen. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: HOST, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Whether nothing listens on `port` on 127.0.0.1 right now (our services only bind there).
 *
 * @example if (!(await isPortFree(54329))) console.log('taken')
 */
export async function isPortFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/** A port the kernel considers free on 127.0.0.1 (it may be taken again before it is used). */
export function getFreePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * The `preferred` port when it is free, otherwise a free one; says so through `log` because
 * a moved port surprises whoever connects to the default.
 */
export async function choosePort(preferred: number, log: (line: string) => void): Promise<number> {
  if (await isPortFree(preferred)) return preferred;
  const port = await getFreePort();
  log(`port ${preferred} is taken, using ${port}`);
  return port;
}
