// The running config: resolved once at start, then replaced as a whole when the admin app saves
// settings (design §7: validate, write the file atomically, swap the frozen value). Routes read
// it through `current()` on every request, so a saved change applies to the next request.
import { isFailure } from "./parsers.ts";
import { ConfigError, type ConfigOrigin, type ConfigSources, resolveConfig } from "./resolve.ts";
import { type Config, type ConfigKey, schema } from "./schema.ts";
import { type ConfigFile, writeConfigFile } from "./store.ts";

export interface LiveConfig {
  current(): Config;
  origin(key: ConfigKey): ConfigOrigin;
  /**
   * Validates `changes` against the schema, writes them into the file and swaps the config.
   * A key set to `null` is removed from the file (back to its default).
   */
  update(changes: Partial<Record<ConfigKey, unknown>>): Promise<Config>;
}

export function createLiveConfig(sources: ConfigSources, initial = resolveConfig(sources)): LiveConfig {
  let file: ConfigFile = { ...sources.file };
  let resolved = initial;
  return {
    current: () => resolved.config,
    origin: (key) => resolved.origins[key],
    async update(changes) {
      const next: ConfigFile = { ...file };
      for (const [key, value] of Object.entries(changes) as [ConfigKey, unknown][]) {
        if (!(key in schema)) throw new ConfigError(`unknown setting "${key}"`);
        if (value === null) {
          delete next[key];
          continue;
        }
        // The file gets the typed value ("32MiB" is written as 33554432).
        const parsed = schema[key].parse(value);
        if (isFailure(parsed)) throw new ConfigError(`${key}: expected ${parsed.expected}`);
        next[key] = parsed;
      }
      // Resolving the whole file again gives the same messages as at start for a bad value.
      const candidate = resolveConfig({ ...sources, file: next });
      await writeConfigFile(sources.filePath, next);
      file = next;
      resolved = candidate;
      return resolved.config;
    },
  };
}
