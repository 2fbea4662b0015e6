// Numbers, money, times, durations and sizes for display, each with its unit, in the user's
// language; and the compact forms settings are typed in ("10m", "16MiB", as the README writes them).
import { lang, t } from "./i18n.ts";

const locale = () => (lang() === "zh" ? "zh-CN" : "en-US");

export const formatInt = (n: number) => new Intl.NumberFormat(locale()).format(Math.round(n));

/** 1234 → "1,234"; 1_234_567 → "1.2M" / "123.5万" when `compact`. */
export const formatCount = (n: number, compact = false) =>
  compact && Math.abs(n) >= 10_000
    ? new Intl.NumberFormat(locale(), { notation: "compact", maximumFractionDigits: 1 }).format(n)
    : formatInt(n);

/** A count with its unit, singular when it is one: "1 request", "2,345 tokens", "1.2M tokens". */
export const formatCountOf = (n: number, unit: "requests" | "tokens", compact = false) =>
  `${formatCount(n, compact)} ${t(n === 1 ? (unit === "requests" ? "requestUnit" : "tokenUnit") : unit === "requests" ? "requestsUnit" : "tokensUnit")}`;

/** "$0.09", "$0.0022", and a negative amount (a saving that cost more) as "−$0.0022". */
export const formatUsd = (n: number): string => {
  if (n < 0) return `−${formatUsd(-n)}`;
  if (n === 0) return "$0.00";
  if (n < 0.01) return `$${n.toFixed(4)}`;
  return `$${new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(n)}`;
};

export const formatPercent = (ratio: number) =>
  new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: ratio < 0.1 ? 1 : 0 }).format(ratio);

export const formatTime = (ms: number) =>
  new Date(ms).toLocaleString(locale(), {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });

/** Today: the time only; earlier: the date and the minute. */
export function formatWhen(ms: number, now = Date.now()): string {
  if (new Date(ms).toDateString() === new Date(now).toDateString()) return formatClock(ms);
  return new Date(ms).toLocaleString(locale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export const formatClock = (ms: number) =>
  new Date(ms).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** A short date for chart axes ("Dec 3" / "12月3日"), from "2026-12-03". */
export const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(locale(), { month: "short", day: "numeric", timeZone: "UTC" });

/** Milliseconds with their unit: "0.4 ms", "350 ms", "2.1 s"; "–" for none. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 10) return t("unit_ms", { n: ms.toFixed(ms < 1 ? 2 : 1).replace(/\.?0+$/, "") });
  if (ms < 1000) return t("unit_ms", { n: Math.round(ms) });
  return t("unit_s", { n: (ms / 1000).toFixed(1) });
}

/** A length of time in words: "1 min 20 s", "3 h 5 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const parts: string[] = [];
  if (d > 0) parts.push(t("unit_d", { n: d }), t("unit_h", { n: h }));
  else if (h > 0) parts.push(t("unit_h", { n: h }), t("unit_min", { n: m }));
  else if (m > 0) parts.push(t("unit_min", { n: m }), ...(rest ? [t("unit_s", { n: rest })] : []));
  else parts.push(t("unit_s", { n: rest }));
  return parts.join(" ");
}

/** The largest unit only: "3 min", "2 h", "5 d". */
function roughDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 86_400) return t("unit_d", { n: Math.floor(s / 86_400) });
  if (s >= 3600) return t("unit_h", { n: Math.floor(s / 3600) });
  if (s >= 60) return t("unit_min", { n: Math.floor(s / 60) });
  return t("unit_s", { n: s });
}

/** "3 min ago", "just now". */
export const formatAgo = (ms: number, now = Date.now()) =>
  now - ms < 5000 ? t("justNow") : t("ago", { time: roughDuration((now - ms) / 1000) });

/** Seconds as a setting is typed: 600 → "10m", 5400 → "1h30m", 90 → "90s", 0.5 → "0.5s". */
export function durationText(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (s !== 0) return seconds < 600 ? `${seconds}s` : `${h ? `${h}h` : ""}${m}m${s}s`;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}`;
}

/** Bytes as a setting is typed: 33554432 → "32MiB", 524288 → "512KiB", else the plain number. */
export function sizeText(bytes: number): string {
  if (bytes % (1 << 20) === 0) return `${bytes / (1 << 20)}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return String(bytes);
}

/** "api.deepseek.com" for "https://api.deepseek.com/anthropic" (host and port; the text itself if not a URL). */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Model ids typed one per line (or with commas or spaces between them). */
export const modelList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter((m) => m !== "");
