// The shell: header (logo, the gateway's state at a glance, theme and language), offline banner,
// update prompt, toasts, the pages (hash routes, so no path the gateway owns is ever taken) and
// the bottom tab bar.
import { A, HashRouter, Route, type RouteSectionProps } from "@solidjs/router";
import Moon from "lucide-solid/icons/moon";
import Sun from "lucide-solid/icons/sun";
import SunMoon from "lucide-solid/icons/sun-moon";
import { createEffect, lazy, Show } from "solid-js";
import { Logo } from "./components/Logo.tsx";
import { ReloadPrompt } from "./components/ReloadPrompt.tsx";
import { TabBar } from "./components/TabBar.tsx";
import { Toasts } from "./components/Toast.tsx";
import { lang, setLang, t } from "./lib/i18n.ts";
import { healthTone } from "./lib/status.ts";
import { nextTheme, themeStore } from "./lib/theme.ts";
import { Clients } from "./pages/Clients.tsx";
import { Credentials } from "./pages/Credentials.tsx";
import { Dashboard } from "./pages/Dashboard.tsx";
import { Login } from "./pages/Login.tsx";
import { LogDetail, Logs } from "./pages/Logs.tsx";
import { More } from "./pages/More.tsx";
import { Providers } from "./pages/Providers.tsx";
import { Settings } from "./pages/Settings.tsx";
import { live, reachable } from "./stores/live.ts";
import { createSession, type Session } from "./stores/session.ts";

// Charts and the QR code load only with the pages that use them (first-load budget).
const Usage = lazy(() => import("./pages/Usage.tsx"));
const Connect = lazy(() => import("./pages/Connect.tsx"));

setLang(lang());
const themeName = () =>
  t(themeStore.theme() === "auto" ? "themeAuto" : themeStore.theme() === "light" ? "themeLight" : "themeDark");

function Header(props: { session: Session }) {
  const state = () => live.status()?.health.state;
  return (
    <header class="topbar">
      <A href="/" class="brand">
        <Logo size={30} />
        <h1>{t("appName")}</h1>
        <Show when={props.session.loggedIn() && state()}>
          {(s) => (
            <span class={`pill ${healthTone(s())}`} data-testid="header-health">
              <span class={`dot ${healthTone(s())}`} />
              <span class="narrow-hide">{t(`health_${s()}`)}</span>
            </span>
          )}
        </Show>
      </A>
      <button
        type="button"
        class="ghost lang"
        lang={lang() === "zh" ? "en" : "zh"}
        aria-label={`${t("languageOther")} · ${t("languageOtherLabel")}`}
        onClick={() => setLang(lang() === "zh" ? "en" : "zh")}
      >
        {t("languageOther")}
      </button>
      <button
        type="button"
        class="ghost icon"
        aria-label={t("themeNow", { mode: themeName() })}
        onClick={() => themeStore.setTheme(nextTheme(themeStore.theme()))}
      >
        <Show when={themeStore.theme() === "auto"}>
          <SunMoon size={22} aria-hidden="true" />
        </Show>
        <Show when={themeStore.theme() === "light"}>
          <Sun size={22} aria-hidden="true" />
        </Show>
        <Show when={themeStore.theme() === "dark"}>
          <Moon size={22} aria-hidden="true" />
        </Show>
      </button>
    </header>
  );
}

export function App() {
  const session = createSession();
  // The live connection runs while someone is logged in.
  createEffect(() => (session.loggedIn() ? live.start() : live.stop()));

  const Layout = (props: RouteSectionProps) => (
    <>
      <Header session={session} />
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
      <Toasts />
      <Show when={session.loggedIn()}>
        <TabBar />
      </Show>
    </>
  );

  return (
    <HashRouter root={Layout}>
      <Route path="/" component={Dashboard} />
      <Route path="/keys" component={Credentials} />
      <Route path="/logs" component={Logs} />
      <Route path="/logs/:id" component={LogDetail} />
      <Route path="/usage" component={Usage} />
      <Route path="/more" component={() => <More session={session} />} />
      <Route path="/clients" component={Clients} />
      <Route path="/connect" component={Connect} />
      <Route path="/settings" component={Settings} />
      <Route path="/providers" component={Providers} />
    </HashRouter>
  );
}
