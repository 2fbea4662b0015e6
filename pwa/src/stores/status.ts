// The dashboard's live data: /api/status every 2 s while the app is visible. Each answer is
// kept in IndexedDB; when the gateway cannot be reached the last one is shown instead.
import { createSignal, onCleanup } from "solid-js";
import type { StatusResponse } from "../../../server/admin/schemas.ts";
import { api, handleReachable } from "../lib/api.ts";
import { loadSnapshot, saveSnapshot } from "../lib/storage.ts";

const POLL_MS = 2000;

const [reachable, setReachable] = createSignal(true);
handleReachable(setReachable);

/** False once a call to the gateway failed to connect, until one succeeds again. */
export { reachable };

export function createStatus() {
  const [status, setStatus] = createSignal<StatusResponse>();
  const [savedAt, setSavedAt] = createSignal<number>();

  void loadSnapshot().then((snapshot) => {
    if (snapshot && !status()) {
      setStatus(snapshot.status);
      setSavedAt(snapshot.saved_at);
    }
  });

  const poll = async () => {
    if (document.visibilityState === "hidden") return;
    try {
      const next = await api.status();
      setStatus(next);
      setSavedAt(undefined);
      void saveSnapshot(next);
    } catch {
      const snapshot = await loadSnapshot();
      if (snapshot) setSavedAt(snapshot.saved_at);
    }
  };
  void poll();
  const timer = setInterval(poll, POLL_MS);
  onCleanup(() => clearInterval(timer));

  return { status, savedAt, refresh: poll };
}
