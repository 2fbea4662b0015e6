// The bottom navigation: five icon tabs a thumb reaches; Clients, Connect and Settings are
// under More (which stays lit while one of them is open).
import { A, useLocation } from "@solidjs/router";
import ChartColumn from "lucide-solid/icons/chart-column";
import Ellipsis from "lucide-solid/icons/ellipsis";
import House from "lucide-solid/icons/house";
import KeyRound from "lucide-solid/icons/key-round";
import ScrollText from "lucide-solid/icons/scroll-text";
import { For } from "solid-js";
import { type MessageKey, t } from "../lib/i18n.ts";

const tabs: [string, MessageKey, typeof House][] = [
  ["/", "home", House],
  ["/keys", "credentials", KeyRound],
  ["/logs", "logs", ScrollText],
  ["/usage", "usage", ChartColumn],
  ["/more", "more", Ellipsis],
];
const underMore = ["/more", "/clients", "/connect", "/settings"];

export function TabBar() {
  const location = useLocation();
  const active = (href: string) => {
    const path = location.pathname;
    if (href === "/") return path === "/";
    if (href === "/more") return underMore.some((p) => path.startsWith(p));
    return path.startsWith(href);
  };
  return (
    <nav class="tabs" aria-label={t("pages")}>
      <For each={tabs}>
        {([href, label, Icon]) => (
          <A href={href} classList={{ active: active(href) }} aria-current={active(href) ? "page" : undefined}>
            <Icon size={22} aria-hidden="true" />
            <span>{t(label)}</span>
          </A>
        )}
      </For>
    </nav>
  );
}
