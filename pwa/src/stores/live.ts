// The app's live data, one connection for every page: GET /api/events brings the dashboard's
// picture every 2 s and each request-log row as it is written. When that stream breaks, the app
// polls /api/status every 2 s instead (and Logs re-reads its list) while it tries to reconnect,
// with a growing pause. Nothing runs while the app is hidden. Each picture is kept in IndexedDB;
// when the gateway cannot be reached the last one is shown instead.
import { createRoot, createSignal } from "solid-js";
import type { RequestRow, StatusResponse } from "../../../server/admin/schemas.ts";
import { api, handleReachable } from "../lib/api.ts";
import { loadSnapshot, saveSnapshot } from "../lib/storage.ts";

export const POLL_MS = 2000;
const RECONNECT_MIN_MS = 2000;
const RECONNECT_MAX_MS = 30_000;
/** The offline snapshot is written at most this often (IndexedDB on a phone is not free). */
const SNAPSHOT_EVERY_MS = 10_000;

export type LiveMode = "connecting" | "live" | "polling";

const [reachable, setReachable] = createSignal(true);
handleReachable(setReachable);

/** False once a call to the gateway failed to connect, until one succeeds again. */
export { reachable };

type RowListener = (row: RequestRow) => void;

function createLive() {
  const [status, setStatus] = createSignal<StatusResponse>();
  const [savedAt, setSavedAt] = createSignal<number>();
  const [mode, setMode] = createSignal<LiveMode>("connecting");
  const listeners = new Set<RowListener>();
  let running = false;
  let abort: AbortController | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = RECONNECT_MIN_MS;
  let snapshotAt = 0;

  void loadSnapshot().then((snapshot) => {
    if (snapshot && !status()) {
      setStatus(snapshot.status);
      setSavedAt(snapshot.saved_at);
    }
  });

  const show = (next: StatusResponse) => {
    setStatus(next);
    setSavedAt(undefined);
    if (Date.now() - snapshotAt > SNAPSHOT_EVERY_MS) {
      snapshotAt = Date.now();
      void saveSnapshot(next);
    }
  };

  const poll = async () => {
    try {
      show(await api.status());
    } catch {
      const snapshot = await loadSnapshot();
      if (snapshot) setSavedAt(snapshot.saved_at);
    }
  };
  const startPolling = () => {
    setMode("polling");
    if (pollTimer === undefined) {
      void poll();
      pollTimer = setInterval(poll, POLL_MS);
    }
  };
  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = undefined;
  };

  async function connect() {
    clearTimeout(retryTimer);
    abort?.abort();
    const controller = new AbortController();
    abort = controller;
    try {
      const body = await api.events(controller.signal);
      const reader = body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const record = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: ?(.*)$/m.exec(record)?.[1];
          const data = /^data: ?(.*)$/m.exec(record)?.[1];
          if (!event || data === undefined) continue;
          if (event === "status") {
            if (mode() !== "live") {
              setMode("live");
              stopPolling();
              retryMs = RECONNECT_MIN_MS;
            }
            show(JSON.parse(data) as StatusResponse);
          } else if (event === "request") {
            const row = JSON.parse(data) as RequestRow;
            for (const listener of listeners) listener(row);
          }
        }
      }
    } catch {
      // Aborted by us, or the stream broke: either way, polling carries on until it is back.
    }
    if (abort !== controller || !running) return;
    startPolling();
    retryTimer = setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(RECONNECT_MAX_MS, retryMs * 2);
  }

  const stop = () => {
    abort?.abort();
    abort = undefined;
    clearTimeout(retryTimer);
    stopPolling();
  };
  const resume = () => {
    if (!running) return;
    if (document.visibilityState === "hidden") return stop();
    if (!abort) {
      retryMs = RECONNECT_MIN_MS;
      void connect();
    }
  };
  document.addEventListener("visibilitychange", resume);

  return {
    status,
    savedAt,
    mode,
    /** Starts the connection (after login); `stop` ends it (logout). */
    start() {
      running = true;
      resume();
    },
    stop() {
      running = false;
      stop();
      setMode("connecting");
    },
    /** New request-log rows as they are written (live mode only). */
    onRequest(listener: RowListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Read the picture now (after a change made in the app). */
    refresh: poll,
  };
}

export const live = createRoot(createLive);
