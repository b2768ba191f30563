import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The OpenTelemetry SDK registered in this process: what its spans (`tracing.ts`) are recorded by. */
export interface Tracing {
  /** Sends the spans still buffered, then unregisters: the process's spans are no-ops again. */
  stop(): Promise<void>;
}

/**
 * Registers the SDK: spans recorded through `processor`, current across `await` (AsyncLocalStorage), and the
 * W3C `traceparent` read and written. The processes give it the OTLP exporter (`tracingFrom`); tests an in-memory one.
 *
 * @example const tracing = registerTracing(new SimpleSpanProcessor(new InMemorySpanExporter()), 'tongban-test');
 */
export function registerTracing(processor: SpanProcessor, serviceName: string): Tracing {
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), spanProcessors: [processor] });
  provider.register();
  return {
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, the standard variable: where an OpenTelemetry collector takes OTLP over HTTP;
 * none (unset or empty): tracing is off.
 *
 * @throws Error with one line, when it is not an http(s) URL.
 */
export function otlpEndpoint(env: NodeJS.ProcessEnv): string | null {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (endpoint === undefined || endpoint === '') return null;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is ${JSON.stringify(endpoint)}: it must be an http:// or https:// URL, e.g. http://collector:4318`);
  }
  return endpoint;
}

/**
 * Tracing as the environment configures it: off (nothing registered, `null`) without an {@link otlpEndpoint};
 * with one, spans go in batches over OTLP/HTTP to `<endpoint>/v1/traces`, as the specification joins them (the
 * exporter reads the other standard `OTEL_EXPORTER_OTLP_*` variables itself, e.g. headers and timeout).
 * `OTEL_SERVICE_NAME` replaces `serviceName`.
 *
 * @throws Error with one line, when the endpoint is not an http(s) URL.
 */
export function tracingFrom(env: NodeJS.ProcessEnv, serviceName: string): Tracing | null {
  const endpoint = otlpEndpoint(env);
  if (endpoint === null) return null;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  return registerTracing(new BatchSpanProcessor(exporter), env['OTEL_SERVICE_NAME'] || serviceName);
}

/** `tracingFrom` the process's environment, or one line on stderr (`<process>: …`) and exit code 1 before anything starts. */
export function configuredTracing(processName: 'api' | 'workers' | 'start'): Tracing | null {
  try {
    return tracingFrom(process.env, `tongban-${processName}`);
  } catch (error) {
    console.error(`${processName}: ${(error as Error).message}`);
    process.exit(1);
  }
}
