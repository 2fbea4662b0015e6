// GET /api/events: the admin app's live view, as server-sent events
// (https://html.spec.whatwg.org/multipage/server-sent-events.html). `status` carries the
// dashboard's picture on connect and every STATUS_MS while anyone listens (one picture built per
// tick, shared by every listener); `request` carries each request-log row as it is written. The
// app reads it with fetch (so its Bearer token goes along) and falls back to polling when the
// stream breaks.
import type { RowListener, UsageStore } from "../store/usage.ts";
import type { RequestRow, StatusResponse } from "./schemas.ts";

export const STATUS_MS = 2000;
/** Listeners at once: a phone that reconnected after sleep may leave old streams; the oldest goes. */
const MAX_LISTENERS = 8;
/** Events queued for a listener that does not read: past this it is dropped (it reconnects). */
const MAX_QUEUED = 256;

const encoder = new TextEncoder();
const record = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

interface Listener {
  readonly send: (chunk: Uint8Array) => void;
  readonly close: () => void;
}

export interface EventsDeps {
  readonly usage: Pick<UsageStore, "onRow">;
  readonly status: () => StatusResponse;
  /** The stream is over: its connection goes back under the idle rules. */
  readonly release: (request: Request) => void;
}

export function createAdminEvents(deps: EventsDeps) {
  const listeners = new Set<Listener>();
  let ticker: ReturnType<typeof setInterval> | undefined;
  let unsubscribe: (() => void) | undefined;

  const broadcast = (chunk: Uint8Array) => {
    for (const listener of listeners) listener.send(chunk);
  };
  const onRow: RowListener = (row) => broadcast(record("request", row satisfies RequestRow));

  const start = () => {
    ticker ??= setInterval(() => broadcast(record("status", deps.status())), STATUS_MS);
    unsubscribe ??= deps.usage.onRow(onRow);
  };
  const stopIfIdle = () => {
    if (listeners.size > 0) return;
    clearInterval(ticker);
    ticker = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
  };

  return {
    /** The event stream for one admin app (the session was checked by the caller). */
    open(request: Request): Response {
      let listener: Listener | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          let open = true;
          const close = () => {
            if (!open) return;
            open = false;
            if (listener) listeners.delete(listener);
            stopIfIdle();
            deps.release(request);
            try {
              controller.close();
            } catch {} // already closed or errored
          };
          listener = {
            send(chunk) {
              if (!open) return;
              if ((controller.desiredSize ?? 0) < -MAX_QUEUED) return close();
              controller.enqueue(chunk);
            },
            close,
          };
          if (listeners.size >= MAX_LISTENERS) listeners.values().next().value?.close();
          listeners.add(listener);
          request.signal.addEventListener("abort", close, { once: true });
          // The browser reconnects after 2 s if the app uses EventSource; the app's own reader does too.
          controller.enqueue(encoder.encode("retry: 2000\n\n"));
          listener.send(record("status", deps.status()));
          start();
        },
        cancel() {
          listener?.close();
        },
      });
      return new Response(body, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    },
  };
}

export type AdminEvents = ReturnType<typeof createAdminEvents>;
