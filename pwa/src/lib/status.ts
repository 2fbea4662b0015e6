// Which status colour a thing gets: ok (green), warn (amber), bad (red), off (grey).
import type { HealthView, KeyView, RequestRow } from "../../../server/admin/schemas.ts";

export type Tone = "ok" | "warn" | "bad" | "off";

export const healthTone = (state: HealthView["state"]): Tone =>
  state === "ok" ? "ok" : state === "degraded" ? "warn" : "bad";

export const keyTone = (state: KeyView["state"]): Tone =>
  state === "active" ? "ok" : state === "cooling" ? "warn" : state === "invalid" ? "bad" : "off";

/** A request: 2xx ok (unless its stream broke), 4xx warn, 5xx bad. */
export const requestTone = (row: Pick<RequestRow, "status" | "stream_end">): Tone => {
  if (row.status >= 500) return "bad";
  if (row.status >= 400) return "warn";
  return row.stream_end && row.stream_end !== "complete" ? "warn" : "ok";
};
