// The npm package (issue 14): `npm pack` makes a tarball holding only the bundle, README, LICENSE
// and package.json; installed with npm into an empty prefix, with no registry but a loopback one
// that records every request, its `pocketgate` runs on Node 22, and on arm64 Node 22 under qemu
// (the nearest thing to Termux here), and proxies an SDK request. Sizes and start times printed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { ARM64_NODE_VERSION, arm64Node, QEMU } from "../harness/arm64.ts";
import { CLIENT_KEY, type Gateway, startGateway, tempDir } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";
import { npmEnv, type Packed, packPackage, startRegistry } from "../harness/npm.ts";
import { NODE22_DIR, npmCli } from "../harness/termux.ts";

const mock = startMockUpstream();
let packed: Packed;
const timings: string[] = [];

beforeAll(() => {
  packed = packPackage();
});
afterAll(async () => {
  await mock.close();
  console.log(`\n${timings.join("\n")}\n`);
});

/** `npm install -g --prefix <empty dir> <tarball>` run by `runtime` (Node 22, or qemu + arm64 Node). */
async function installInto(runtime: string[]) {
  const prefix = tempDir("pocketgate-prefix-");
  await using registry = startRegistry(packed);
  const install = Bun.spawnSync([...runtime, npmCli(), "install", "-g", "--prefix", prefix, packed.tarball], {
    env: { PATH: `${NODE22_DIR}:/usr/bin:/bin`, HOME: tempDir("pocketgate-home-"), ...npmEnv(registry.url) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = install.stdout.toString() + install.stderr.toString();
  expect({ code: install.exitCode, output }).toMatchObject({ code: 0 });
  // Nothing was downloaded: no dependency, no install-time fetch.
  expect(registry.requests).toEqual([]);
  return { prefix, bin: join(prefix, "bin/pocketgate"), output };
}

async function proxies(gateway: Gateway) {
  const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: CLIENT_KEY, maxRetries: 0 });
  const request = { model: "claude-sonnet-4-6", max_tokens: 32, messages: [{ role: "user" as const, content: "hi" }] };
  const message = await anthropic.messages.create(request);
  expect(message.content[0]).toMatchObject({ type: "text", text: MOCK_REPLY_TEXT });
  expect(await anthropic.messages.stream(request).finalText()).toBe(MOCK_REPLY_TEXT);
}

async function timedStart(label: string, command: string[]): Promise<Gateway> {
  const gateway = await startGateway({ upstream: mock.url, command, env: { PATH: `${NODE22_DIR}:/usr/bin:/bin` } });
  const health = await fetch(`${gateway.url}/health`);
  expect(health.status).toBe(200);
  timings.push(`${label}: first /health 200 after ${(performance.now() - gateway.spawnedAt).toFixed(0)} ms`);
  return gateway;
}

describe("the npm package", () => {
  test("holds the bundle, its launcher, README, LICENSE and package.json, nothing else", () => {
    expect(packed.files).toEqual(["LICENSE", "README.md", "dist/cli.mjs", "dist/pocketgate.mjs", "package.json"]);
    timings.push(`${packed.tarball.split("/").at(-1)}: ${(packed.bytes / 1024).toFixed(1)} KiB packed`);
    console.log(`packed ${packed.tarball}: ${(packed.bytes / 1024).toFixed(1)} KiB, files ${packed.files.join(", ")}`);
  });

  test("has no dependencies and no install scripts, needs Node 22, and its bin runs the bundle with the compile cache on", () => {
    const manifest = packed.manifest as {
      dependencies?: object;
      optionalDependencies?: object;
      peerDependencies?: object;
      bundleDependencies?: object;
      scripts?: Record<string, string>;
      engines?: { node?: string };
      bin?: Record<string, string>;
      private?: boolean;
    };
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.bundleDependencies ?? {}).toEqual({});
    // npm runs these when a package is installed (prepare: when installed from git).
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts?.[hook]).toBeUndefined();
    expect(manifest.engines?.node).toBe(">=22");
    expect(manifest.bin).toEqual({ pocketgate: "dist/cli.mjs" });
    const file = (path: string) => Bun.spawnSync(["tar", "-xzOf", packed.tarball, `package/${path}`]).stdout.toString();
    const bundle = file("dist/pocketgate.mjs");
    expect(bundle.startsWith("#!/usr/bin/env node\n")).toBe(true);
    // The bin only turns Node's compile cache on and runs the bundle beside it.
    const launcher = file("dist/cli.mjs");
    expect(launcher.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(launcher).toContain('await import("./pocketgate.mjs");');
    // The admin app is inside (no files beside the bundle are read at run time).
    expect(bundle).toContain('"/index.html"');
  });

  test(
    "npm install -g into an empty prefix with Node 22: --version, then the gateway proxies SDK requests",
    async () => {
      const { bin } = await installInto([join(NODE22_DIR, "node")]);
      const home = tempDir("pocketgate-home-");
      const version = Bun.spawnSync([bin, "--version"], { env: { PATH: `${NODE22_DIR}:/usr/bin:/bin`, HOME: home } });
      expect(version.stdout.toString()).toBe(`${packed.manifest.version}\n`);
      // Node kept the bundle's compiled code for the next start, in this user's own cache folder.
      const cache = join(home, ".cache/pocketgate/node-compile-cache");
      expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
      expect(statSync(cache).mode & 0o077).toBe(0);
      await using gateway = await timedStart("npm-installed pocketgate on Node 22", [bin]);
      expect(gateway.stdout()).toContain(`Admin app:      ${gateway.url}/`);
      await proxies(gateway);
    },
    60_000,
  );

  test(
    `the same with arm64 Node ${ARM64_NODE_VERSION} under qemu`,
    async () => {
      const node = arm64Node();
      const { bin } = await installInto([...QEMU, node]);
      const version = Bun.spawnSync([...QEMU, node, bin, "--version"]);
      expect(version.stdout.toString()).toBe(`${packed.manifest.version}\n`);
      await using gateway = await timedStart("npm-installed pocketgate on arm64 Node 22 (qemu)", [...QEMU, node, bin]);
      await proxies(gateway);
    },
    180_000,
  );
});
