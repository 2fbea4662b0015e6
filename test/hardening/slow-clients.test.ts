// Clients that hold connections without using them (issue 11, defect 1): idle keep-alive sockets,
// headers or bodies that trickle in or stall, more idle sockets than the process has file
// descriptors. Each is closed in bounded time and /health keeps answering; long upstream waits
// (a late first byte, a silent gap mid-stream) still reach the client whole.
import { describe, expect, test } from "bun:test";
import type { Socket } from "node:net";
import { CLIENT_KEY, clientHeaders, gatewayCommand, runtime, startGateway } from "../harness/gateway.ts";
import { textStream } from "../harness/mock-upstream.ts";
import { closedWithin, openSocket, rawRequest } from "../harness/raw-http.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const IDLE = 2;
const suite = useMockAndGateway({ config: { CLIENT_IDLE_TIMEOUT: String(IDLE) } });
const sse = { "content-type": "text/event-stream" };

async function idleAfterOneRequest(port: number, path = "/health"): Promise<Socket> {
  const socket = await openSocket(port);
  await new Promise<void>((resolve) => {
    socket.once("data", () => resolve());
    socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
  });
  return socket;
}

describe(`idle and slow connections on ${runtime}`, () => {
  test("keep-alive sockets left idle after a request are closed after client_idle_timeout", async () => {
    const sockets = await Promise.all(Array.from({ length: 20 }, () => idleAfterOneRequest(suite.gateway.port)));
    const closed = await Promise.all(sockets.map((s) => closedWithin(s, (IDLE + 3) * 1000)));
    expect(closed.filter(Boolean).length).toBe(20);
  }, 15_000);

  for (const path of ["/v1/messages", "/v1/chat/completions"]) {
    test(`a keep-alive socket left idle after a whole stream on ${path} is closed too`, async () => {
      const socket = await openSocket(suite.gateway.port);
      const body = JSON.stringify({
        model: "claude-sonnet-4-6",
        max_tokens: 16,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      });
      let received = "";
      const ended = new Promise<void>((resolve) => {
        socket.on("data", (chunk) => {
          received += chunk.toString();
          // The end of a chunked body: the stream is whole, and the connection stays open.
          if (received.endsWith("0\r\n\r\n")) resolve();
        });
      });
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
      await ended;
      expect(received).toContain(path === "/v1/messages" ? "message_stop" : "[DONE]");
      expect(await closedWithin(socket, (IDLE + 3) * 1000)).toBe(true);
    }, 15_000);
  }

  for (const path of ["/api/login", "/v1/messages", "/v1/chat/completions"]) {
    test(`a body that stalls on ${path} is cut off`, async () => {
      const socket = await openSocket(suite.gateway.port);
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
      );
      expect(await closedWithin(socket, (IDLE + 4) * 1000)).toBe(true);
    }, 15_000);
  }

  test("a body that trickles in far slower than any real client is cut off", async () => {
    const socket = await openSocket(suite.gateway.port);
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: ${CLIENT_KEY}\r\ncontent-type: application/json\r\ncontent-length: 2000\r\n\r\n`,
    );
    const drip = setInterval(() => socket.writable && socket.write(" "), 300);
    const closed = await closedWithin(socket, (IDLE + 6) * 1000);
    clearInterval(drip);
    expect(closed).toBe(true);
  }, 15_000);

  test("headers that trickle in are cut off (slowloris)", async () => {
    const socket = await openSocket(suite.gateway.port);
    const head = `GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-pad: ${"a".repeat(200)}\r\n`;
    let i = 0;
    const drip = setInterval(() => socket.writable && i < head.length && socket.write(head[i++] ?? ""), 400);
    const closed = await closedWithin(socket, 20_000);
    clearInterval(drip);
    expect(closed).toBe(true);
  }, 25_000);

  test("a first byte after 5 s, a 5 s silent gap and a late whole reply all arrive, though idle is 2 s", async () => {
    suite.mock.replyOnce({ headers: sse, chunks: textStream("late first byte"), firstByteDelayMs: 5000 });
    const late = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    expect(await late.text()).toBe(textStream("late first byte").join(""));

    const chunks = textStream("a gap in the middle");
    suite.mock.replyOnce({
      headers: sse,
      generate: async (i) => {
        if (i === 3) await Bun.sleep(5000);
        return chunks[i];
      },
    });
    const gap = await postMessages(suite.gateway.url, { body: messagesBody({ stream: true }) });
    expect(await gap.text()).toBe(chunks.join(""));

    suite.mock.replyOnce({ firstByteDelayMs: 5000 });
    const whole = await postMessages(suite.gateway.url);
    expect(whole.status).toBe(200);
  }, 30_000);
});

describe(`more idle sockets than file descriptors, on ${runtime}`, () => {
  test("/health still answers while idle sockets are held past the descriptor limit", async () => {
    const limit = 256;
    await using gateway = await startGateway({
      upstream: suite.mock.url,
      command: ["prlimit", `--nofile=${limit}:${limit}`, ...gatewayCommand()],
    });
    const sockets: Socket[] = [];
    const answered = new Set<Socket>();
    for (let i = 0; i < limit + 60; i++) {
      const socket = await openSocket(gateway.port).catch(() => undefined);
      if (!socket) continue;
      socket.on("error", () => {});
      socket.on("data", () => answered.add(socket));
      socket.write("GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
      sockets.push(socket);
    }
    await Bun.sleep(300);
    const started = performance.now();
    const health = await rawRequest(
      gateway.port,
      "GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n",
      {
        waitMs: 10_000,
      },
    );
    const took = performance.now() - started;
    const stillOpen = sockets.filter((s) => !s.destroyed && s.readyState === "open").length;
    for (const socket of sockets) socket.destroy();
    expect(health.status).toBe(200);
    // Well inside the default 15 s idle timeout: the gateway sheds idle sockets when it runs short.
    expect(took).toBeLessThan(8000);
    // More sockets were accepted than the process has descriptors: idle ones were shed to make room.
    expect(sockets.length).toBeGreaterThan(limit);
    console.log(
      `idle sockets opened ${sockets.length}, still open when /health answered ${stillOpen}, in ${Math.round(took)} ms`,
    );
  }, 30_000);
});

test("a second pocketgate on the same port fails with 'port in use' instead of listening beside the first", async () => {
  const { runCli } = await import("../harness/gateway.ts");
  const result = await runCli(
    ["--port", String(suite.gateway.port), "--data-dir", `${suite.gateway.dataDir}-second`],
    {
      POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-x",
      POCKETGATE_PASSWORD: CLIENT_KEY,
      POCKETGATE_ADMIN_PASSWORD: "second-admin-password-0123456789",
    },
    8000,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("already in use");
  expect((await fetch(`${suite.gateway.url}/health`, { headers: clientHeaders() })).status).toBe(200);
});
