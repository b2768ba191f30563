import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaseNotFoundError } from '../../engine/errors.js';
import { configuredTracing, registerTracing, tracingFrom } from '../../platform/tracing-sdk.js';
import { currentTraceparent, inSpan, openSpan } from '../../platform/tracing.js';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;
const REFUSAL = 'it must be an http:// or https:// URL, e.g. http://collector:4318';

describe('tracingFrom (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('registers nothing when unset or empty: spans are no-ops and write no traceparent', async () => {
    expect(tracingFrom({}, 'tongban-api')).toBeNull();
    expect(tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, 'tongban-api')).toBeNull();
    expect(openSpan('outbox.relay', {}, undefined).traceparent).toBeUndefined();
    expect(await inSpan('commit', {}, async () => currentTraceparent())).toBeUndefined();
  });

  it.each(['collector:4318', 'not a url', 'ftp://collector:4318', '//collector:4318'])('refuses %j in one line, registering nothing', (value) => {
    expect(() => tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: value }, 'tongban-api')).toThrow(`OTEL_EXPORTER_OTLP_ENDPOINT is ${JSON.stringify(value)}: ${REFUSAL}`);
    expect(openSpan('outbox.relay', {}, undefined).traceparent).toBeUndefined();
  });

  it('registers the SDK for an http(s) endpoint, and unregisters it when stopped', async () => {
    const tracing = tracingFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, 'tongban-api');
    try {
      // Never ended: nothing is sent to the endpoint.
      expect(openSpan('outbox.relay', {}, undefined).traceparent).toMatch(TRACEPARENT);
    } finally {
      await tracing?.stop();
    }
    expect(openSpan('outbox.relay', {}, undefined).traceparent).toBeUndefined();
  });
});

describe('configuredTracing', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('stops the start with one line on stderr and exit code 1 for a bad endpoint', () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318');
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    expect(() => configuredTracing('workers')).toThrow('exit 1');
    expect(stderr.mock.calls).toEqual([[`workers: OTEL_EXPORTER_OTLP_ENDPOINT is "collector:4318": ${REFUSAL}`]]);
  });
});

describe('spans', () => {
  it("nest, continue a remote parent's trace and fail with the error's code, never its message", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = registerTracing(new SimpleSpanProcessor(exporter), 'tongban-test');
    try {
      const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const failure = inSpan('command task.complete', { 'tongban.operation': 'task.complete' }, () => inSpan('commit', {}, () => Promise.reject(new CaseNotFoundError('张小明'))), { parent });
      await expect(failure).rejects.toThrow(CaseNotFoundError);
      const [commit, command] = exporter.getFinishedSpans();
      expect(command?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(command?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(commit?.parentSpanContext?.spanId).toBe(command?.spanContext().spanId);
      expect(command?.attributes).toEqual({ 'tongban.operation': 'task.complete', 'error.type': 'TB-CASE-404' });
      expect(commit?.status).toEqual({ code: 2 });
      expect(JSON.stringify([commit?.attributes, commit?.events, command?.events])).not.toContain('张小明');
    } finally {
      await tracing.stop();
    }
  });
});
