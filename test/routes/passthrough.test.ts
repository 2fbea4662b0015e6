// Native passthrough (contract §2): bytes, headers, query and errors cross the gateway unchanged.
import { describe, expect, test } from "bun:test";
import { fixtureBytes, fixtureNames } from "../harness/fixtures.ts";
import { CLIENT_KEY, runtime, startGateway, UPSTREAM_KEY } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();

/** Splits bytes at uneven places, so a gateway that re-frames lines would show it. */
function unevenChunks(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  let size = 1;
  while (i < data.length) {
    out.push(data.slice(i, i + size));
    i += size;
    size = (size * 7 + 3) % 97 || 1;
  }
  return out;
}

const streamBody = messagesBody({ stream: true });

describe(`passthrough on ${runtime}`, () => {
  test.each(fixtureNames)("recorded stream %s arrives byte-identical", async (name) => {
    const recorded = fixtureBytes(name);
    suite.mock.replyOnce({
      headers: { "content-type": "text/event-stream; charset=utf-8" },
      chunks: unevenChunks(recorded),
    });
    const response = await postMessages(suite.gateway.url, { body: streamBody });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const received = new Uint8Array(await response.arrayBuffer());
    expect(received.length).toBe(recorded.length);
    expect(Buffer.compare(received, recorded)).toBe(0);
  });

  test("upstream sees the pool key, every anthropic-* and x-claude-code-* header, the query and the exact bytes", async () => {
    // Odd spacing, key order and number formats: any re-serialisation would change these bytes.
    const body = `{"stream":false,  "messages":[{"role":"user","content":"h\\u00e9"}],"model":"claude-x","max_tokens":1.0e2,"z":{"b":1,"a":2}}`;
    const before = suite.mock.requests.length;
    const response = await fetch(`${suite.gateway.url}/code/v1/messages?beta=true`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${CLIENT_KEY}`,
        "anthropic-version": "2026-10-21",
        "anthropic-beta": "interleaved-thinking-2025-05-14,some-future-beta-2027-01-01",
        "anthropic-dangerous-direct-browser-access": "true",
        "x-claude-code-session-id": "session-123",
        "x-claude-code-future": "kept",
        "user-agent": "claude-cli/2.1.330 (external, cli)",
        accept: "application/json",
        "accept-encoding": "gzip, br",
        cookie: "secret=1",
        "x-forwarded-for": "10.1.2.3",
      },
      body,
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(suite.mock.requests.length).toBe(before + 1);
    const seen = suite.mock.requests.at(-1);
    if (!seen) throw new Error("no request");
    expect(seen.path).toBe("/v1/messages");
    expect(seen.search).toBe("?beta=true");
    expect(new TextDecoder().decode(seen.body)).toBe(body);
    // Sent with its length, not chunked (some Anthropic-compatible servers refuse chunked uploads).
    expect(seen.headers.get("content-length")).toBe(String(new TextEncoder().encode(body).length));
    expect(seen.headers.get("transfer-encoding")).toBeNull();
    expect(seen.headers.get("x-api-key")).toBe(UPSTREAM_KEY);
    expect(seen.headers.get("authorization")).toBeNull();
    expect(JSON.stringify([...seen.headers])).not.toContain(CLIENT_KEY);
    expect(seen.headers.get("anthropic-version")).toBe("2026-10-21");
    expect(seen.headers.get("anthropic-beta")).toBe("interleaved-thinking-2025-05-14,some-future-beta-2027-01-01");
    expect(seen.headers.get("anthropic-dangerous-direct-browser-access")).toBe("true");
    expect(seen.headers.get("x-claude-code-session-id")).toBe("session-123");
    expect(seen.headers.get("x-claude-code-future")).toBe("kept");
    expect(seen.headers.get("user-agent")).toBe("claude-cli/2.1.330 (external, cli)");
    expect(seen.headers.get("accept")).toBe("application/json");
    expect(seen.headers.get("content-type")).toBe("application/json");
    expect(seen.headers.get("accept-encoding")).toBe("identity");
    expect(seen.headers.get("cookie")).toBeNull();
    expect(seen.headers.get("x-forwarded-for")).toBeNull();
    expect(Number(seen.headers.get("content-length"))).toBe(new TextEncoder().encode(body).length);
  });

  test("response headers clients act on pass back; others do not", async () => {
    suite.mock.replyOnce({
      headers: {
        "request-id": "req_upstream_42",
        "anthropic-ratelimit-tokens-remaining": "12345",
        "anthropic-ratelimit-unified-status": "allowed",
        "anthropic-organization-id": "org-1",
        "x-should-retry": "false",
        "set-cookie": "upstream=1",
        "x-internal": "nope",
      },
      body: JSON.stringify({ ok: true }),
    });
    const response = await postMessages(suite.gateway.url, { body: streamBody });
    expect(response.headers.get("request-id")).toBe("req_upstream_42");
    expect(response.headers.get("anthropic-ratelimit-tokens-remaining")).toBe("12345");
    expect(response.headers.get("anthropic-ratelimit-unified-status")).toBe("allowed");
    expect(response.headers.get("anthropic-organization-id")).toBe("org-1");
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("x-internal")).toBeNull();
    expect(await response.text()).toBe(JSON.stringify({ ok: true }));
  });

  const upstreamErrors: [number, string, Record<string, string>][] = [
    [400, "invalid_request_error", {}],
    [401, "authentication_error", {}],
    [429, "rate_limit_error", { "retry-after": "7" }],
    [529, "overloaded_error", {}],
  ];
  // Each case gets its own gateway: these answers change the state of its only upstream key.
  test.each(upstreamErrors)(
    "upstream %d reaches the client with the same status and body bytes",
    async (status, type, extra) => {
      await using mock = startMockUpstream();
      await using gateway = await startGateway({ upstream: mock.url });
      // Upstream wording, odd spacing and all: Claude Code matches recovery logic on it.
      const body = `{"type":"error", "error":{"type":"${type}","message":"upstream said ${status} — exactly"},"request_id":"req_u"}`;
      mock.reply({ status, headers: extra, body });
      const response = await postMessages(gateway.url, { body: streamBody });
      expect(response.status).toBe(status);
      expect(await response.text()).toBe(body);
      if (extra["retry-after"]) expect(response.headers.get("retry-after")).toBe(extra["retry-after"]);
    },
  );

  test("a fractional retry-after is passed back as whole seconds", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url });
    mock.replyOnce({ status: 429, headers: { "retry-after": "2.2", "retry-after-ms": "2200" }, body: "{}" });
    const response = await postMessages(gateway.url, { body: streamBody });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("retry-after-ms")).toBe("2200");
    await response.arrayBuffer();
  });
});
