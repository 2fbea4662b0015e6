// `pocketgate doctor` and `pocketgate init` as a user runs them.
import { afterAll, describe, expect, test } from "bun:test";
import { createServer } from "node:net";
import { runCli, runtime, tempDir } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";

const mock = startMockUpstream();
afterAll(() => mock.close());

/** A port something else (not pocketgate) is listening on. */
async function busyPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, close: () => server.close() };
}

describe(`pocketgate doctor on ${runtime}`, () => {
  test("all is well against a reachable upstream: every check ok, exit 0", async () => {
    const dir = tempDir();
    const result = await runCli(["doctor", "--data-dir", dir, "--port", "0"], {
      POCKETGATE_UPSTREAM_BASE_URL: mock.url,
      POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-doctor-key",
    });
    expect(result.stdout).toContain(`ok    runtime   ${runtime}`);
    expect(result.stdout).toContain(`ok    data dir  ${dir} is writable`);
    expect(result.stdout).toMatch(/ok {4}upstream {2}http:\/\/127\.0\.0\.1:\d+ answered 200 in \d+ ms/);
    expect(result.stdout).toMatch(/ok {4}clock {5}this device is \d s (ahead of|behind) upstream/);
    expect(result.stdout).toContain("ok    keys      1 upstream key(s)");
    expect(result.stdout).toContain("Everything looks fine.");
    expect(result.stdout).not.toContain("sk-ant-api03-doctor-key");
    expect(result.code).toBe(0);
  });

  test("a port taken by another program and an unreachable upstream are problems with a fix, exit 1", async () => {
    const busy = await busyPort();
    try {
      const result = await runCli(["doctor", "--data-dir", tempDir(), "--port", String(busy.port)], {
        POCKETGATE_UPSTREAM_BASE_URL: "http://127.0.0.1:1",
      });
      expect(result.stdout).toContain(`FAIL  port      127.0.0.1:${busy.port} is in use by another program`);
      expect(result.stdout).toContain(
        `fix: stop that program, or use another port: pocketgate --port ${busy.port + 1}`,
      );
      expect(result.stdout).toContain("FAIL  upstream  http://127.0.0.1:1: cannot connect");
      expect(result.stdout).toContain("warn  keys      no upstream Anthropic API key yet");
      expect(result.stdout).toContain("2 problem(s), 1 warning(s).");
      expect(result.code).toBe(1);
    } finally {
      busy.close();
    }
  });

  test("a proxy that does not run is named in the problem", async () => {
    const result = await runCli(["doctor", "--data-dir", tempDir(), "--port", "0"], {
      POCKETGATE_UPSTREAM_BASE_URL: mock.url,
      POCKETGATE_PROXY: "http://127.0.0.1:1",
    });
    expect(result.stdout).toContain("through http://127.0.0.1:1");
    expect(result.stdout).toContain("fix: check that the proxy runs");
    expect(result.code).toBe(1);
  });

  test("an invalid config file is reported, not thrown", async () => {
    const dir = tempDir();
    await Bun.write(`${dir}/pocketgate.toml`, "port = 99999\n");
    const result = await runCli(["doctor", "--data-dir", dir]);
    expect(result.stdout).toContain("FAIL  config  invalid config: port = 99999");
    expect(result.code).toBe(1);
  });
});

describe(`pocketgate init on ${runtime}`, () => {
  test("prints the new secrets once, then says where they are", async () => {
    const dir = tempDir();
    const first = await runCli(["init", "--data-dir", dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Client key: {6}pg-\S{40}/);
    expect(first.stdout).toMatch(/Admin password: {2}\S{32}/);
    const second = await runCli(["init", "--data-dir", dir]);
    expect(second.stdout).toContain("already set up");
    expect(second.stdout).not.toMatch(/Client key|Admin password:/);
  });
});
