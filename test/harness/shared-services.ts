// Real Redis and PostgreSQL for the shared-state tests (issue 20): the Debian packages' servers,
// started here on loopback ports with temporary data directories. Each is stopped by its test
// (`await using`), and a watchdog stops it and removes its folder when the test process is gone
// however it ended (bun test runs no exit handlers, and pg_ctl's server outlives its starter).
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the package made.
import { chownSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./gateway.ts";

const asRoot = process.getuid?.() === 0;

function pgBin(name: string): string {
  const base = "/usr/lib/postgresql";
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  if (!version) throw new Error("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
  return join(base, version, "bin", name);
}

const asPostgres = (argv: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...argv] : argv);

function run(argv: string[]): void {
  const result = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) {
    throw new Error(
      `${argv.join(" ")} failed (${result.exitCode}): ${result.stderr.toString()}${result.stdout.toString()}`,
    );
  }
}

/** Polls `check` until it holds; how long that took, or an error naming `what` after `ms`. */
export async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start;
    await Bun.sleep(20);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(socket) {
          socket.end();
          resolve(true);
        },
        data() {},
        connectError() {
          resolve(false);
        },
      },
    }).catch(() => resolve(false));
  });
}

/** Runs `cleanup` (a shell command) once this process has exited; returns a way to run it now. */
function watchdog(cleanup: string): () => void {
  const guard = Bun.spawn(["sh", "-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${cleanup}`], {
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  guard.unref();
  return () => {
    guard.kill("SIGKILL");
    Bun.spawnSync(["sh", "-c", cleanup], { stdout: "ignore", stderr: "ignore" });
  };
}

export interface RedisServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "pocketgate-redis-"));
  const port = await freePort();
  let child: ReturnType<typeof Bun.spawn> | undefined;
  const start = async () => {
    child = Bun.spawn(
      ["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      { stdout: "ignore", stderr: "ignore" },
    );
    await within(20_000, "redis-server answering", () => answers(port));
  };
  await start();
  // The server of this port, whichever start made it (a pattern that does not match this shell's own line).
  const cleanup = watchdog(`pkill -9 -f '[r]edis-server 127.0.0.1:${port}'; rm -rf '${dir}'`);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      child?.kill("SIGKILL");
      await child?.exited;
    },
    async [Symbol.asyncDispose]() {
      child?.kill("SIGKILL");
      await child?.exited;
      cleanup();
    },
  };
}

export interface PostgresServer extends AsyncDisposable {
  readonly port: number;
  /** postgres://… for one database. */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  query(database: string, sql: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "pocketgate-pg-"));
  if (asRoot) {
    const pw = Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
    const gid = Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim();
    chownSync(dir, Number(pw), Number(gid));
  }
  const data = join(dir, "data");
  run(asPostgres([pgBin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]));
  const port = await freePort();
  const ctl = (action: "start" | "stop") =>
    run(
      asPostgres([
        pgBin("pg_ctl"),
        "-D",
        data,
        "-l",
        join(dir, "log"),
        "-m",
        "immediate",
        "-w",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
        action,
      ]),
    );
  const start = async () => {
    ctl("start");
    await within(20_000, "postgres answering", () => answers(port));
  };
  await start();
  const stopCommand = asPostgres([pgBin("pg_ctl"), "-D", data, "-m", "immediate", "stop"]).join(" ");
  const cleanup = watchdog(`${stopCommand} >/dev/null 2>&1; rm -rf '${dir}'`);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const query = async (database: string, sql: string) => {
    const client = new Bun.SQL({ url: url(database), max: 1 });
    try {
      return (await client.unsafe(sql)) as Record<string, unknown>[];
    } finally {
      await client.close();
    }
  };
  return {
    port,
    url,
    query,
    async createDatabase(name: string) {
      await query("postgres", `CREATE DATABASE ${name}`);
      return url(name);
    },
    async stop() {
      ctl("stop");
    },
    start,
    async [Symbol.asyncDispose]() {
      cleanup();
    },
  };
}

let services: Promise<{ redis: RedisServer; postgres: PostgresServer }> | undefined;
let databases = 0;

/**
 * GATEWAY_SHARED=1 (a phase of `npm test`): every gateway keeps its state in Redis and PostgreSQL,
 * each in a database and under a Redis prefix of its own (the suites' gateways are independent).
 */
export const sharedMode = process.env.GATEWAY_SHARED === "1";

/** The settings for one more gateway of a team, or one alone, in shared mode. */
export async function sharedConfig(database?: string, prefix?: string): Promise<Record<string, string>> {
  services ??= Promise.all([startRedis(), startPostgres()]).then(([redis, postgres]) => ({ redis, postgres }));
  const { redis, postgres } = await services;
  const name = database ?? `gw_${process.pid}_${databases++}`;
  if (!database) await postgres.createDatabase(name);
  return {
    POCKETGATE_REDIS_URL: redis.url,
    POCKETGATE_DATABASE_URL: postgres.url(name),
    POCKETGATE_SHARED_PREFIX: prefix ?? name,
  };
}
