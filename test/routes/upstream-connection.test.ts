// The upstream connection (contract §2): keep-alive reuse, the outbound proxy, and our own
// errors when upstream cannot be reached or no key is configured.
import { describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { startForwardProxy } from "../harness/forward-proxy.ts";
import { runtime, startGateway } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { postMessages } from "../harness/suite.ts";

const send = (url: string) => postMessages(url);

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 1;
}

describe(`upstream connection on ${runtime}`, () => {
  test("sequential requests reuse one keep-alive connection upstream", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url });
    for (let i = 0; i < 3; i++) expect((await (await send(gateway.url)).json()).content[0].text).toBe(MOCK_REPLY_TEXT);
    // The model list read at start is one more request on the same connection.
    const ports = new Set(mock.requests.map((r) => r.remotePort));
    expect(mock.requests.filter((r) => r.path === "/v1/messages")).toHaveLength(3);
    expect(ports.size).toBe(1);
  });

  test("the outbound proxy carries every upstream request", async () => {
    await using mock = startMockUpstream();
    await using proxy = await startForwardProxy();
    await using gateway = await startGateway({ upstream: mock.url, config: { PROXY: proxy.url } });
    const response = await send(gateway.url);
    expect(response.status).toBe(200);
    expect((await response.json()).content[0].text).toBe(MOCK_REPLY_TEXT);
    expect(proxy.targets).toContain(new URL(mock.url).host);
    expect(mock.requests.at(-1)?.headers.get("x-api-key")).toBe("sk-ant-api03-test-upstream-key");
  });

  test("an unreachable upstream gives 502 api_error naming the host", async () => {
    const port = await closedPort();
    await using gateway = await startGateway({ upstream: `http://127.0.0.1:${port}` });
    const response = await send(gateway.url);
    expect(response.status).toBe(502);
    const json = await response.json();
    expect(json.error.type).toBe("api_error");
    expect(json.error.message).toContain(`127.0.0.1:${port} is unreachable`);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  test("with no upstream key configured the answer says how to add one", async () => {
    await using mock = startMockUpstream();
    await using gateway = await startGateway({ upstream: mock.url, env: { POCKETGATE_UPSTREAM_KEYS: "" } });
    const response = await send(gateway.url);
    expect(response.status).toBe(503);
    const json = await response.json();
    expect(json.error.message).toContain("POCKETGATE_UPSTREAM_KEYS");
    expect(mock.requests).toHaveLength(0);
  });
});
