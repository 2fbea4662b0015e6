// The running config: resolved at start, then replaced as a whole when the admin app saves a
// setting or the file is edited by hand (design §7). Routes read it through `current()` on every
// request, so a change applies to the next request.
//
// The file is the truth, and more than one writer touches it: the admin app's saves, `npm run
// reset-password`, a person with an editor (issue 11, defect 4). So every change is made, one at a
// time, from the file's content as it is now: read, merge the one change, validate, write
// atomically. Nothing is written from a copy taken earlier, so a concurrent save, a reset password
// or a hand edit is never undone. A hand edit is picked up by `reload()` (main.ts calls it when
// the file changes): a valid file replaces the running config; an invalid one is refused with its
// reason (`problem()`, shown in the admin app) and the running config stays.
import { hashPassword } from "../platform/crypto.ts";
import { fileExists } from "../platform/fs.ts";
import type { SettingsLayer } from "../store/shared/settings-layer.ts";
import { isFailure } from "./parsers.ts";
import { ConfigError, type ConfigOrigin, type ConfigSources, type ResolvedConfig, resolveConfig } from "./resolve.ts";
import { type Config, type ConfigKey, configKeys, schema } from "./schema.ts";
import { type ConfigFile, readConfigFile, writeConfigFile } from "./store.ts";

export interface ReloadResult {
  /** Keys whose value changed ([] when the file's meaning did not). */
  readonly changed: readonly ConfigKey[];
  /** The reason the file was refused; the running config was kept. */
  readonly problem?: string;
}

export interface LiveConfig {
  current(): Config;
  origin(key: ConfigKey): ConfigOrigin;
  /**
   * Validates `changes` against the schema, writes them into the file as it is now and swaps the
   * config. A key set to `null` is removed from the file (back to its default). Serialized.
   */
  update(changes: Partial<Record<ConfigKey, unknown>>): Promise<Config>;
  /** Reads the file again and applies it if valid (a hand edit, `reset-password`). Serialized. */
  reload(): Promise<ReloadResult>;
  /** Why the file on disk is not the running config, when a reload refused it. */
  problem(): string | undefined;
  /**
   * A team's settings (issue 20): from now on, saves of keys not marked `instance` go to `layer`
   * (for every instance), whose values lie over the file. Also call after `layer` changed.
   */
  share(layer: SettingsLayer): Promise<ReloadResult>;
}

/** Keys every instance of a team shares (the others belong to each instance's file). */
const isShared = (key: ConfigKey) => !(schema[key] as { instance?: boolean }).instance;

export function createLiveConfig(sources: ConfigSources, initial = resolveConfig(sources)): LiveConfig {
  let resolved: ResolvedConfig = initial;
  let problem: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let layer: SettingsLayer | undefined;
  /** The file with the team's saved settings over it (and `changes` to them: null removes one). */
  const withShared = (file: ConfigFile, changes: Readonly<Record<string, unknown>> = {}): ConfigFile => {
    if (!layer) return file;
    const shared = Object.entries({ ...layer.values(), ...changes }).filter(
      ([key, value]) => value !== null && key in schema && isShared(key as ConfigKey),
    );
    return { ...file, ...Object.fromEntries(shared) };
  };

  /** One change to the file at a time, in the order asked. */
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  /** Tables (providers, aliases) are new objects on every read: compared by content. */
  const same = (a: unknown, b: unknown) =>
    a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));
  const changedKeys = (before: Config, after: Config) => configKeys.filter((key) => !same(before[key], after[key]));

  // The file as last read or written: what a save starts from if the file has been removed, so
  // the secrets in it (client key, admin password hash) are written back, not lost.
  let lastFile: ConfigFile = { ...sources.file };

  /** The file as it is now (undefined when it is gone); an unreadable one throws ConfigError. */
  const readNow = async (): Promise<ConfigFile | undefined> => {
    if (!(await fileExists(sources.filePath))) return undefined;
    const file = await readConfigFile(sources.filePath);
    lastFile = file;
    return file;
  };

  /** A hand edit that would leave nobody able to log in or connect is refused. */
  const missingSecret = (config: Config): string | undefined => {
    if (config.admin_password === "" && config.admin_password_hash === "") {
      return "the file no longer holds admin_password_hash (nor admin_password): nobody could log in to the admin app";
    }
    if (config.password === "") return "the file no longer holds password (the client key apps send)";
    return undefined;
  };

  return {
    current: () => resolved.config,
    origin: (key) => resolved.origins[key],
    problem: () => problem,
    update: (changes) =>
      serialized(async () => {
        let file: ConfigFile;
        try {
          file = (await readNow()) ?? lastFile;
        } catch (error) {
          throw new ConfigError(
            `${(error as Error).message}\nThe change was not saved: the file on disk must be fixed first.`,
          );
        }
        const next: ConfigFile = { ...file };
        const team: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(changes) as [ConfigKey, unknown][]) {
          if (!(key in schema)) throw new ConfigError(`unknown setting "${key}"`);
          const target = layer && isShared(key) ? team : next;
          if (value === null) {
            if (target === team) team[key] = null;
            else delete next[key];
            continue;
          }
          // The file gets the typed value ("32MiB" is written as 33554432).
          const parsed = schema[key].parse(value);
          if (isFailure(parsed)) throw new ConfigError(`${key}: expected ${parsed.expected}`);
          const toFile = (schema[key] as { toFile?: (value: unknown) => unknown }).toFile;
          target[key] = toFile ? toFile(parsed) : parsed;
        }
        // Resolving the whole file again gives the same messages as at start for a bad value.
        const candidate = resolveConfig({ ...sources, file: withShared(next, team) });
        if (layer && Object.keys(team).length > 0) await layer.save(team);
        if (Object.keys(team).length < Object.keys(changes).length) await writeConfigFile(sources.filePath, next);
        lastFile = next;
        resolved = candidate;
        problem = undefined;
        return resolved.config;
      }),
    reload: () =>
      serialized(async (): Promise<ReloadResult> => {
        let candidate: ResolvedConfig;
        try {
          let file = await readNow();
          if (file === undefined) {
            throw new ConfigError(`${sources.filePath} was removed; a save in the admin app writes it again`);
          }
          candidate = resolveConfig({ ...sources, file: withShared(file) });
          const unusable = missingSecret(candidate.config);
          if (unusable) throw new ConfigError(`${sources.filePath}: ${unusable}`);
          // A clear admin password typed into the file is replaced by its hash, as at start.
          if (typeof file.admin_password === "string" && file.admin_password !== "") {
            const { admin_password: clear, ...rest } = file;
            file = { ...rest, admin_password_hash: await hashPassword(clear) };
            candidate = resolveConfig({ ...sources, file: withShared(file) });
            await writeConfigFile(sources.filePath, file);
            lastFile = file;
          }
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problem = `${error.message}\nThe running config is kept until the file is fixed.`;
          return { changed: [], problem };
        }
        const changed = changedKeys(resolved.config, candidate.config);
        resolved = candidate;
        problem = undefined;
        return { changed };
      }),
    share: (next) =>
      serialized(async (): Promise<ReloadResult> => {
        layer = next;
        let candidate: ResolvedConfig;
        try {
          candidate = resolveConfig({ ...sources, file: withShared(lastFile) });
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return { changed: [], problem: `the team's saved settings were refused: ${error.message}` };
        }
        const changed = changedKeys(resolved.config, candidate.config);
        resolved = candidate;
        return { changed };
      }),
  };
}
