// The shell: header, offline banner, update prompt, the pages (hash routes, so no path the
// gateway owns is ever taken) and the bottom navigation.
import { A, HashRouter, Route, type RouteSectionProps } from "@solidjs/router";
import { createSignal, lazy, Show } from "solid-js";
import { ReloadPrompt } from "./components/ReloadPrompt.tsx";
import { lang, setLang, t } from "./lib/i18n.ts";
import { Clients } from "./pages/Clients.tsx";
import { Credentials } from "./pages/Credentials.tsx";
import { Dashboard } from "./pages/Dashboard.tsx";
import { Login } from "./pages/Login.tsx";
import { LogDetail, Logs } from "./pages/Logs.tsx";
import { Settings } from "./pages/Settings.tsx";
import { createSession } from "./stores/session.ts";
import { reachable } from "./stores/status.ts";

// Charts and the QR code load only with the pages that use them (first-load budget).
const Usage = lazy(() => import("./pages/Usage.tsx"));
const Connect = lazy(() => import("./pages/Connect.tsx"));

type Theme = "auto" | "light" | "dark";
const [theme, setThemeSignal] = createSignal<Theme>((localStorage.getItem("theme") as Theme | null) ?? "auto");
// "auto" follows the device, now and when it changes; the stylesheet knows only light and dark.
const deviceDark = matchMedia("(prefers-color-scheme: dark)");
const applyTheme = (next: Theme) => {
  localStorage.setItem("theme", next);
  const dark = next === "dark" || (next === "auto" && deviceDark.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  setThemeSignal(next);
};
deviceDark.addEventListener("change", () => applyTheme(theme()));
applyTheme(theme());
setLang(lang());

const pages: [string, Parameters<typeof t>[0]][] = [
  ["/", "home"],
  ["/keys", "credentials"],
  ["/clients", "clients"],
  ["/settings", "settings"],
  ["/logs", "logs"],
  ["/usage", "usage"],
  ["/connect", "connect"],
];

export function App() {
  const session = createSession();

  const Layout = (props: RouteSectionProps) => (
    <>
      <header class="topbar">
        <h1>{t("appName")}</h1>
        <div class="row">
          <label class="sr-only" for="lang">
            {t("language")}
          </label>
          <select id="lang" value={lang()} onChange={(e) => setLang(e.currentTarget.value as "en" | "zh")}>
            <option value="en">EN</option>
            <option value="zh">中文</option>
          </select>
          <label class="sr-only" for="theme">
            {t("theme")}
          </label>
          <select id="theme" value={theme()} onChange={(e) => applyTheme(e.currentTarget.value as Theme)}>
            <option value="auto">◐</option>
            <option value="light">☀</option>
            <option value="dark">☾</option>
          </select>
          <Show when={session.loggedIn()}>
            <button type="button" class="ghost" onClick={() => void session.logout()}>
              {t("logout")}
            </button>
          </Show>
        </div>
      </header>
      <Show when={!reachable()}>
        <div class="banner offline" role="alert" data-testid="offline-banner">
          {t("offlineNoSnapshot")}
        </div>
      </Show>
      <ReloadPrompt />
      <main>
        <Show when={session.ready()} fallback={<p>{t("loading")}</p>}>
          <Show when={session.loggedIn()} fallback={<Login session={session} />}>
            {props.children}
          </Show>
        </Show>
      </main>
      <Show when={session.loggedIn()}>
        <nav class="tabs" aria-label="pages">
          {pages.map(([href, label]) => (
            <A href={href} end={href === "/"} activeClass="active">
              {t(label)}
            </A>
          ))}
        </nav>
      </Show>
    </>
  );

  return (
    <HashRouter root={Layout}>
      <Route path="/" component={Dashboard} />
      <Route path="/keys" component={Credentials} />
      <Route path="/clients" component={Clients} />
      <Route path="/settings" component={Settings} />
      <Route path="/logs" component={Logs} />
      <Route path="/logs/:id" component={LogDetail} />
      <Route path="/usage" component={Usage} />
      <Route path="/connect" component={Connect} />
    </HashRouter>
  );
}
