import { UsageError, type CliIo } from './cli-io.js';

/** A request the API answered with a problem: its status, and the problem said in one line. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    line: string,
  ) {
    super(line);
  }
}

/** The API as the CLI reaches it: JSON in, JSON out, a problem thrown as an {@link ApiRefusal}. */
export interface ApiClient {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
}

/**
 * The API at `TONGBAN_API_URL` (default `http://localhost:3000`), with the caller's credential: `TONGBAN_API_TOKEN`
 * (a person's bearer token, e.g. `npm run tokens -- admin`) or `TONGBAN_API_KEY` (a department system's key). The
 * CLI holds no rights of its own: the API decides what the credential may do, and records it as for any caller.
 */
export function apiClient(io: CliIo): ApiClient {
  const base = (io.env['TONGBAN_API_URL'] ?? 'http://localhost:3000').replace(/\/+$/, '');
  const token = io.env['TONGBAN_API_TOKEN'];
  const key = io.env['TONGBAN_API_KEY'];
  if (!token && !key) throw new UsageError('set TONGBAN_API_TOKEN (a bearer token: npm run tokens -- admin) or TONGBAN_API_KEY (an API key) to act through the API');
  const authorization = token ? `Bearer ${token}` : `ApiKey ${key}`;
  // The API's answers are JSON whose shape the OpenAPI document gives; the commands read the fields they print.
  const send = async (method: string, path: string, body?: unknown): Promise<any> => {
    const headers: Record<string, string> = { authorization, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await io.fetch(`${base}/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    const json = text ? parseJson(text) : null;
    if (!res.ok) throw new ApiRefusal(res.status, problemLine(res.status, json, text));
    return json;
  };
  return { get: (path) => send('GET', path), post: (path, body) => send('POST', path, body ?? {}) };
}

/** `403 TB-FORBIDDEN: <detail>`, with the fields an invalid request names. */
function problemLine(status: number, problem: any, text: string): string {
  if (!problem || typeof problem !== 'object') return `${status} ${text.slice(0, 200) || 'no answer'}`;
  const fields = Array.isArray(problem.errors) && problem.errors.length > 0 ? ` (${problem.errors.map((e: any) => `${e.path}: ${e.message}`).join('; ')})` : '';
  return `${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? ''}${fields}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
