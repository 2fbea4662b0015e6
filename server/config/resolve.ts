// Merge defaults < file < environment < flags into one validated, frozen Config (design §7).

import { isFailure } from "./parsers.ts";
import { type Config, type ConfigKey, configKeys, defaults, envName, schema } from "./schema.ts";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ConfigSources {
  /** Parsed TOML file contents ({} when there is no file). */
  readonly file: Readonly<Record<string, unknown>>;
  readonly filePath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Values given as command-line flags, as strings. */
  readonly flags: Partial<Record<ConfigKey, string>>;
}

export type ConfigOrigin = "default" | "file" | "env" | "flag";

export interface ResolvedConfig {
  readonly config: Config;
  readonly warnings: readonly string[];
  /** Where each value came from: the admin app can only change what the file decides. */
  readonly origins: Readonly<Record<ConfigKey, ConfigOrigin>>;
}

/** Environment names that are not config keys but are still ours. */
const extraEnv = new Set(["POCKETGATE_DATA_DIR", "POCKETGATE_CONFIG"]);

const known = new Set<string>(configKeys);

export function resolveConfig(sources: ConfigSources): ResolvedConfig {
  const warnings: string[] = [];
  for (const key of Object.keys(sources.file)) {
    if (!known.has(key)) warnings.push(`unknown key "${key}" in ${sources.filePath} is ignored`);
  }
  const envNames = new Set(configKeys.map(envName));
  for (const name of Object.keys(sources.env)) {
    if (name.startsWith("POCKETGATE_") && !envNames.has(name) && !extraEnv.has(name)) {
      warnings.push(`unknown environment variable ${name} is ignored`);
    }
  }

  const values: Record<string, unknown> = { ...defaults };
  const origins = Object.fromEntries(configKeys.map((k) => [k, "default"])) as Record<ConfigKey, ConfigOrigin>;
  for (const key of configKeys) {
    const candidates: [unknown, string, ConfigOrigin][] = [
      [sources.flags[key], `the --${key.replaceAll("_", "-")} flag`, "flag"],
      [sources.env[envName(key)], `the environment variable ${envName(key)}`, "env"],
      [sources.file[key], sources.filePath, "file"],
    ];
    const found = candidates.find(([raw]) => raw !== undefined);
    if (!found) continue;
    const [raw, origin, kind] = found;
    origins[key] = kind;
    const parsed = schema[key].parse(raw);
    if (isFailure(parsed)) {
      const shown = schema[key].secret ? "(hidden)" : JSON.stringify(raw);
      throw new ConfigError(`invalid config: ${key} = ${shown} (from ${origin}); expected ${parsed.expected}`);
    }
    values[key] = parsed;
  }
  return { config: Object.freeze(values) as Config, warnings, origins };
}
