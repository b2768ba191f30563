import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../platform/logger.js';
import { SteadyClock } from '../../platform/steady-clock.js';

/** Real time as the authority sees it, the host's monotonic and wall clocks, each movable on its own; no sleeping. */
function world() {
  const at = { real: Date.parse('2026-12-02T08:00:00Z'), monotonic: 5_000, wallOffset: 0, authorityOffset: 0, authorityDown: false };
  const logged: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];
  const clock = new SteadyClock({
    sources: {
      authority: async () => {
        if (at.authorityDown) throw new Error('connect ECONNREFUSED');
        return at.real + at.authorityOffset;
      },
      monotonic: () => at.monotonic,
      wall: () => at.real + at.wallOffset,
    },
    logger: { log: (level, event, fields = {}) => logged.push({ level, event, fields }) },
  });
  /** Real time passes; the monotonic clock with it (a suspended VM's would not). */
  const pass = (ms: number) => {
    at.real += ms;
    at.monotonic += ms;
  };
  return { at, clock, logged, pass, skews: () => logged.filter((l) => l.event === 'clock.skew').map((l) => l.fields['skewMs']) };
}

const HOUR = 3_600_000;

describe('the steady clock', () => {
  it('reads the authority’s time, advancing on the monotonic clock', async () => {
    const w = world();
    w.at.wallOffset = 40; // an ordinary, tolerated disagreement
    await w.clock.anchor();
    w.pass(1_500);
    expect(w.clock.now().getTime()).toBe(w.at.real);
    expect(w.skews()).toEqual([]);
  });

  it('reads the host’s clock until its first anchor', () => {
    const w = world();
    w.at.wallOffset = 7;
    expect(w.clock.now().getTime()).toBe(w.at.real + 7);
  });

  it('does not follow the host’s clock jumping an hour forward, and logs the skew once', async () => {
    const w = world();
    await w.clock.anchor();
    w.at.wallOffset = HOUR;
    w.pass(1_000);
    expect(w.clock.now().getTime()).toBe(w.at.real);
    w.pass(1_000);
    expect(w.clock.now().getTime()).toBe(w.at.real);
    expect(w.skews()).toEqual([HOUR]);
  });

  it('does not follow the host’s clock jumping an hour back, and logs each jump', async () => {
    const w = world();
    await w.clock.anchor();
    w.at.wallOffset = HOUR;
    w.clock.now();
    w.at.wallOffset = -HOUR;
    w.pass(10);
    expect(w.clock.now().getTime()).toBe(w.at.real);
    expect(w.skews()).toEqual([HOUR, -HOUR]);
    expect(w.logged.find((l) => l.event === 'clock.skew')).toMatchObject({ level: 'warn' });
  });

  it('anchors again when it sees the host jump: a suspended VM’s monotonic clock stood still, the authority did not', async () => {
    const w = world();
    await w.clock.anchor();
    w.at.real += 90_000; // suspended 90 s: wall and authority moved on, monotonic did not
    expect(w.clock.now().getTime()).toBe(w.at.real - 90_000);
    await w.clock.anchor(); // the one the skew started (in flight) — awaiting it is awaiting the same read
    expect(w.clock.now().getTime()).toBe(w.at.real);
  });

  it('anchors to the midpoint of the authority’s round trip', async () => {
    const w = world();
    const slow = new SteadyClock({
      sources: {
        authority: async () => {
          w.at.monotonic += 200; // 200 ms round trip; the authority read its clock halfway
          return w.at.real + 100;
        },
        monotonic: () => w.at.monotonic,
        wall: () => w.at.real,
      },
      logger: { log: () => {} },
    });
    await slow.anchor();
    expect(slow.now().getTime()).toBe(w.at.real + 200);
  });

  it('corrects the monotonic clock’s drift at the next anchor, and never goes back', async () => {
    const w = world();
    await w.clock.anchor();
    w.at.monotonic += 60_500; // the monotonic clock ran 500 ms fast over a minute
    w.at.real += 60_000;
    const ahead = w.clock.now().getTime();
    expect(ahead).toBe(w.at.real + 500);
    await w.clock.anchor();
    expect(w.clock.now().getTime()).toBe(ahead); // held, not sent back
    w.pass(600);
    expect(w.clock.now().getTime()).toBe(w.at.real); // caught up: on the authority again
  });

  it('keeps its last anchor when the authority cannot be read, and says so', async () => {
    const w = world();
    await w.clock.anchor();
    w.at.authorityDown = true;
    await expect(w.clock.anchor()).rejects.toThrow('ECONNREFUSED');
    w.pass(2_000);
    expect(w.clock.now().getTime()).toBe(w.at.real);
    expect(w.logged.map((l) => l.event)).toEqual(['clock.anchor-failed']);
  });
});
