import type { Problem } from '../../api/client';

/**
 * What became of a command the page sent: null when the API accepted it, else the problem it answered (RFC
 * 9457) — or one standing for a failure to reach it — for `ProblemAlert` to show: a 409 as "someone acted first",
 * anything else with its detail.
 */
export async function refusal(request: Promise<{ error?: unknown; response: Response }>): Promise<Problem | null> {
  try {
    const { error, response } = await request;
    if (response.ok) return null;
    return isProblem(error) ? error : { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status, code: `HTTP-${response.status}` };
  } catch (cause) {
    return { type: 'about:blank', title: 'Network error', status: 0, code: 'NETWORK', detail: cause instanceof Error ? cause.message : String(cause) };
  }
}

const isProblem = (value: unknown): value is Problem => typeof value === 'object' && value !== null && 'status' in value && 'code' in value;
