// Command-line parsing (pure): argv → what to do, or a usage error.
import type { ConfigKey } from "../config/schema.ts";
import { SERVICE_KINDS, type ServiceKind } from "../service/kinds.ts";

export type Command = "serve" | "init" | "doctor" | "reset-password" | "service" | "version" | "help";

export type ServiceAction = "install" | "uninstall" | "status" | "logs";
const SERVICE_ACTIONS: readonly ServiceAction[] = ["install", "uninstall", "status", "logs"];

export interface ServiceArgs {
  readonly action: ServiceAction;
  /** Print what would be written and run; change nothing. */
  readonly dryRun: boolean;
  /** The service manager, when not the one this system has (termux, systemd, launchd). */
  readonly kind?: ServiceKind;
  /** `logs`: keep printing new lines. */
  readonly follow: boolean;
}

export interface CliArgs {
  readonly command: Command;
  readonly dataDir?: string;
  readonly configFile?: string;
  /** Config values given as flags (highest precedence). */
  readonly flags: Partial<Record<ConfigKey, string>>;
  readonly service?: ServiceArgs;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export const usage = `Usage:
  pocketgate [--host 127.0.0.1] [--port 8484] [--data-dir DIR] [--config FILE]
  pocketgate init [--data-dir DIR] [--config FILE]
  pocketgate doctor [--host HOST] [--port PORT] [--data-dir DIR] [--config FILE]
  pocketgate reset-password [--data-dir DIR] [--config FILE]
  pocketgate service install|uninstall|status|logs [--dry-run] [--kind termux|systemd|launchd] [--follow]
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
  service install   run pocketgate as a service: termux-services in Termux (with Termux:Boot and
                    Termux:Widget scripts), a systemd user unit on Linux, a launchd agent on macOS;
                    prints each file before writing it (--dry-run: prints only). --host, --port,
                    --data-dir and --config given here are passed on to the service.
  service uninstall stop it and remove those files (your data stays)
  service status    is it installed and answering?
  service logs      its last 50 log lines (--follow: and new ones as they come)

Every config key can also be set in the environment as POCKETGATE_<KEY>, e.g. POCKETGATE_UPSTREAM_KEYS.
Precedence: flags > environment > config file > defaults.`;

const valueFlags = new Set(["--host", "--port", "--data-dir", "--config", "--kind"]);
const serviceSwitches = new Set(["--dry-run", "--follow", "-f"]);

export function parseArgs(argv: readonly string[]): CliArgs {
  let command: Command = "serve";
  let action: ServiceAction | undefined;
  const values: Record<string, string> = {};
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--help" || arg === "-h" || arg === "help") return { command: "help", flags: {} };
    if (arg === "--version" || arg === "-v" || arg === "version") return { command: "version", flags: {} };
    if (arg === "reset-password" || arg === "serve" || arg === "init" || arg === "doctor") {
      command = arg;
      continue;
    }
    if (arg === "service") {
      command = "service";
      const next = argv[++i] ?? "";
      if (!SERVICE_ACTIONS.includes(next as ServiceAction)) {
        throw new UsageError(`service needs one of ${SERVICE_ACTIONS.join(", ")}${next ? `, not "${next}"` : ""}`);
      }
      action = next as ServiceAction;
      continue;
    }
    if (serviceSwitches.has(arg)) {
      switches.add(arg === "-f" ? "--follow" : arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!valueFlags.has(name)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
    values[name] = value;
  }
  if (command !== "service" && (switches.size > 0 || values["--kind"] !== undefined)) {
    throw new UsageError(
      `${[...switches, ...(values["--kind"] ? ["--kind"] : [])].join(", ")} only go with \`service\``,
    );
  }
  const kind = values["--kind"];
  if (kind !== undefined && !SERVICE_KINDS.includes(kind as ServiceKind)) {
    throw new UsageError(`--kind must be one of ${SERVICE_KINDS.join(", ")}, not "${kind}"`);
  }
  const flags: Partial<Record<ConfigKey, string>> = {};
  if (values["--host"] !== undefined) flags.host = values["--host"];
  if (values["--port"] !== undefined) flags.port = values["--port"];
  const service =
    action === undefined
      ? undefined
      : {
          action,
          dryRun: switches.has("--dry-run"),
          kind: kind as ServiceKind | undefined,
          follow: switches.has("--follow"),
        };
  return { command, dataDir: values["--data-dir"], configFile: values["--config"], flags, service };
}
