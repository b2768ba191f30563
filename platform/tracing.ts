import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry spans, through the API package alone: until a process registers the SDK
 * (`tracing-sdk.ts`, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set), every span here is the API's no-op one and
 * no `traceparent` is ever written. Attributes are ids and codes, as the log lines are: never personal data.
 *
 * The trace of a case goes request → command → commit → outbox relay → timer fire. Across processes it travels
 * as a W3C `traceparent` where the request id does: in the outbox row a commit writes (`currentTraceparent`), and
 * in the timer job the relay adds (`openSpan`'s).
 */
export { SpanKind };

/** Asked for at each span, not kept: a tracer kept stays bound to the first SDK registered, even once it is stopped (tests register and stop one). */
const tracer = () => trace.getTracer('tongban');

/**
 * Runs `work` in a new span, current while it runs (its commands' and queries' spans are its children): a child
 * of the span current now, or with `parent` (a `traceparent`), of that remote span. A throw ends it as an error
 * (`error.type`: the error's code or name, never its message), and is thrown on.
 *
 * @example await inSpan('timer.fire', { 'tongban.timer.id': id }, () => fire(job), { kind: SpanKind.CONSUMER, parent: job.data.traceparent })
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  options: { readonly kind?: SpanKind; readonly parent?: string | undefined } = {},
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, parentContext(options.parent), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span begun and not yet ended, for work that is not one call (a relayed row inside its batch's transaction). */
export interface OpenSpan {
  /** Its `traceparent`, for the work it hands on; none while tracing is off. */
  readonly traceparent: string | undefined;
  /** Ends it, as an error when given one. */
  end(error?: unknown): void;
}

/** Begins a span, a child of the remote span `parent` names (none: of the span current now). */
export function openSpan(name: string, attributes: Attributes, parent: string | undefined, kind: SpanKind = SpanKind.INTERNAL): OpenSpan {
  const span = tracer().startSpan(name, { kind, attributes }, parentContext(parent));
  return {
    traceparent: traceparentIn(trace.setSpan(context.active(), span)),
    end(error) {
      if (error !== undefined) markFailed(span, error);
      span.end();
    },
  };
}

/** The current span as a `traceparent`, to write where the work goes on elsewhere; none while tracing is off. */
export function currentTraceparent(): string | undefined {
  return traceparentIn(context.active());
}

/**
 * The context a span starts in: `parent`'s remote span (an incoming request's header, a row's, a job's), or the
 * current one. A remote parent replaces the current context: work that came from elsewhere is not part of the
 * batch or loop that happens to pick it up.
 */
function parentContext(parent: string | undefined): Context {
  return parent === undefined ? context.active() : propagation.extract(ROOT_CONTEXT, { traceparent: parent });
}

function traceparentIn(ctx: Context): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** Marks the span failed, `type` saying how (a code, never a message: `error.type`). */
export function spanFailed(span: Span, type: string): void {
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Marks the span failed with what the logs say of an error: its code (engine, SQLSTATE) or its name. */
function markFailed(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  spanFailed(span, typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown');
}
