// The release artifacts in dist/ (npm run build first; npm test does): each one that can run on
// this machine serves /health, the admin app and a proxied request. Start-up time to the first
// /health 200 and idle RSS are printed for each.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { ARM64_NODE_VERSION, arm64Node, QEMU } from "../harness/arm64.ts";
import { CLIENT_KEY, type Gateway, ROOT, startGateway, tempDir } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { startPostgres, startRedis } from "../harness/shared-services.ts";

const DIST = join(ROOT, "dist");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const mock = startMockUpstream();
const measured: { artifact: string; startMs: number; rssMiB: number }[] = [];

afterAll(async () => {
  await mock.close();
  const width = Math.max(...measured.map((m) => m.artifact.length));
  const lines = [`${"artifact".padEnd(width)}  start to /health 200  idle RSS`];
  for (const m of measured) {
    lines.push(
      `${m.artifact.padEnd(width)}  ${`${m.startMs.toFixed(0)} ms`.padStart(20)}  ${`${m.rssMiB.toFixed(1)} MiB`.padStart(9)}`,
    );
  }
  console.log(`\n${lines.join("\n")}\n(under qemu, RSS is the emulator's, translated code included)\n`);
});

const rssMiB = (pid: number) => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
};

/** Starts an artifact, times it to the first /health 200, and notes its RSS after a second idle. */
async function startMeasured(artifact: string, command: string[], cwd?: string): Promise<Gateway> {
  const gateway = await startGateway({ upstream: mock.url, command, cwd });
  const health = await fetch(`${gateway.url}/health`);
  const startMs = performance.now() - gateway.spawnedAt;
  expect(health.status).toBe(200);
  expect(((await health.json()) as { version: string }).version).toBe(VERSION);
  await Bun.sleep(1000);
  measured.push({ artifact, startMs, rssMiB: rssMiB(gateway.pid) });
  return gateway;
}

const sdk = (gateway: Gateway) => new Anthropic({ baseURL: gateway.url, apiKey: CLIENT_KEY, maxRetries: 0 });
const request = { model: "claude-sonnet-4-6", max_tokens: 32, messages: [{ role: "user" as const, content: "hi" }] };

async function expectStream(gateway: Gateway) {
  expect(await sdk(gateway).messages.stream(request).finalText()).toBe(MOCK_REPLY_TEXT);
}

async function expectMessage(gateway: Gateway) {
  const message = await sdk(gateway).messages.create(request);
  expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
}

describe("release artifacts", () => {
  test("SHA256SUMS lists and matches every file", () => {
    const check = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: DIST });
    const lines = check.stdout.toString().trim().split("\n");
    expect(check.exitCode).toBe(0);
    expect(lines.map((l) => l.replace(/: OK$/, "")).sort()).toEqual([
      "pocketgate-darwin-arm64",
      "pocketgate-darwin-x64",
      "pocketgate-linux-arm64",
      "pocketgate-linux-arm64-android",
      "pocketgate-linux-x64",
      "pocketgate-termux.tar.gz",
      "pocketgate-windows-x64.exe",
      "pocketgate.mjs",
    ]);
  });

  test("each executable is for its platform", () => {
    const kind = (name: string) => Bun.spawnSync(["file", "-b", join(DIST, name)]).stdout.toString();
    expect(kind("pocketgate-linux-x64")).toMatch(/ELF 64-bit.*x86-64/);
    expect(kind("pocketgate-linux-arm64")).toMatch(/ELF 64-bit.*aarch64/);
    expect(kind("pocketgate-linux-arm64-android")).toMatch(/ELF 64-bit.*aarch64/);
    expect(kind("pocketgate-darwin-arm64")).toMatch(/Mach-O 64-bit.*arm64/);
    expect(kind("pocketgate-darwin-x64")).toMatch(/Mach-O 64-bit.*x86_64/);
    expect(kind("pocketgate-windows-x64.exe")).toMatch(/PE32\+ executable.*x86-64/);
  });

  test(
    "linux-x64, copied alone into an empty folder and started there: /health, the admin app, a stream, --version",
    async () => {
      const dir = tempDir("pocketgate-exe-");
      const exe = join(dir, "pocketgate-linux-x64");
      copyFileSync(join(DIST, "pocketgate-linux-x64"), exe);
      const version = Bun.spawnSync([exe, "--version"], { cwd: dir });
      expect(version.stdout.toString()).toBe(`${VERSION}\n`);
      await using gateway = await startMeasured("pocketgate-linux-x64", [exe], dir);
      const app = await fetch(`${gateway.url}/`);
      expect(app.headers.get("content-type")).toContain("text/html");
      expect(await app.text()).toContain('<div id="root">');
      expect((await fetch(`${gateway.url}/manifest.webmanifest`)).status).toBe(200);
      await expectStream(gateway);
    },
    60_000,
  );

  test(
    "linux-x64 as a team's instance: Bun's built-in clients reach Redis and PostgreSQL from the executable",
    async () => {
      await using redis = await startRedis();
      await using postgres = await startPostgres();
      await using gateway = await startGateway({
        upstream: mock.url,
        command: [join(DIST, "pocketgate-linux-x64")],
        env: {
          POCKETGATE_REDIS_URL: redis.url,
          POCKETGATE_DATABASE_URL: await postgres.createDatabase("executable"),
        },
      });
      const health = (await (await fetch(`${gateway.url}/health`)).json()) as { status: string; shared?: object };
      expect(health).toMatchObject({ status: "ok", shared: { redis: "ok", database: "ok" } });
      await expectStream(gateway);
      const rows = await postgres.query("executable", "SELECT count(*) AS n FROM schema_migration");
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    },
    60_000,
  );

  test(
    "linux-arm64 under qemu: /health and a proxied request",
    async () => {
      await using gateway = await startMeasured("pocketgate-linux-arm64 (qemu)", [
        ...QEMU,
        join(DIST, "pocketgate-linux-arm64"),
      ]);
      await expectMessage(gateway);
    },
    90_000,
  );

  test(
    "pocketgate.mjs on Node 22 and on Bun: /health, the admin app, a stream, --version",
    async () => {
      for (const [name, runtime] of [
        ["pocketgate.mjs (node 22)", join(ROOT, "node_modules/.bin/node")],
        ["pocketgate.mjs (bun)", process.execPath],
      ] as const) {
        const version = Bun.spawnSync([runtime, join(DIST, "pocketgate.mjs"), "--version"]);
        expect(version.stdout.toString()).toBe(`${VERSION}\n`);
        await using gateway = await startMeasured(name, [runtime, join(DIST, "pocketgate.mjs")]);
        expect(await (await fetch(`${gateway.url}/`)).text()).toContain('<div id="root">');
        await expectStream(gateway);
      }
    },
    60_000,
  );

  test(
    `pocketgate.mjs on arm64 Node ${ARM64_NODE_VERSION} under qemu (the nearest thing to Termux): proxied requests`,
    async () => {
      await using gateway = await startMeasured("pocketgate.mjs (arm64 node, qemu)", [
        ...QEMU,
        arm64Node(),
        join(DIST, "pocketgate.mjs"),
      ]);
      await expectMessage(gateway);
      await expectStream(gateway);
    },
    120_000,
  );

  test(
    "from source, for comparison: bun server/main.ts",
    async () => {
      await using _ = await startMeasured("bun server/main.ts (source)", [process.execPath, join(ROOT, "server/main.ts")]);
    },
    30_000,
  );
});
