import { describe, expect, test } from "bun:test";
import { authenticate, safeEqual } from "../../server/auth/client-auth.ts";
import { GatewayError } from "../../server/errors.ts";
import {
  clientResponseHeaders,
  presentedCredentials,
  retryAfterSeconds,
  upstreamRequestHeaders,
} from "../../server/upstream/headers.ts";
import { idleGuard } from "../../server/upstream/idle-guard.ts";

describe("header hygiene", () => {
  const incoming = new Headers({
    connection: "keep-alive, x-foo",
    "keep-alive": "timeout=5",
    "transfer-encoding": "chunked",
    te: "trailers",
    upgrade: "h2c",
    "proxy-authorization": "Basic x",
    host: "127.0.0.1:8484",
    "content-length": "10",
    "accept-encoding": "gzip",
    "x-api-key": "pg-client",
    authorization: "Bearer pg-client",
    "sec-fetch-mode": "cors",
    "anthropic-version": "2023-06-01",
    "anthropic-beta": "a,b",
    "x-claude-code-session-id": "s",
    "x-stainless-retry-count": "0",
    "user-agent": "ua",
  });

  test("pool credential replaces the client's; hop-by-hop and browser headers go", () => {
    const out = Object.fromEntries(upstreamRequestHeaders(incoming, { kind: "pool", key: "sk-ant-pool" }));
    expect(out).toEqual({
      "accept-encoding": "identity",
      "anthropic-beta": "a,b",
      "anthropic-version": "2023-06-01",
      "user-agent": "ua",
      "x-api-key": "sk-ant-pool",
      "x-claude-code-session-id": "s",
      "x-stainless-retry-count": "0",
    });
  });

  test("passthrough keeps the client's own credential headers", () => {
    const out = upstreamRequestHeaders(incoming, { kind: "client" });
    expect(out.get("x-api-key")).toBe("pg-client");
    expect(out.get("authorization")).toBe("Bearer pg-client");
  });

  test("only what clients act on passes back", () => {
    const upstream = new Headers({
      "content-type": "text/event-stream",
      "content-length": "5",
      "content-encoding": "gzip",
      "request-id": "r",
      "retry-after": "1.5",
      "anthropic-ratelimit-unified-reset": "1",
      "set-cookie": "a=b",
      via: "x",
    });
    expect(Object.fromEntries(clientResponseHeaders(upstream, 0))).toEqual({
      "content-type": "text/event-stream",
      "request-id": "r",
      "retry-after": "2",
      "anthropic-ratelimit-unified-reset": "1",
    });
  });

  test("retry-after as seconds or an HTTP date", () => {
    expect(retryAfterSeconds("7", 0)).toBe(7);
    expect(retryAfterSeconds("0.1", 0)).toBe(1);
    expect(retryAfterSeconds("Thu, 01 Jan 1970 00:00:10 GMT", 2500)).toBe(8);
    expect(retryAfterSeconds("soon", 0)).toBeUndefined();
  });

  test("credentials from x-api-key and Bearer", () => {
    expect(presentedCredentials(new Headers({ "x-api-key": "a", authorization: "bearer  b " }))).toEqual(["a", "b"]);
    expect(presentedCredentials(new Headers({ authorization: "Basic b" }))).toEqual([]);
  });
});

describe("client auth", () => {
  test("safeEqual", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
  const findClient = (secret: string) => (secret === "pg-1" ? { name: "default" } : undefined);
  test("no header, or a key no client has, is refused", () => {
    expect(authenticate(new Headers(), { findClient, passthrough: false })).toBeInstanceOf(GatewayError);
    expect(authenticate(new Headers({ "x-api-key": "" }), { findClient, passthrough: false })).toBeInstanceOf(
      GatewayError,
    );
  });
  test("passthrough only for Anthropic-looking credentials", () => {
    const settings = { findClient, passthrough: true };
    expect(authenticate(new Headers({ "x-api-key": "sk-ant-api03-x" }), settings)).toEqual({ kind: "client" });
    expect(authenticate(new Headers({ "x-api-key": "pg-1" }), settings)).toEqual({ kind: "pool", client: "default" });
    expect(authenticate(new Headers({ "x-api-key": "other" }), settings)).toBeInstanceOf(GatewayError);
  });
});

describe("idle guard", () => {
  const enc = new TextEncoder();
  function source(chunks: string[], thenStall: boolean) {
    let i = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = chunks[i++];
        if (chunk !== undefined) controller.enqueue(enc.encode(chunk));
        else if (!thenStall) controller.close();
        else await new Promise(() => {});
      },
      cancel() {
        cancelled = true;
      },
    });
    return { stream, wasCancelled: () => cancelled };
  }

  test("passes chunks through unchanged and finishes", async () => {
    const stops: string[] = [];
    const { stream } = source(["a", "bc", "def"], false);
    const guarded = idleGuard(stream, { idleMs: 1000, now: () => performance.now(), onStop: (r) => stops.push(r) });
    const parts: string[] = [];
    for await (const chunk of guarded) parts.push(new TextDecoder().decode(chunk));
    expect(parts).toEqual(["a", "bc", "def"]);
    expect(stops).toEqual([]);
  });

  test("a silent stream gets the tail on a record boundary and the source is cancelled", async () => {
    const stops: string[] = [];
    const { stream, wasCancelled } = source(["event: x\ndata: {}\n\n", "event: y\nda"], true);
    const guarded = idleGuard(stream, {
      idleMs: 50,
      now: () => performance.now(),
      sseTail: () => enc.encode("event: error\ndata: {}\n\n"),
      onStop: (r) => stops.push(r),
    });
    const text = await new Response(guarded).text();
    expect(text).toBe("event: x\ndata: {}\n\nevent: y\nda\n\nevent: error\ndata: {}\n\n");
    expect(stops).toEqual(["idle"]);
    expect(wasCancelled()).toBe(true);
  });

  test("a silent non-SSE body errors; a consumer cancel reaches the source", async () => {
    const silent = source([], true);
    const guarded = idleGuard(silent.stream, { idleMs: 30, now: () => performance.now(), onStop: () => {} });
    await expect(new Response(guarded).text()).rejects.toThrow("idle");
    const stops: string[] = [];
    const open = source(["a"], true);
    const reader = idleGuard(open.stream, {
      idleMs: 10_000,
      now: () => performance.now(),
      onStop: (r) => stops.push(r),
    }).getReader();
    await reader.read();
    await reader.cancel();
    expect(stops).toEqual(["cancelled"]);
    expect(open.wasCancelled()).toBe(true);
  });

  test("a client that stops reading is given up, upstream with it; a broken upstream gets the SSE tail", async () => {
    const stops: string[] = [];
    const endless = source(["a", "b", "c"], true);
    const reader = idleGuard(endless.stream, {
      idleMs: 50,
      now: () => performance.now(),
      sseTail: () => enc.encode("tail"),
      onStop: (r) => stops.push(r),
    }).getReader();
    await reader.read();
    await Bun.sleep(120); // the client takes nothing more
    await expect(reader.read()).rejects.toThrow("client read nothing");
    expect(stops).toEqual(["stalled"]);
    expect(endless.wasCancelled()).toBe(true);

    let sent = false;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(enc.encode("event: x\ndata: {}"));
        } else controller.error(new Error("reset"));
      },
    });
    const reasons: string[] = [];
    const text = await new Response(
      idleGuard(broken, {
        idleMs: 1000,
        now: () => performance.now(),
        sseTail: (reason, error) => enc.encode(`event: error\ndata: ${reason} ${(error as Error).message}\n\n`),
        onStop: (r) => reasons.push(r),
      }),
    ).text();
    expect(text).toBe("event: x\ndata: {}\n\nevent: error\ndata: broken reset\n\n");
    expect(reasons).toEqual(["broken"]);
  });
});
