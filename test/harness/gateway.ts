// Starts the real gateway (server/main.ts) as a child process on port 0, under Bun or Node
// (GATEWAY_RUNTIME=node), with a fresh data dir and the given environment.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sharedConfig, sharedMode } from "./shared-services.ts";

export const ROOT = resolve(import.meta.dir, "../..");
export const runtime = (process.env.GATEWAY_RUNTIME ?? "bun") as "bun" | "node";
export const CLIENT_KEY = "pg-test-client-key-0123456789abcdefghijklmnop";
export const UPSTREAM_KEY = "sk-ant-api03-test-upstream-key";
export const ADMIN_PASSWORD = "test-admin-password-0123456789abcdef";

/**
 * What the suite runs: server/main.ts from source, or a built bundle when GATEWAY_ENTRY names
 * one (dist/pocketgate.mjs), under Bun or Node >= 22 (the one npm installed, devDependency `node`).
 */
export const entry = resolve(ROOT, process.env.GATEWAY_ENTRY ?? "server/main.ts");

function runtimeCommand(): string[] {
  if (runtime === "bun") return [process.execPath];
  return [join(ROOT, "node_modules/.bin/node")];
}

/** The command that starts pocketgate, before its own arguments. */
export const gatewayCommand = (): string[] => [...runtimeCommand(), entry];

export function tempDir(prefix = "pocketgate-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface StartOptions {
  /** Environment for the child; PATH and HOME are filled in. No POCKETGATE_* leaks from ours. */
  env?: Record<string, string>;
  args?: string[];
  dataDir?: string;
  /** Resolve on exit instead of waiting for the listening line (for CLI errors). */
  expectExit?: boolean;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion (for --version, reset-password, config errors). */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<RunResult> {
  return runProcess([...gatewayCommand(), ...args], childEnv(env), { timeoutMs });
}

/** Runs any command to completion with exactly `env` (a client CLI: Claude Code, Codex), killed after `timeoutMs`. */
export async function runProcess(
  argv: string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const child = Bun.spawn(argv, { cwd: options.cwd ?? ROOT, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => child.kill(), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

function childEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tempDir("pocketgate-home-") };
  return { ...base, ...extra };
}

export interface Gateway extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** performance.now() when the process was spawned, and how long until it said it listens. */
  readonly spawnedAt: number;
  readonly listeningAfterMs: number;
  readonly dataDir: string;
  /** Its PostgreSQL database, when it keeps its state there (GATEWAY_SHARED). */
  readonly databaseUrl?: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown handlers run (a crash, a phone killing the app). */
  crash(): Promise<void>;
}

export interface GatewayOptions extends StartOptions {
  /** The mock upstream's URL; POCKETGATE_UPSTREAM_BASE_URL. */
  upstream?: string;
  /** Config overrides as POCKETGATE_<KEY> values, e.g. { STREAM_IDLE_TIMEOUT: "1" }. */
  config?: Record<string, string>;
  /** Leave the client key and admin password unset so first start generates them. */
  fresh?: boolean;
  /** Start this instead of the suite's runtime and entry (a compiled executable, qemu + one). */
  command?: string[];
  /** Working directory of the process (default: the repository). */
  cwd?: string;
}

/**
 * GATEWAY_PROVIDERS=two (a phase of `npm test`): every gateway also has a second provider, tried
 * first (priority 10), Bearer auth, serving only "decoy-*" models, at a server that refuses
 * whatever reaches it. The suites then show that a gateway with two providers routes each of
 * their requests by model, exactly as with one.
 */
export const twoProviders = process.env.GATEWAY_PROVIDERS === "two";
let decoy: ReturnType<typeof Bun.serve> | undefined;
function decoyProvider(): string {
  decoy ??= Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () =>
      Response.json(
        { type: "error", error: { type: "invalid_request_error", message: "the decoy provider was reached" } },
        { status: 400 },
      ),
  });
  decoy.unref();
  return JSON.stringify([
    {
      name: "decoy",
      base_url: `http://127.0.0.1:${decoy.port}`,
      auth: "bearer",
      keys: ["sk-decoy-provider-key-0123456789"],
      models: ["decoy-*"],
      priority: 10,
    },
  ]);
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const dataDir = options.dataDir ?? tempDir();
  const env: Record<string, string> = { ...options.env };
  if (options.upstream) env.POCKETGATE_UPSTREAM_BASE_URL = options.upstream;
  if (twoProviders && options.upstream && options.config?.PROVIDERS === undefined) {
    env.POCKETGATE_PROVIDERS ??= decoyProvider();
  }
  if (!options.fresh) {
    env.POCKETGATE_UPSTREAM_KEYS ??= UPSTREAM_KEY;
    env.POCKETGATE_PASSWORD ??= CLIENT_KEY;
    env.POCKETGATE_ADMIN_PASSWORD ??= ADMIN_PASSWORD;
  }
  for (const [key, value] of Object.entries(options.config ?? {})) env[`POCKETGATE_${key}`] = value;
  // The shared-state phase: each gateway (not a compiled or emulated one) gets its own database and prefix.
  if (sharedMode && !options.command && env.POCKETGATE_DATABASE_URL === undefined)
    Object.assign(env, await sharedConfig());

  const spawnedAt = performance.now();
  const child = Bun.spawn(
    [...(options.command ?? gatewayCommand()), "--port", "0", "--data-dir", dataDir, ...(options.args ?? [])],
    { cwd: options.cwd ?? ROOT, env: childEnv(env), stdout: "pipe", stderr: "pipe", stdin: "ignore" },
  );
  let out = "";
  let err = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>, sink: (s: string) => void) => {
    for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
  };
  const listening = new Promise<number>((resolvePort, reject) => {
    void pump(child.stdout, (s) => {
      out += s;
      const m = /listening on http:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    void pump(child.stderr, (s) => {
      err += s;
    });
    void child.exited.then((code) =>
      reject(new Error(`gateway exited with ${code} before listening:\n${out}\n${err}`)),
    );
    // Emulated (qemu) starts are slower.
    setTimeout(() => reject(new Error(`gateway did not start within 30 s:\n${out}\n${err}`)), 30_000);
  });
  const port = await listening;
  // With a key, the gateway reads the model list at start; tests begin after it (it is one
  // upstream request a test's scripted replies and request counts should not meet).
  if (options.upstream && env.POCKETGATE_UPSTREAM_KEYS) {
    const until = performance.now() + 3000;
    while (!/^models: /m.test(err) && performance.now() < until && child.exitCode === null) await Bun.sleep(10);
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await child.exited;
    clearTimeout(timer);
  };
  const listeningAfterMs = performance.now() - spawnedAt;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    spawnedAt,
    listeningAfterMs,
    dataDir,
    ...(env.POCKETGATE_DATABASE_URL ? { databaseUrl: env.POCKETGATE_DATABASE_URL } : {}),
    stdout: () => out,
    stderr: () => err,
    stop,
    async crash() {
      child.kill("SIGKILL");
      await child.exited;
    },
    async [Symbol.asyncDispose]() {
      await stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port free on 127.0.0.1 now, for a process that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

/** The status GET http://127.0.0.1:<port>/health answers with, or 0 when nothing answers. */
export const healthStatus = (port: number): Promise<number> =>
  fetch(`http://127.0.0.1:${port}/health`).then(
    (response) => response.status,
    () => 0,
  );

/** Headers a well-behaved Anthropic client sends, with the test client key. */
export function clientHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", "x-api-key": CLIENT_KEY, "anthropic-version": "2023-06-01", ...extra };
}

/**
 * Where settings saved in the admin app are kept, as "key = value" lines: the config file, or with
 * a database (issue 20) the team's `setting` table in PostgreSQL.
 */
export async function savedSettings(gateway: Gateway): Promise<string> {
  if (!gateway.databaseUrl) return readFileSync(join(gateway.dataDir, "pocketgate.toml"), "utf8");
  const client = new Bun.SQL({ url: gateway.databaseUrl, max: 1 });
  try {
    const rows = (await client.unsafe("SELECT key, value FROM setting WHERE NOT deleted ORDER BY key")) as {
      key: string;
      value: string;
    }[];
    return rows.map((r) => `${r.key} = ${r.value}`).join("\n");
  } finally {
    await client.close();
  }
}
