/**
 * The engine's one error tree. Every error has a stable `code` that the API maps to an RFC 9457
 * problem type, and says whether retrying the same command could succeed (`retryable`).
 */
export abstract class EngineError extends Error {
  abstract readonly code: `TB-${string}`;
  /** HTTP status the API answers with; the engine itself knows nothing of HTTP beyond this hint. */
  abstract readonly status: 400 | 403 | 404 | 409 | 413 | 422;
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
