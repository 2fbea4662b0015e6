// A secret shown masked, with Show/Hide and Copy: a client key an app needs, not for onlookers.
import { createSignal } from "solid-js";
import { t } from "../lib/i18n.ts";
import { CopyButton } from "./CopyButton.tsx";

const masked = (value: string) => (value.length > 12 ? `${value.slice(0, 4)}••••${value.slice(-4)}` : "••••••••");

export function Secret(props: { value: string; label: string; testId?: string }) {
  const [shown, setShown] = createSignal(false);
  return (
    <div class="secret">
      <code data-testid={props.testId} data-shown={shown()}>
        {shown() ? props.value : masked(props.value)}
      </code>
      <button
        type="button"
        class="secondary"
        aria-pressed={shown()}
        aria-label={`${shown() ? t("hide") : t("reveal")}: ${props.label}`}
        onClick={() => setShown(!shown())}
      >
        {shown() ? t("hide") : t("reveal")}
      </button>
      <CopyButton text={props.value} label={props.label} />
    </div>
  );
}
