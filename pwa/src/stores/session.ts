// The admin session: loaded from IndexedDB at start, saved on login, dropped on logout or when
// the gateway says it is no longer valid.
import { createSignal } from "solid-js";
import { api, handleUnauthorized, setToken } from "../lib/api.ts";
import { clearSession, loadSession, saveSession } from "../lib/storage.ts";

export function createSession() {
  const [loggedIn, setLoggedIn] = createSignal(false);
  const [ready, setReady] = createSignal(false);

  const forget = async () => {
    setToken(undefined);
    setLoggedIn(false);
    await clearSession();
  };
  handleUnauthorized(() => void forget());

  void loadSession().then((saved) => {
    if (saved && saved.expires_at > Date.now()) {
      setToken(saved.token);
      setLoggedIn(true);
    }
    setReady(true);
  });

  return {
    ready,
    loggedIn,
    async login(password: string) {
      const session = await api.login(password);
      setToken(session.token);
      await saveSession(session);
      setLoggedIn(true);
    },
    async logout() {
      await api.logout().catch(() => {});
      await forget();
    },
  };
}

export type Session = ReturnType<typeof createSession>;
