// Copies a value; says "Copied" for two seconds. Falls back to selecting a hidden textarea where
// the Clipboard API is not available (plain http on a LAN address).
import { createSignal } from "solid-js";
import { t } from "../lib/i18n.ts";

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement("textarea");
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = createSignal(false);
  return (
    <button
      type="button"
      class="secondary"
      aria-label={props.label ? `${t("copy")}: ${props.label}` : t("copy")}
      onClick={async () => {
        await copyText(props.text).catch(() => {});
        setDone(true);
        setTimeout(() => setDone(false), 2000);
      }}
    >
      {done() ? t("copied") : t("copy")}
    </button>
  );
}
