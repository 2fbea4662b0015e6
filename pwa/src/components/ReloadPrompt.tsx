// Tells the user when a new version of the app is installed and waiting (registerType: prompt).

import { useRegisterSW } from "virtual:pwa-register/solid";
import { Show } from "solid-js";
import { t } from "../lib/i18n.ts";

export function ReloadPrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  return (
    <Show when={needRefresh()}>
      <div class="toast" role="status">
        <span>{t("updateReady")}</span>
        <button type="button" onClick={() => void updateServiceWorker(true)}>
          {t("reload")}
        </button>
        <button type="button" class="ghost" onClick={() => setNeedRefresh(false)}>
          {t("dismiss")}
        </button>
      </div>
    </Show>
  );
}
