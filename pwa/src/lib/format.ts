// Numbers, money, times and durations for display.
import { lang } from "./i18n.ts";

const locale = () => (lang() === "zh" ? "zh-CN" : "en-US");

export const formatInt = (n: number) => new Intl.NumberFormat(locale()).format(Math.round(n));
export const formatUsd = (n: number) =>
  `$${n < 1 && n > 0 ? n.toFixed(4) : new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(n)}`;
export const formatTime = (ms: number) =>
  new Date(ms).toLocaleString(locale(), {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
export const formatMs = (ms: number | null) =>
  ms === null ? "–" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return `${m}m ${seconds % 60}s`;
}
