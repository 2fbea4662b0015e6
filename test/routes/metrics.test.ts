// GET /metrics: Prometheus text that a strict line-by-line reading accepts.
import { describe, expect, test } from "bun:test";
import { isLoopback } from "../../server/metrics.ts";
import { runtime } from "../harness/gateway.ts";
import { postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();

/** The text exposition format: HELP/TYPE comments and `name{labels} value` samples. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1] ?? "")).toBe(false);
      types.set(type[1] ?? "", type[2] ?? "");
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(
        line,
      );
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const base = (sample[1] ?? "").replace(/_(bucket|sum|count)$/, "");
    expect(types.has(sample[1] ?? "") || types.has(base)).toBe(true);
    samples.set(`${sample[1]}${sample[2] ?? ""}`, Number(sample[3]));
  }
  return samples;
}

describe(`metrics on ${runtime}`, () => {
  test("parses as Prometheus text and counts requests, errors, latency, tokens and key states", async () => {
    await (await postMessages(suite.gateway.url)).arrayBuffer();
    await (await postMessages(suite.gateway.url, { headers: { "x-api-key": "wrong" } })).arrayBuffer();
    const response = await fetch(`${suite.gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
    const samples = parsePrometheus(await response.text());
    expect(samples.get('pocketgate_requests_total{route="messages",status="200"}')).toBe(1);
    expect(samples.get('pocketgate_errors_total{route="messages",status="401"}')).toBe(1);
    expect(samples.get('pocketgate_response_seconds_count{route="messages"}')).toBe(2);
    expect(samples.get('pocketgate_overhead_seconds_count{route="messages"}')).toBe(1);
    expect(samples.get('pocketgate_tokens_total{kind="input",model="claude-sonnet-4-6"}')).toBe(12);
    expect(
      [...samples.keys()].some((k) => k.startsWith("pocketgate_upstream_key_state{") && k.includes('state="active"')),
    ).toBe(true);
  });

  test("only loopback clients get metrics without an admin session", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["192.168.1.5", "10.0.0.1", "::ffff:192.168.1.5", "fe80::1", undefined].some(isLoopback)).toBe(false);
  });
});
