// The request log holds every proxy request, whatever answered it (issue 13): the gateway's own
// 401, 429, 502, 503 and 504 with the message the client got, upstream's errors, how each stream
// ended, the key by its label, the gateway's own time; and stderr gets one line per failure.
import { describe, expect, test } from "bun:test";
import type { RequestFacets, RequestRow } from "../../server/admin/schemas.ts";
import { adminCall, adminKeys, adminLogin } from "../harness/admin.ts";
import { CLIENT_KEY, clientHeaders, runtime, startGateway, UPSTREAM_KEY } from "../harness/gateway.ts";
import { sseRecord, startMockUpstream, textStream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const sse = { "content-type": "text/event-stream" };
const WRONG_KEY = "pg-wrong-key-0123456789abcdefghijklmnopqrstuv";

const suite = useMockAndGateway({ config: { STREAM_IDLE_TIMEOUT: "1", FIRST_BYTE_TIMEOUT: "1" } });

async function rows(gateway: { url: string }, query = "", limit = 50): Promise<RequestRow[]> {
  const token = await adminLogin(gateway as Parameters<typeof adminLogin>[0]);
  const response = await fetch(`${gateway.url}/api/requests?limit=${limit}${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rows: RequestRow[] }).rows;
}

/** The newest row that passes `match`, waiting for a stream's row to be written. */
async function rowWhere(gateway: { url: string }, match: (row: RequestRow) => boolean): Promise<RequestRow> {
  for (let i = 0; i < 100; i++) {
    const found = (await rows(gateway)).find(match);
    if (found) return found;
    await Bun.sleep(50);
  }
  throw new Error("no such row in the request log");
}

const errorMessage = async (response: Response) =>
  ((await response.json()) as { error: { message: string } }).error.message;

describe(`request log: the gateway's own answers, on ${runtime}`, () => {
  test("a wrong client key: a 401 row with the message the client got, a stderr line without the key", async () => {
    const response = await postMessages(suite.gateway.url, {
      headers: clientHeaders({ "x-api-key": WRONG_KEY }),
    });
    expect(response.status).toBe(401);
    const told = await errorMessage(response);
    const row = (await rows(suite.gateway)).find((r) => r.status === 401);
    expect(row).toMatchObject({
      client: "",
      route: "messages",
      error_type: "authentication_error",
      error_message: told,
      key_id: null,
    });
    const line = suite.gateway
      .stderr()
      .split("\n")
      .find((l) => l.startsWith("failed 401"));
    expect(line).toContain("POST /v1/messages from an unidentified client");
    expect(line).toContain("authentication_error: wrong or revoked client key");
    expect(suite.gateway.stderr()).not.toContain(WRONG_KEY);
  });

  test("a client over its rpm limit: a 429 row in its name", async () => {
    const created = await adminCall(suite.gateway, "POST", "/clients", { name: "limited", rpm: 1 });
    const key = created.json.key as string;
    const headers = clientHeaders({ "x-api-key": key });
    expect((await postMessages(suite.gateway.url, { headers })).status).toBe(200);
    const second = await postMessages(suite.gateway.url, { headers });
    expect(second.status).toBe(429);
    const told = await errorMessage(second);
    const row = (await rows(suite.gateway, "&status=429")).find((r) => r.client === "limited");
    expect(row).toMatchObject({ error_type: "rate_limit_error", error_message: told, model: "" });
    expect(told).toContain("requests per minute");
    expect(suite.gateway.stderr()).toMatch(/failed 429 POST \/v1\/messages from limited .*rate_limit_error/);
  });

  test("no first byte within first_byte_timeout: a 504 row with the key's label and the model", async () => {
    suite.mock.replyOnce({ firstByteDelayMs: 1500, body: "{}" });
    const response = await postMessages(suite.gateway.url);
    expect(response.status).toBe(504);
    const row = (await rows(suite.gateway, "&status=504"))[0];
    expect(row).toMatchObject({
      client: "default",
      model: "claude-sonnet-4-6",
      error_type: "timeout_error",
      error_message: await errorMessage(response),
    });
    // A key from the environment is labelled by its masked form, never by its id or its secret.
    expect(row?.key_label).toBe(`${UPSTREAM_KEY.slice(0, 7)}…${UPSTREAM_KEY.slice(-4)}`);
  });

  test("upstream's own error is logged with its type and message, and the key that got it", async () => {
    suite.mock.replyOnce({
      status: 400,
      body: JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: too big" } }),
    });
    const response = await postMessages(suite.gateway.url);
    expect(response.status).toBe(400);
    const row = (await rows(suite.gateway, "&status=400"))[0];
    expect(row).toMatchObject({ error_type: "invalid_request_error", error_message: "max_tokens: too big" });
    expect(row?.key_id).toMatch(/^key_/);
  });

  test("a successful request: timings (gateway overhead, first byte, duration), tokens, no error", async () => {
    const response = await postMessages(suite.gateway.url);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const row = (await rows(suite.gateway, "&status=200"))[0] as RequestRow;
    expect(row.error_type).toBeNull();
    expect(row.stream_end).toBeNull();
    expect(row.input_tokens).toBe(12);
    expect(row.overhead_ms).toBeGreaterThanOrEqual(0);
    expect(row.overhead_ms).toBeLessThan(row.duration_ms + 1);
    expect(row.ttfb_ms).not.toBeNull();
  });

  test("count_tokens and the model list get rows too", async () => {
    const count = await postMessages(suite.gateway.url, { path: "/v1/messages/count_tokens" });
    await count.arrayBuffer();
    const models = await fetch(`${suite.gateway.url}/v1/models`, { headers: clientHeaders() });
    await models.arrayBuffer();
    const logged = await rows(suite.gateway);
    expect(logged.find((r) => r.route === "count_tokens")).toMatchObject({ client: "default", status: count.status });
    expect(logged.find((r) => r.route === "models")).toMatchObject({ client: "default", status: 200 });
  });
});

describe(`request log: how each stream ended, on ${runtime}`, () => {
  test("complete", async () => {
    suite.mock.replyOnce({ headers: sse, chunks: textStream("all of it") });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    await response.text();
    const row = await rowWhere(suite.gateway, (r) => r.stream_end !== null);
    expect(row).toMatchObject({ status: 200, stream_end: "complete", error_type: null, output_tokens: 9 });
  });

  test("client gone: the client left mid-stream", async () => {
    const before = (await rows(suite.gateway))[0]?.id ?? 0;
    suite.mock.replyOnce({ headers: sse, chunks: textStream("a b c d e f g h"), chunkDelayMs: 150 });
    const abort = new AbortController();
    const response = await postMessages(suite.gateway.url, {
      body: messagesBody({ stream: true }),
      signal: abort.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    abort.abort();
    const row = await rowWhere(suite.gateway, (r) => r.id > before && r.stream_end !== null);
    expect(row.stream_end).toBe("client_gone");
    expect(suite.gateway.stderr()).toMatch(/failed 200 stream client_gone POST \/v1\/messages from default/);
  });

  test("upstream error: an error event mid-stream, with upstream's words", async () => {
    const before = (await rows(suite.gateway))[0]?.id ?? 0;
    const [start] = textStream("x");
    const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    suite.mock.replyOnce({ headers: sse, chunks: [start as string, sseRecord("error", overloaded)] });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    await response.text();
    const row = await rowWhere(suite.gateway, (r) => r.id > before && r.stream_end !== null);
    expect(row).toMatchObject({
      status: 200,
      stream_end: "upstream_error",
      error_type: "overloaded_error",
      error_message: "Overloaded",
    });
  });

  test("idle timeout: upstream went silent for stream_idle_timeout", async () => {
    const before = (await rows(suite.gateway))[0]?.id ?? 0;
    suite.mock.replyOnce({ headers: sse, chunks: textStream("slow"), stallAfterChunks: 2 });
    const response = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    const text = await response.text();
    expect(text).toContain("stream_idle_timeout");
    const row = await rowWhere(suite.gateway, (r) => r.id > before && r.stream_end !== null);
    expect(row).toMatchObject({ stream_end: "idle_timeout", error_type: "timeout_error" });
    expect(row.error_message).toContain("silent for 1 s");
  });

  test("a non-streaming chat client whose stream failed: the row has the status the client got", async () => {
    const [start] = textStream("x");
    const overloaded = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    suite.mock.replyOnce({ headers: sse, chunks: [start as string, sseRecord("error", overloaded)] });
    const response = await fetch(`${suite.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);
    await response.arrayBuffer();
    const row = (await rows(suite.gateway, "&status=503"))[0];
    expect(row).toMatchObject({ route: "chat", error_type: "overloaded_error", stream_end: "upstream_error" });
  });

  test("the pickers offer the clients, keys by label and models the log holds", async () => {
    const token = await adminLogin(suite.gateway);
    const response = await fetch(`${suite.gateway.url}/api/requests/facets`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const facets = (await response.json()) as RequestFacets;
    expect(facets.clients).toEqual(expect.arrayContaining(["default", "limited"]));
    expect(facets.models).toContain("claude-sonnet-4-6");
    // Every key in the pool (with a second provider configured, its key too), by label.
    expect(facets.keys.map((k) => k.label)).toContain(`${UPSTREAM_KEY.slice(0, 7)}…${UPSTREAM_KEY.slice(-4)}`);
    const pool = (await adminKeys(suite.gateway, token)).map((k) => k.label).sort();
    expect(facets.keys.map((k) => k.label).sort()).toEqual(pool);
    const failed = await rows(suite.gateway, "&status=failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.status >= 400 || (r.stream_end !== null && r.stream_end !== "complete"))).toBe(true);
  });
});

describe(`request log: a flood of wrong keys, on ${runtime}`, () => {
  test("rows for unidentified clients are bounded per minute; the rest are counted, and real clients still logged", async () => {
    const before = (await rows(suite.gateway, "&status=401", 1000)).length;
    const headers = clientHeaders({ "x-api-key": "pg-flood-0123456789abcdefghijklmnopqr" });
    const sent = 300;
    for (let i = 0; i < sent; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async () => (await postMessages(suite.gateway.url, { headers })).arrayBuffer()),
      );
    }
    const ok = await postMessages(suite.gateway.url);
    await ok.arrayBuffer();
    const logged = (await rows(suite.gateway, "&status=401", 1000)).length - before;
    const metrics = await (await fetch(`${suite.gateway.url}/metrics`)).text();
    const unlogged = Number(/^pocketgate_requests_unlogged_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    // 120 a minute (twice that if a minute turned during the flood), the rest only counted.
    expect(logged).toBeLessThanOrEqual(240);
    expect(logged + unlogged).toBe(sent);
    expect(unlogged).toBeGreaterThanOrEqual(sent - 240);
    expect((await rows(suite.gateway))[0]).toMatchObject({ status: 200, client: "default" });
  });
});

describe(`request log: upstream down and no upstream key, on ${runtime}`, () => {
  test("upstream unreachable: a 502 row saying so", async () => {
    const gone = startMockUpstream();
    const url = gone.url;
    await gone.close();
    await using gateway = await startGateway({ upstream: url });
    const response = await postMessages(gateway.url);
    expect(response.status).toBe(502);
    const row = (await rows(gateway))[0];
    expect(row).toMatchObject({ status: 502, error_type: "api_error", error_message: await errorMessage(response) });
    expect(row?.error_message).toContain("unreachable");
    expect(gateway.stderr()).toMatch(/failed 502 POST \/v1\/messages from default .*unreachable/);
  });

  test("no upstream key: a 503 row saying what to do", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: "" } });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);
    const row = (await rows(gateway))[0];
    expect(row).toMatchObject({ status: 503, route: "chat", client: "default", model: "claude-sonnet-4-6" });
    expect(row?.error_message).toBe(await errorMessage(response));
  });
});
