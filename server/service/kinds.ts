// What `pocketgate service` installs, per service manager (pure: the caller passes the facts).
// Each kind (termux.ts, systemd.ts, launchd.ts) turns a ServiceContext into a ServicePlan: the
// files to write, the commands that start, stop and inspect the service, and where its log is.

export type ServiceKind = "termux" | "systemd" | "launchd";
export const SERVICE_KINDS: readonly ServiceKind[] = ["termux", "systemd", "launchd"];

export interface ServiceContext {
  readonly home: string;
  /** Termux's $PREFIX (/data/data/com.termux/files/usr on a phone). */
  readonly prefix: string;
  /** $XDG_CONFIG_HOME when set to an absolute path, else ~/.config. */
  readonly configHome: string;
  /** The command that runs this pocketgate: runtime and script, or the executable alone. */
  readonly command: readonly string[];
  /** Flags given to `service install` (--port, --data-dir, …), passed on to the service. */
  readonly flags: readonly string[];
  /** Where the admin app answers with the configuration in force at install time. */
  readonly adminUrl: string;
  /** launchd's domain is per user: gui/<uid>. */
  readonly uid: number;
}

export interface ServiceFile {
  readonly path: string;
  readonly mode: number;
  readonly content: string;
}

export interface Step {
  readonly argv: readonly string[];
  /** A failure is expected at times (stopping what is not running) and is not reported. */
  readonly optional?: boolean;
  /** Set for the command (sv finds services through $SVDIR, which only a new Termux session has). */
  readonly env?: Readonly<Record<string, string>>;
  /** Retried for this long (runsvdir notices a new service within about 5 s). */
  readonly retryMs?: number;
}

export interface ServicePlan {
  readonly kind: ServiceKind;
  /** A command the kind needs, and what to say when it is missing (nothing is written then). */
  readonly requires: { readonly command: string; readonly missing: string };
  readonly files: readonly ServiceFile[];
  /** Folders made on install, beside the files' own. */
  readonly dirs: readonly string[];
  /** Removed whole on uninstall, beside the files (the service folder, its log). */
  readonly remove: readonly string[];
  /** Parents of the files made for them, removed on uninstall when nothing else is in them. */
  readonly tidy: readonly string[];
  readonly start: readonly Step[];
  readonly stop: readonly Step[];
  readonly status: Step;
  readonly log: { readonly file?: string; readonly show: readonly string[]; readonly follow: readonly string[] };
  /** Lines printed after a successful install. */
  readonly notes: readonly string[];
}

/** Termux when the runtime says Android or Termux's own variables are set; else by platform. */
export function detectKind(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
): ServiceKind | undefined {
  if (platform === "android" || env.TERMUX_VERSION !== undefined || env.PREFIX?.includes("/com.termux/")) {
    return "termux";
  }
  if (platform === "darwin") return "launchd";
  if (platform === "linux") return "systemd";
  return undefined;
}

export const TERMUX_PREFIX = "/data/data/com.termux/files/usr";
