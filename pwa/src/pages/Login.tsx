import { createSignal, Show } from "solid-js";
import { Logo } from "../components/Logo.tsx";
import { t } from "../lib/i18n.ts";
import type { Session } from "../stores/session.ts";

export function Login(props: { session: Session }) {
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      await props.session.login(password());
      setPassword("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card stack" onSubmit={submit}>
      <div class="row">
        <Logo size={40} />
        <h2>{t("login")}</h2>
      </div>
      <label for="password">{t("password")}</label>
      <input
        id="password"
        type="password"
        autocomplete="current-password"
        required
        value={password()}
        onInput={(e) => setPassword(e.currentTarget.value)}
        aria-describedby="login-help login-error"
      />
      <p id="login-help" class="muted small">
        {t("loginHint")}
      </p>
      <Show when={error()}>
        <p id="login-error" class="error" role="alert">
          {error()}
        </p>
      </Show>
      <button type="submit" disabled={busy()}>
        {t("login")}
      </button>
    </form>
  );
}
