// The dashboard's verdict (server/admin/health.ts): each reason, and the worst state wins.
import { describe, expect, test } from "bun:test";
import { type HealthInput, healthOf } from "../../server/admin/health.ts";
import type { KeyView } from "../../server/admin/schemas.ts";

const key = (state: KeyView["state"], until?: number): KeyView => ({
  id: `key_${state}`,
  provider: "anthropic",
  label: state,
  masked: "sk-ant-…abcd",
  source: "admin",
  origin: "admin",
  enabled: state !== "disabled",
  state,
  last_used: 0,
  ...(until === undefined ? {} : { until }),
});
const quiet = { requests: Array(60).fill(0), failed: Array(60).fill(0), server: Array(60).fill(0) };
const base: HealthInput = {
  reach: { ok: true, status: 404, ms: 20, message: "answered 404", checked_at: 0 },
  keys: [key("active")],
  lastHour: quiet,
  configProblem: undefined,
  baseUrl: "https://api.anthropic.com",
  proxy: "",
};

describe("health verdict", () => {
  test("ok when upstream answers and a key is usable", () => {
    expect(healthOf(base)).toEqual({ state: "ok", reasons: [] });
  });
  test("down: upstream unreachable, naming the host and the proxy", () => {
    const reach = { ok: false, ms: 8000, message: "cannot connect: ECONNREFUSED", checked_at: 0 };
    const health = healthOf({ ...base, reach, proxy: "http://10.0.0.2:3128" });
    expect(health.state).toBe("down");
    expect(health.reasons).toEqual([
      {
        code: "unreachable",
        host: "api.anthropic.com",
        detail: "cannot connect: ECONNREFUSED",
        proxy: "10.0.0.2:3128",
      },
    ]);
  });
  test("down: no key; every key cooling (until the first returns); every key unusable", () => {
    expect(healthOf({ ...base, keys: [] }).reasons).toEqual([{ code: "no_keys" }]);
    const cooling = healthOf({ ...base, keys: [key("cooling", 5000), key("cooling", 3000), key("invalid")] });
    expect(cooling).toEqual({ state: "down", reasons: [{ code: "keys_cooling", count: 2, until: 3000 }] });
    expect(healthOf({ ...base, keys: [key("invalid"), key("disabled")] }).reasons).toEqual([
      { code: "keys_unusable", count: 2 },
    ]);
  });
  test("degraded: some keys unusable; server errors in the last five minutes; a refused config edit", () => {
    expect(healthOf({ ...base, keys: [key("active"), key("invalid")] })).toEqual({
      state: "degraded",
      reasons: [{ code: "some_keys_unusable", count: 1, total: 2 }],
    });
    const busy = { ...quiet, requests: [...Array(59).fill(0), 10], server: [...Array(59).fill(0), 3] };
    expect(healthOf({ ...base, lastHour: busy }).reasons).toEqual([{ code: "server_errors", count: 3, total: 10 }]);
    // Old errors, or a few among many, are not news.
    const old = { ...quiet, requests: [10, ...Array(59).fill(0)], server: [10, ...Array(59).fill(0)] };
    expect(healthOf({ ...base, lastHour: old }).state).toBe("ok");
    expect(healthOf({ ...base, configProblem: "bad" }).reasons).toEqual([{ code: "config_problem" }]);
  });
  test("the worst state wins, every reason is listed", () => {
    const reach = { ok: false, ms: 1, message: "x", checked_at: 0 };
    const health = healthOf({ ...base, reach, configProblem: "bad", keys: [key("active"), key("cooling", 1)] });
    expect(health.state).toBe("down");
    expect(health.reasons.map((r) => r.code)).toEqual(["unreachable", "some_keys_unusable", "config_problem"]);
  });
});
