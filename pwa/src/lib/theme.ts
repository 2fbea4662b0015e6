// Light, dark, or following the device ("auto"), kept in localStorage; the stylesheet knows only
// light and dark (data-theme on <html>).
import { createRoot, createSignal } from "solid-js";

export type Theme = "auto" | "light" | "dark";

export const themeStore = createRoot(() => {
  const [theme, setThemeSignal] = createSignal<Theme>((localStorage.getItem("theme") as Theme | null) ?? "auto");
  const deviceDark = matchMedia("(prefers-color-scheme: dark)");
  const apply = (next: Theme) => {
    localStorage.setItem("theme", next);
    const dark = next === "dark" || (next === "auto" && deviceDark.matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
    document.querySelector('meta[name="theme-color"]')?.setAttribute("content", dark ? "#142427" : "#ffffff");
    setThemeSignal(next);
  };
  deviceDark.addEventListener("change", () => apply(theme()));
  apply(theme());
  return { theme, setTheme: apply };
});

const order: Theme[] = ["auto", "light", "dark"];
export const nextTheme = (current: Theme): Theme => order[(order.indexOf(current) + 1) % order.length] as Theme;
