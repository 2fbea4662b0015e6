// Everything beyond the four main tabs: Providers, Clients, Connect, Settings; the look (theme, language);
// logging out; and what is running.
import { A } from "@solidjs/router";
import ChevronRight from "lucide-solid/icons/chevron-right";
import Network from "lucide-solid/icons/network";
import Plug from "lucide-solid/icons/plug";
import SettingsIcon from "lucide-solid/icons/settings";
import Users from "lucide-solid/icons/users";
import { For, Show } from "solid-js";
import { Segmented } from "../components/Segmented.tsx";
import { formatDuration } from "../lib/format.ts";
import { type Lang, lang, type MessageKey, setLang, t } from "../lib/i18n.ts";
import { type Theme, themeStore } from "../lib/theme.ts";
import { live } from "../stores/live.ts";
import type { Session } from "../stores/session.ts";

const links: [string, MessageKey, MessageKey, typeof Users][] = [
  ["/providers", "providers", "moreProviders", Network],
  ["/clients", "clients", "moreClients", Users],
  ["/connect", "connect", "moreConnect", Plug],
  ["/settings", "settings", "moreSettings", SettingsIcon],
];

export function More(props: { session: Session }) {
  return (
    <section class="stack" aria-labelledby="more-title">
      <h2 id="more-title">{t("more")}</h2>
      <nav class="card" aria-label={t("more")}>
        <ul class="menu">
          <For each={links}>
            {([href, title, description, Icon]) => (
              <li>
                <A href={href}>
                  <Icon size={24} aria-hidden="true" />
                  <span class="grow">
                    <strong>{t(title)}</strong>
                    <br />
                    <span class="small muted">{t(description)}</span>
                  </span>
                  <ChevronRight size={20} aria-hidden="true" />
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
      <div class="card stack">
        <h3>{t("appearance")}</h3>
        <Segmented<Theme>
          label={t("theme")}
          value={themeStore.theme()}
          options={[
            ["auto", t("themeAuto")],
            ["light", t("themeLight")],
            ["dark", t("themeDark")],
          ]}
          onChange={themeStore.setTheme}
        />
        <Segmented<Lang>
          label={t("language")}
          value={lang()}
          options={[
            ["en", "English"],
            ["zh", "中文"],
          ]}
          onChange={setLang}
        />
      </div>
      <Show when={live.status()}>
        {(s) => (
          <div class="card stack tight">
            <h3>{t("about")}</h3>
            <dl class="facts">
              <dt>{t("version")}</dt>
              <dd>
                pocketgate {s().version} · {s().runtime}
              </dd>
              <dt>{t("uptime")}</dt>
              <dd>{formatDuration(s().uptime_s)}</dd>
            </dl>
          </div>
        )}
      </Show>
      <button type="button" class="secondary" onClick={() => void props.session.logout()}>
        {t("logout")}
      </button>
    </section>
  );
}
