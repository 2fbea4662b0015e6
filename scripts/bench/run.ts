// `npm run bench`: pocketgate against the floor (scripts/bench/floor.ts) and Portkey, every figure
// measured in the same run against the direct-to-mock baseline; median of 3 repetitions with min
// and max. Writes bench/results/LATEST.md and LATEST.json. Everything runs on 127.0.0.1.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { bundle } from "../bundle.ts";
import type { Job, Target } from "./loadgen.ts";
import { evaluate, type Figures, renderMarkdown } from "./report.ts";
import { measureWork, type WorkSettings, writeBodies } from "./work.ts";

const root = resolve(import.meta.dir, "../..");
const bun = process.execPath;
const node = join(root, "node_modules/.bin/node");
const REPS = Number(process.env.BENCH_REPS ?? 3);
const QUICK = process.env.BENCH_QUICK === "1";
const LATENCY_COUNT = QUICK ? 500 : 3000;
const THROUGHPUT_MS = QUICK ? 1000 : 3000;
const STREAMS = 512;
/**
 * Frame pace of the streams: one frame every 50 ms (20 deltas a second, a model writing quickly)
 * is the measured case; every 20 ms is a stress case shown beside it (at that rate the 2-core
 * machine is saturated and even the floor adds milliseconds).
 */
const PACES = { paced: 50, stress: 20 } as const;
const FRAMES = 64;
const SETTLE_MS = QUICK ? 5000 : 60_000;
const CLIENT_KEY = "pg-bench-client-key-0123456789abcdefghijklmn";
/** Real work (scripts/bench/work.ts): requests per scenario and target at concurrency 1, and the c16 run's length. */
const WORK: WorkSettings = {
  count: QUICK ? 60 : 200,
  warmup: QUICK ? 10 : 30,
  throughputMs: QUICK ? 1000 : 2000,
  thinkingEvents: 2000,
};
// Bun's fetch allows 256 requests at once unless told more; 512 streams need more, for the load
// generator, the floor and pocketgate alike.
const benchEnv = { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" };

interface Service {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function freePort(): Promise<number> {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

async function waitFor(url: string, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await Bun.sleep(5);
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Starts a process that prints its port (a line "PORT n" or pocketgate's "listening on …:n"). */
async function start(name: string, command: string[], env: Record<string, string | undefined> = {}): Promise<Service> {
  const child = Bun.spawn(command, { cwd: root, env: { ...benchEnv, ...env }, stdout: "pipe", stderr: "inherit" });
  const decoder = new TextDecoder();
  let out = "";
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 20_000);
    void (async () => {
      for await (const chunk of child.stdout) {
        out += decoder.decode(chunk);
        const m = /PORT (\d+)|listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolvePort(Number(m[1] ?? m[2]));
        }
      }
    })();
  });
  return {
    name,
    port,
    pid: child.pid,
    async stop() {
      child.kill();
      await child.exited;
    },
  };
}

async function startPortkey(): Promise<Service> {
  const port = await freePort();
  const child = Bun.spawn(
    [node, join(root, "node_modules/@portkey-ai/gateway/build/start-server.js"), `--port=${port}`, "--headless"],
    {
      cwd: root,
      // Portkey refuses local custom hosts (SSRF protection) unless they are trusted.
      env: { ...benchEnv, TRUSTED_CUSTOM_HOSTS: "localhost,127.0.0.1", NODE_ENV: "production" },
      stdout: "ignore",
      stderr: "inherit",
    },
  );
  await waitFor(`http://127.0.0.1:${port}/`);
  return {
    name: "portkey",
    port,
    pid: child.pid,
    async stop() {
      child.kill();
      await child.exited;
    },
  };
}

async function loadgen(job: Job): Promise<Record<string, number>> {
  const child = Bun.spawn([bun, join(root, "scripts/bench/loadgen.ts"), JSON.stringify(job)], {
    cwd: root,
    env: benchEnv,
    stdout: "pipe",
    stderr: "inherit",
  });
  const text = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error(`loadgen failed for ${job.url}`);
  return JSON.parse(text) as Record<string, number>;
}

const rss = (pid: number) => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
};

/** Memory only this process holds (RSS less the executable's pages, which every Bun process shares). */
const privateMiB = (pid: number) => {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0);
  return (kb("Private_Clean") + kb("Private_Dirty")) / 1024;
};

/** Samples a process's RSS every 25 ms while `work` runs; returns the work's result and the peak. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rss(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid));
  }, 25);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
  }
}

/** One home for every start, as a user has: caches kept there (the npm launcher's) are reused. */
const startupHome = mkdtempSync(join(tmpdir(), "pocketgate-bench-home-"));

/** Spawn to the first /health 200, polling every 2 ms. */
async function startupMs(command: string[], port: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "pocketgate-bench-start-"));
  const started = performance.now();
  const child = Bun.spawn([...command, "--port", String(port), "--data-dir", dataDir], {
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: startupHome,
      POCKETGATE_PASSWORD: CLIENT_KEY,
      POCKETGATE_ADMIN_PASSWORD: "bench-admin-password",
    },
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return performance.now() - started;
      } catch {}
      if (performance.now() - started > 20_000) throw new Error(`${command.join(" ")} did not start`);
      await Bun.sleep(2);
    }
  } finally {
    child.kill();
    await child.exited;
  }
}

function build(dir: string): { exe: string; mjs: string; cli: string } {
  const exe = join(dir, "pocketgate");
  const mjs = join(dir, "pocketgate.mjs");
  const result = Bun.spawnSync([bun, "build", "--compile", "--minify", "server/main.ts", "--outfile", exe], {
    cwd: root,
    stdout: "ignore",
    stderr: "inherit",
  });
  if (result.exitCode !== 0) throw new Error("bun build --compile failed");
  // The bundle as the npm package has it, with its compile-cache launcher (cli.mjs) beside it.
  bundle("bench", mjs, true);
  return { exe, mjs, cli: join(dir, "cli.mjs") };
}

const anthropicBody = JSON.stringify({
  model: "claude-sonnet-4-6",
  max_tokens: 16,
  messages: [{ role: "user", content: "hi" }],
});
const streamBody = (paceMs: number) =>
  JSON.stringify({ ...JSON.parse(anthropicBody), stream: true, metadata: { user_id: `bench-paced-${paceMs}` } });
const openAiBody = JSON.stringify({
  model: "claude-sonnet-4-6",
  max_tokens: 16,
  messages: [{ role: "user", content: "hi" }],
});

async function main() {
  const wallStart = performance.now();
  const mock = await start("mock", [bun, join(root, "scripts/bench/mock-upstream.ts")]);
  const upstream = `http://127.0.0.1:${mock.port}`;
  const floor = await start("floor", [bun, join(root, "scripts/bench/floor.ts")], { BENCH_UPSTREAM: upstream });
  const dataDir = mkdtempSync(join(tmpdir(), "pocketgate-bench-"));
  const gateway = await start("pocketgate", [bun, join(root, "server/main.ts"), "--port", "0", "--data-dir", dataDir], {
    HOME: dataDir,
    POCKETGATE_UPSTREAM_BASE_URL: upstream,
    POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-bench-upstream-key",
    POCKETGATE_PASSWORD: CLIENT_KEY,
    POCKETGATE_ADMIN_PASSWORD: "bench-admin-password",
  });
  const portkey = await startPortkey();
  // The phone's runtime: the Node floor and the bundle the npm package ships, on Node 22.
  const workDir = mkdtempSync(join(tmpdir(), "pocketgate-bench-work-"));
  const mjs = join(workDir, "pocketgate.mjs");
  bundle("bench", mjs);
  const nodeFloor = await start("node floor", [node, join(root, "scripts/bench/floor-node.mjs")], {
    BENCH_UPSTREAM: upstream,
  });
  const nodeData = mkdtempSync(join(tmpdir(), "pocketgate-bench-node-"));
  const nodeGateway = await start("pocketgate on node", [node, mjs, "--port", "0", "--data-dir", nodeData], {
    HOME: nodeData,
    POCKETGATE_UPSTREAM_BASE_URL: upstream,
    POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-bench-upstream-key",
    POCKETGATE_PASSWORD: CLIENT_KEY,
    POCKETGATE_ADMIN_PASSWORD: "bench-admin-password",
  });
  const { files, sizes } = writeBodies(workDir, WORK);
  log(
    `mock :${mock.port}  floor :${floor.port}  pocketgate :${gateway.port}  portkey :${portkey.port}  node floor :${nodeFloor.port}  node pocketgate :${nodeGateway.port}`,
  );
  await Bun.sleep(2000);
  const idleRss = rss(gateway.pid);
  const idlePrivate = privateMiB(gateway.pid);
  const floorIdleRss = rss(floor.pid);
  const nodeIdleRss = rss(nodeGateway.pid);
  const nodeFloorIdleRss = rss(nodeFloor.pid);

  const anthropicHeaders = { "content-type": "application/json", "anthropic-version": "2023-06-01" };
  const portkeyHeaders = {
    "content-type": "application/json",
    "x-portkey-provider": "anthropic",
    "x-portkey-custom-host": `${upstream}/v1`,
  };
  const native: Record<string, Target> = {
    direct: {
      url: `${upstream}/v1/messages`,
      headers: { ...anthropicHeaders, "x-api-key": "sk-ant-direct" },
      body: anthropicBody,
    },
    floor: { url: `http://127.0.0.1:${floor.port}/v1/messages`, headers: anthropicHeaders, body: anthropicBody },
    pocketgate: {
      url: `http://127.0.0.1:${gateway.port}/v1/messages`,
      headers: { ...anthropicHeaders, "x-api-key": CLIENT_KEY },
      body: anthropicBody,
    },
    portkey: {
      url: `http://127.0.0.1:${portkey.port}/v1/messages`,
      headers: { ...portkeyHeaders, "anthropic-version": "2023-06-01", "x-api-key": "sk-ant-portkey" },
      body: anthropicBody,
    },
  };
  const openai: Record<string, Target> = {
    pocketgate: {
      url: `http://127.0.0.1:${gateway.port}/v1/chat/completions`,
      headers: { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` },
      body: openAiBody,
    },
    portkey: {
      url: `http://127.0.0.1:${portkey.port}/v1/chat/completions`,
      headers: { ...portkeyHeaders, authorization: "Bearer sk-ant-portkey" },
      body: openAiBody,
    },
  };

  const reps: Figures["reps"] = [];
  let peakRss = 0;
  let floorPeakRss = 0;
  for (let rep = 1; rep <= REPS; rep++) {
    log(`repetition ${rep}/${REPS}`);
    const latency: Record<string, Record<string, number>> = {};
    for (const [name, target] of Object.entries(native)) {
      latency[name] = await loadgen({ kind: "latency", count: LATENCY_COUNT, warmup: 300, ...target });
    }
    for (const [name, target] of Object.entries(openai)) {
      latency[`${name}-openai`] = await loadgen({ kind: "latency", count: LATENCY_COUNT, warmup: 300, ...target });
    }
    const throughput: Record<string, Record<string, number>> = {};
    for (const [name, target] of [
      ...Object.entries(native),
      ...Object.entries(openai).map(([n, t]) => [`${n}-openai`, t] as const),
    ]) {
      throughput[name] = await loadgen({
        kind: "throughput",
        concurrency: 64,
        durationMs: THROUGHPUT_MS,
        warmupMs: 500,
        ...target,
      });
    }
    const streams: Record<string, Record<string, number>> = {};
    for (const [kind, paceMs] of Object.entries(PACES)) {
      for (const name of ["direct", "floor", "pocketgate"] as const) {
        const target = { ...(native[name] as Target), body: streamBody(paceMs) };
        const job: Job = { kind: "streams", concurrency: STREAMS, frames: FRAMES, ...target };
        // Results are named "pocketgate" for the measured pace, "pocketgate@stress" for the other.
        const key = kind === "paced" ? name : `${name}@stress`;
        if (name === "pocketgate") {
          const { result, peak } = await withPeakRss(gateway.pid, () => loadgen(job));
          streams[key] = result;
          peakRss = Math.max(peakRss, peak);
        } else if (name === "floor") {
          // The floor's own memory per stream (Bun's fetch and server buffers): what any Bun proxy holds.
          const { result, peak } = await withPeakRss(floor.pid, () => loadgen(job));
          streams[key] = result;
          floorPeakRss = Math.max(floorPeakRss, peak);
        } else {
          streams[key] = await loadgen(job);
        }
      }
    }
    log("real work: big bodies and a long reasoning stream, on Bun and on Node");
    const work = await measureWork(
      [
        {
          runtime: "bun",
          floor,
          pocketgate: gateway,
          portkey: { ...portkey, headers: { ...portkeyHeaders, "x-api-key": "sk-ant-portkey" } },
        },
        { runtime: "node", floor: nodeFloor, pocketgate: nodeGateway },
      ],
      upstream,
      CLIENT_KEY,
      files,
      WORK,
      loadgen,
    );
    reps.push({ latency, throughput, streams, work });
  }
  log(`waiting ${SETTLE_MS / 1000} s for memory to settle`);
  await Bun.sleep(SETTLE_MS);
  const settledRss = rss(gateway.pid);
  const settledPrivate = privateMiB(gateway.pid);

  for (const service of [gateway, floor, portkey, nodeGateway, nodeFloor, mock]) await service.stop();

  log("start-up times");
  const buildDir = mkdtempSync(join(tmpdir(), "pocketgate-bench-build-"));
  const artifacts = build(buildDir);
  const startup: Record<string, number[]> = {
    "bun server/main.ts": [],
    "compiled executable": [],
    "node pocketgate.mjs": [],
    "npm package on Node (dist/cli.mjs)": [],
  };
  for (let rep = 0; rep < REPS; rep++) {
    startup["bun server/main.ts"]?.push(await startupMs([bun, join(root, "server/main.ts")], await freePort()));
    startup["compiled executable"]?.push(await startupMs([artifacts.exe], await freePort()));
    startup["node pocketgate.mjs"]?.push(await startupMs([node, artifacts.mjs], await freePort()));
    startup["npm package on Node (dist/cli.mjs)"]?.push(await startupMs([node, artifacts.cli], await freePort()));
  }

  const commit = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root }).stdout.toString().trim();
  const dirty = Bun.spawnSync(["git", "status", "--porcelain"], { cwd: root }).stdout.toString().trim() !== "";
  const figures: Figures = {
    date: new Date().toISOString(),
    commit: `${commit}${dirty ? " (with uncommitted changes)" : ""}`,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}`,
    runtimes: {
      bun: Bun.version,
      node: Bun.spawnSync([node, "--version"]).stdout.toString().trim(),
      portkey: (
        JSON.parse(readFileSync(join(root, "node_modules/@portkey-ai/gateway/package.json"), "utf8")) as {
          version: string;
        }
      ).version,
    },
    settings: {
      reps: REPS,
      latencyCount: LATENCY_COUNT,
      throughputMs: THROUGHPUT_MS,
      streams: STREAMS,
      paceMs: PACES.paced,
      stressPaceMs: PACES.stress,
      frames: FRAMES,
      settleMs: SETTLE_MS,
      workCount: WORK.count,
      workThroughputMs: WORK.throughputMs,
      thinkingEvents: WORK.thinkingEvents,
      chatBytes: sizes.chat ?? 0,
      codeBytes: sizes.code ?? 0,
    },
    reps,
    memory: {
      idle: idleRss,
      peak: peakRss,
      settled: settledRss,
      idlePrivate,
      settledPrivate,
      floorIdle: floorIdleRss,
      floorPeak: floorPeakRss,
      nodeIdle: nodeIdleRss,
      nodeFloorIdle: nodeFloorIdleRss,
    },
    startup,
    wallSeconds: 0,
  };
  figures.wallSeconds = (performance.now() - wallStart) / 1000;
  const rows = evaluate(figures);
  const out = join(root, "bench/results");
  mkdirSync(out, { recursive: true });
  const markdown = renderMarkdown(figures, rows);
  writeFileSync(join(out, "LATEST.md"), markdown);
  writeFileSync(join(out, "LATEST.json"), `${JSON.stringify({ ...figures, rows }, null, 2)}\n`);
  process.stdout.write(markdown);
  log(`\nwritten to ${join(out, "LATEST.md")} and LATEST.json in ${figures.wallSeconds.toFixed(0)} s`);
}

await main();
