// Short confirmations ("Limits saved") and failures, above the tab bar, read out by screen
// readers (role=status / alert); each goes after a few seconds or when dismissed.
import { createSignal, For } from "solid-js";
import { t } from "../lib/i18n.ts";

interface Toast {
  readonly id: number;
  readonly text: string;
  readonly bad: boolean;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let next = 0;

const dismiss = (id: number) => setToasts((list) => list.filter((x) => x.id !== id));

/** Shows `text` for a few seconds; `bad` for a failure (stays longer). */
export function toast(text: string, bad = false): void {
  const id = next++;
  setToasts((list) => [...list.slice(-2), { id, text, bad }]);
  setTimeout(() => dismiss(id), bad ? 8000 : 3500);
}

export function Toasts() {
  return (
    <div class="toasts">
      <For each={toasts()}>
        {(item) => (
          <div class={item.bad ? "toast bad" : "toast"} role={item.bad ? "alert" : "status"} data-testid="toast">
            <span class="grow">{item.text}</span>
            <button type="button" class="icon ghost" aria-label={t("dismiss")} onClick={() => dismiss(item.id)}>
              ✕
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
