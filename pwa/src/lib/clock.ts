// A clock for countdowns ("usable again in 42 s"), ticking once a second while the app is visible.
import { createRoot, createSignal } from "solid-js";

export const now = createRoot(() => {
  const [time, setTime] = createSignal(Date.now());
  setInterval(() => {
    if (document.visibilityState === "visible") setTime(Date.now());
  }, 1000);
  return time;
});
