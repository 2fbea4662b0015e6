// `pocketgate doctor`: gathers the real probes and prints the report; exit code 1 on a problem.
import { ConfigError, resolveConfig } from "../config/resolve.ts";
import type { Config } from "../config/schema.ts";
import { readConfigFile } from "../config/store.ts";
import { formatDoctor, runDoctor } from "../doctor/checks.ts";
import { fileExists, join } from "../platform/fs.ts";
import { cpuArch, dirWritableError, portError, resolveHost } from "../platform/probes.ts";
import { env, platformName, runtimeName, runtimeVersion } from "../platform/runtime.ts";
import { openDatabase } from "../platform/sqlite.ts";
import { openUpstreamFetch } from "../platform/upstream-fetch.ts";
import { providersOf } from "../providers/registry.ts";
import { migrate } from "../store/database.ts";
import { upstreamKeyStore } from "../store/upstream-keys.ts";
import { reachThrough } from "../upstream/reachability.ts";
import { localBase } from "./banner.ts";

export interface DoctorInput {
  readonly dataDir: string;
  readonly configPath: string;
  readonly flags: Parameters<typeof resolveConfig>[0]["flags"];
  readonly header: string;
}

/** Keys from the config and, when the database exists, those added in the admin app. */
async function countKeys(dataDir: string, config: Config): Promise<number> {
  const path = join(dataDir, "pocketgate.db");
  if (!(await fileExists(path))) return providersOf(config).reduce((n, p) => n + p.configKeys.length, 0);
  const db = await openDatabase(path);
  try {
    migrate(db);
    return upstreamKeyStore(db, Date.now, () => config).keys().length;
  } finally {
    db.close();
  }
}

async function whoIsOnPort(host: string, port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${localBase(host, port)}/health`, { signal: AbortSignal.timeout(2000) });
    return ((await response.json()) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The report text and whether anything failed. */
export async function doctor(input: DoctorInput): Promise<{ text: string; failed: boolean }> {
  let config: ReturnType<typeof resolveConfig>["config"];
  try {
    const file = await readConfigFile(input.configPath);
    config = resolveConfig({ file, filePath: input.configPath, env, flags: input.flags }).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const text = formatDoctor(input.header, [
      {
        name: "config",
        verdict: "fail",
        detail: error.message,
        fix: `fix ${input.configPath}, or move it away to start with defaults`,
      },
    ]);
    return { text, failed: true };
  }
  const results = await runDoctor({
    runtime: { name: runtimeName, version: runtimeVersion ?? "?", platform: platformName, arch: cpuArch },
    dataDir: input.dataDir,
    config,
    upstreamKeyCount: await countKeys(input.dataDir, config),
    dirWritableError,
    portError,
    whoIsOnPort,
    resolveHost,
    reach: (proxy, baseUrl) => reachThrough(openUpstreamFetch, proxy, baseUrl, Date.now),
    now: Date.now,
  });
  const text = formatDoctor(`${input.header}\nconfig: ${input.configPath}`, results);
  return { text, failed: results.some((r) => r.verdict === "fail") };
}
