import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBody } from '../../api/body-limit.js';

const LIMIT = { maxBytes: 16, code: 'TB-HTTP-413', detail: 'Bodies are limited to 16 bytes.' } as const;

/** An app behind the limit that echoes the body, and a request that says whether anyone opened its body stream. */
function echo() {
  const app = new Hono();
  app.use('*', limitBody(LIMIT));
  app.all('/echo', async (c) => c.text(await c.req.text()));
  const watched = (init: RequestInit) => {
    const request = new Request('http://localhost/echo', init);
    const stream = Object.getOwnPropertyDescriptor(Request.prototype, 'body')!.get!;
    const opened = { body: false };
    // @hono/node-server builds a whole Fetch Request (a web stream over the socket) for whoever asks for `body`.
    Object.defineProperty(request, 'body', { get: () => ((opened.body = true), stream.call(request)) });
    return { request, opened };
  };
  return { app, watched };
}

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 4) controller.enqueue(bytes.slice(i, i + 4));
      controller.close();
    },
  });
}

describe('the body limit', () => {
  it('lets a body through on its declared length, never opening the body stream', async () => {
    const { app, watched } = echo();
    const { request, opened } = watched({ method: 'POST', headers: { 'content-length': '11' }, body: '{"a":"bcd"}' });
    const res = await app.fetch(request);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"a":"bcd"}');
    expect(opened.body).toBe(false);
  });

  it('refuses a declared length over the limit with 413 and Connection: close, the body unread', async () => {
    const { app, watched } = echo();
    const { request, opened } = watched({ method: 'POST', headers: { 'content-length': '17' }, body: 'x'.repeat(17) });
    const res = await app.fetch(request);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toMatchObject({ code: 'TB-HTTP-413', detail: LIMIT.detail });
    expect(opened.body).toBe(false);
  });

  it('asks a GET for no body', async () => {
    const { app, watched } = echo();
    const { request, opened } = watched({ method: 'GET' });
    expect((await app.fetch(request)).status).toBe(200);
    expect(opened.body).toBe(false);
  });

  it('counts a body sent without a length as it is read: through up to the limit, 413 past it', async () => {
    const { app } = echo();
    const send = (text: string) => app.fetch(new Request('http://localhost/echo', { method: 'POST', body: chunked(text), duplex: 'half' } as RequestInit));
    const fits = await send('x'.repeat(16));
    expect(fits.status).toBe(200);
    expect(await fits.text()).toBe('x'.repeat(16));
    const over = await send('x'.repeat(17));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ code: 'TB-HTTP-413' });
  });
});
