// The admin app's live view (issue 13): GET /api/events streams the dashboard's picture every
// 2 s and each request-log row as it is written; the dashboard says down, with the reason, when
// upstream goes away and ok when it comes back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RequestRow, StatusResponse } from "../../server/admin/schemas.ts";
import { adminLogin } from "../harness/admin.ts";
import { clientHeaders, type Gateway, runtime, startGateway } from "../harness/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../harness/mock-upstream.ts";
import { postMessages } from "../harness/suite.ts";

interface Event {
  event: string;
  data: unknown;
}

/** Reads an event stream record by record; `next(match)` waits for the first record that matches. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queued: Event[] = [];
  const fill = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error("the event stream ended");
    buffer += decoder.decode(value, { stream: true });
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      const text = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(text)?.[1];
      const data = /^data: (.*)$/m.exec(text)?.[1];
      if (event && data) queued.push({ event, data: JSON.parse(data) });
    }
  };
  return {
    async next(match: (e: Event) => boolean, timeoutMs = 5000): Promise<Event> {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = queued.findIndex(match);
        if (found >= 0) return queued.splice(0, found + 1).at(-1) as Event;
        queued.length = 0;
        if (performance.now() > deadline) throw new Error("no such event in time");
        await Promise.race([fill(), Bun.sleep(Math.max(1, deadline - performance.now()))]);
      }
    },
    cancel: () => reader.cancel(),
  };
}

let mock: MockUpstream;
let gateway: Gateway;
let token: string;

const openEvents = async (abort?: AbortSignal) => {
  const response = await fetch(`${gateway.url}/api/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  return eventReader(response.body as ReadableStream<Uint8Array>);
};

beforeAll(async () => {
  mock = startMockUpstream();
  gateway = await startGateway({ upstream: mock.url });
  token = await adminLogin(gateway);
});
afterAll(async () => {
  await gateway?.[Symbol.asyncDispose]();
  await mock?.close();
});

const isStatus = (e: Event) => e.event === "status";
const health = (e: Event) => (e.data as StatusResponse).health;

describe(`admin live events on ${runtime}`, () => {
  test("without a session: 401, and no stream", async () => {
    const response = await fetch(`${gateway.url}/api/events`);
    expect(response.status).toBe(401);
  });

  test("the dashboard's picture at once and every 2 s; each request's row as it is written", async () => {
    const events = await openEvents();
    const first = await events.next(isStatus, 1000);
    expect((first.data as StatusResponse).health.state).toBe("ok");
    expect((first.data as StatusResponse).last_hour.requests).toHaveLength(60);
    const started = performance.now();
    await events.next(isStatus, 3000);
    expect(performance.now() - started).toBeGreaterThan(1000);

    const wrong = await postMessages(gateway.url, {
      headers: clientHeaders({ "x-api-key": "pg-not-a-key-at-all-0123456789" }),
    });
    const told = ((await wrong.json()) as { error: { message: string } }).error.message;
    const sent = performance.now();
    const row = (await events.next((e) => e.event === "request", 2000)).data as RequestRow;
    expect(performance.now() - sent).toBeLessThan(2000);
    expect(row).toMatchObject({ status: 401, client: "", error_type: "authentication_error", error_message: told });
    const after = (await events.next(isStatus, 3000)).data as StatusResponse;
    // The last two minutes: the request may have been counted just before a minute turned.
    const lastTwo = (values: number[]) => values.slice(-2).reduce((a, b) => a + b, 0);
    expect(lastTwo(after.last_hour.requests)).toBeGreaterThanOrEqual(1);
    expect(lastTwo(after.last_hour.failed)).toBeGreaterThanOrEqual(1);
    expect(after.today.failed).toBeGreaterThanOrEqual(1);
    await events.cancel();
  });

  test("upstream stopped: down, saying it cannot be reached; back: ok again", async () => {
    const events = await openEvents();
    await events.next((e) => isStatus(e) && health(e).state === "ok");
    const port = mock.port;
    await mock.close();
    // A request finds it first; the status that follows says so.
    expect((await postMessages(gateway.url)).status).toBe(502);
    const down = await events.next((e) => isStatus(e) && health(e).state === "down", 5000);
    expect(health(down).reasons[0]).toMatchObject({ code: "unreachable", host: `127.0.0.1:${port}` });
    mock = startMockUpstream({ port });
    // The next check (every 5 s while down) finds it answering again.
    await events.next((e) => isStatus(e) && health(e).state === "ok", 12_000);
    await events.cancel();
  }, 20_000);

  test("a ninth listener closes the oldest: streams left behind by a sleeping phone do not pile up", async () => {
    const streams = await Promise.all(Array.from({ length: 8 }, () => openEvents()));
    for (const s of streams) await s.next(isStatus);
    const ninth = await openEvents();
    await ninth.next(isStatus);
    await expect(streams[0]?.next(() => false, 3000)).rejects.toThrow("the event stream ended");
    for (const s of [...streams.slice(1), ninth]) await s.cancel();
  });
});
