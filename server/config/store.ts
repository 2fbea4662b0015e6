// The config file: TOML in, TOML out, written atomically with mode 0600 (design §7).
import { parse, stringify } from "smol-toml";
import { readTextIfExists, writeFileAtomic } from "../platform/fs.ts";
import { ConfigError } from "./resolve.ts";

export type ConfigFile = Record<string, unknown>;

export async function readConfigFile(path: string): Promise<ConfigFile> {
  const text = await readTextIfExists(path);
  if (text === undefined) return {};
  try {
    return parse(text) as ConfigFile;
  } catch (error) {
    throw new ConfigError(
      `cannot read ${path}: ${(error as Error).message}\nFix the file, or move it away to start with defaults.`,
    );
  }
}

const header = `# pocketgate configuration. Keys: see the README's config reference.
# Every key can be overridden by the environment variable POCKETGATE_<KEY>.
# This file holds secrets (client key, admin password hash): keep it private.
`;

export async function writeConfigFile(path: string, contents: ConfigFile): Promise<void> {
  await writeFileAtomic(path, `${header}\n${stringify(contents)}\n`);
}
