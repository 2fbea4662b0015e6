// What the gateway is doing right now, for the admin dashboard: requests waiting for upstream's
// response headers, streamed replies still open, and requests per minute over the last hour
// (in memory: a restart starts the hour afresh; the request log keeps every row).

export const MINUTES = 60;

interface Minute {
  minute: number;
  requests: number;
  /** Answered with 4xx/5xx, or a stream that did not end complete. */
  failed: number;
  /** Answered with 5xx: the gateway's or upstream's trouble, not the client's. */
  server: number;
}

export interface LastHour {
  /** Oldest first; the last entry is the current minute. */
  readonly requests: number[];
  readonly failed: number[];
  readonly server: number[];
}

export function createActivity() {
  let inFlight = 0;
  let streams = 0;
  const ring: Minute[] = Array.from({ length: MINUTES }, () => ({ minute: -1, requests: 0, failed: 0, server: 0 }));
  const slot = (minute: number): Minute => {
    const entry = ring[minute % MINUTES] as Minute;
    if (entry.minute !== minute) Object.assign(entry, { minute, requests: 0, failed: 0, server: 0 });
    return entry;
  };
  return {
    requestStarted: () => void inFlight++,
    requestAnswered: () => void inFlight--,
    streamOpened: () => void streams++,
    streamClosed: () => void streams--,
    snapshot: () => ({ in_flight: inFlight, live_streams: streams }),
    /** One finished request, counted in the minute it arrived. */
    count(at: number, status: number, failed: boolean): void {
      const entry = slot(Math.floor(at / 60_000));
      entry.requests++;
      if (failed) entry.failed++;
      if (status >= 500) entry.server++;
    },
    lastHour(now: number): LastHour {
      const current = Math.floor(now / 60_000);
      const out = { requests: [] as number[], failed: [] as number[], server: [] as number[] };
      for (let minute = current - MINUTES + 1; minute <= current; minute++) {
        const entry = ring[minute % MINUTES] as Minute;
        const seen = entry.minute === minute;
        out.requests.push(seen ? entry.requests : 0);
        out.failed.push(seen ? entry.failed : 0);
        out.server.push(seen ? entry.server : 0);
      }
      return out;
    },
  };
}

export type Activity = ReturnType<typeof createActivity>;
