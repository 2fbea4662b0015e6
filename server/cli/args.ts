// Command-line parsing (pure): argv → what to do, or a usage error.
import type { ConfigKey } from "../config/schema.ts";

export type Command = "serve" | "init" | "doctor" | "reset-password" | "version" | "help";

export interface CliArgs {
  readonly command: Command;
  readonly dataDir?: string;
  readonly configFile?: string;
  /** Config values given as flags (highest precedence). */
  readonly flags: Partial<Record<ConfigKey, string>>;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const usage = `Usage:
  pocketgate [--host 127.0.0.1] [--port 8484] [--data-dir DIR] [--config FILE]
  pocketgate init [--data-dir DIR] [--config FILE]
  pocketgate doctor [--host HOST] [--port PORT] [--data-dir DIR] [--config FILE]
  pocketgate reset-password [--data-dir DIR] [--config FILE]
  pocketgate --version
  pocketgate --help

Options:
  --host HOST       address to listen on (default 127.0.0.1; 0.0.0.0 for the whole network)
  --port PORT       port to listen on (default 8484; 0 picks a free one)
  --data-dir DIR    where pocketgate.toml lives (default $XDG_CONFIG_HOME/pocketgate or ~/.config/pocketgate)
  --config FILE     config file to use instead of DIR/pocketgate.toml

Commands:
  init              create the config with a client key and an admin password, print them once, exit
  doctor            check runtime, data dir, port, upstream (DNS, TLS, proxy) and clock; say how to fix
  reset-password    set a new random admin password and print it once

Every config key can also be set in the environment as POCKETGATE_<KEY>, e.g. POCKETGATE_UPSTREAM_KEYS.
Precedence: flags > environment > config file > defaults.`;

const valueFlags = new Set(["--host", "--port", "--data-dir", "--config"]);

export function parseArgs(argv: readonly string[]): CliArgs {
  let command: Command = "serve";
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h" || arg === "help") return { command: "help", flags: {} };
    if (arg === "--version" || arg === "-v" || arg === "version") return { command: "version", flags: {} };
    if (arg === "reset-password" || arg === "serve" || arg === "init" || arg === "doctor") {
      command = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!valueFlags.has(name)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
    values[name] = value;
  }
  const flags: Partial<Record<ConfigKey, string>> = {};
  if (values["--host"] !== undefined) flags.host = values["--host"];
  if (values["--port"] !== undefined) flags.port = values["--port"];
  return { command, dataDir: values["--data-dir"], configFile: values["--config"], flags };
}
