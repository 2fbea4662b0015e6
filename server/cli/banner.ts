// What pocketgate prints when it starts (pure). Secrets appear only in the first-start text.
import type { GeneratedSecrets } from "../config/bootstrap.ts";

export interface BannerInput {
  readonly version: string;
  readonly runtime: string;
  readonly host: string;
  readonly port: number;
  readonly configPath: string;
  readonly upstreamKeyCount: number;
  readonly generated: GeneratedSecrets;
  /** The admin password comes from POCKETGATE_ADMIN_PASSWORD, so reset-password would not stick. */
  readonly adminFromEnv: boolean;
  /** A team's instance whose client key or admin password is the team's, not the one in its file (issue 20). */
  readonly teamSecrets?: boolean;
}

const isWildcard = (host: string) => host === "0.0.0.0" || host === "::" || host === "";

/** 0.0.0.0 and :: listen everywhere; clients on this device still reach them at loopback. */
const displayHost = (host: string) => (isWildcard(host) ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host);

/** Where a client on this device reaches a gateway listening on `host`. */
export const localBase = (host: string, port: number) => `http://${displayHost(host)}:${port}`;

/** Not loopback: other machines can connect, and the first line must not hide it. */
const isExposed = (host: string) =>
  isWildcard(host) || !(host === "localhost" || host.startsWith("127.") || host === "::1");

export function banner(input: BannerInput): string {
  const base = localBase(input.host, input.port);
  const keyShown = input.generated.clientKey ?? "<client key>";
  const lines = [
    `pocketgate ${input.version} (${input.runtime}) listening on ${base}${
      isWildcard(input.host) ? ` and on every other interface (${input.host || "0.0.0.0"})` : ""
    }`,
    ...(isExposed(input.host)
      ? [
          `  Warning: other devices on the network can connect to port ${input.port}. Only the client key and the`,
          "  admin password stand between them and your upstream keys; traffic is plain HTTP. Keep this to",
          "  networks you trust, or put TLS in front (127.0.0.1 is the default for a reason).",
        ]
      : []),
    "",
    `  Admin app:      ${base}/  (open it in a browser; log in with the admin password)`,
    `  Anthropic API:  ${base}/v1`,
    `  OpenAI API:     ${base}/v1  (chat/completions, responses — Codex CLI)`,
    `  Claude Code:    ${base}/code`,
    `  Health:         ${base}/health`,
    `  Config file:    ${input.configPath}`,
    "",
  ];
  if (input.generated.clientKey || input.generated.adminPassword) {
    lines.push("First start: these secrets are shown only now. Save them somewhere safe.");
    if (input.generated.clientKey) lines.push(`  Client key:      ${input.generated.clientKey}`);
    if (input.generated.adminPassword) lines.push(`  Admin password:  ${input.generated.adminPassword}`);
    lines.push("");
  }
  lines.push(
    "SillyTavern (API: Chat Completion, source: Claude):",
    `  Reverse proxy:   ${base}/v1`,
    `  Proxy password:  ${keyShown}`,
    "SillyTavern (source: Custom (OpenAI-compatible)) and other OpenAI clients:",
    `  Base URL:        ${base}/v1`,
    `  API key:         ${keyShown}`,
    "Claude Code:",
    `  ANTHROPIC_BASE_URL=${base}/code ANTHROPIC_AUTH_TOKEN=${keyShown} claude`,
    "",
  );
  if (input.teamSecrets) {
    lines.push(
      "The client key and admin password are the team's (the first instance's, kept in PostgreSQL); its client keys are on the admin app's Clients page.",
    );
  } else if (!input.generated.clientKey) {
    lines.push(`The client key is \`password\` in ${input.configPath}.`);
  }
  if (!input.generated.adminPassword) {
    lines.push(
      input.adminFromEnv
        ? "The admin password comes from POCKETGATE_ADMIN_PASSWORD."
        : "Forgot the admin password? Run `pocketgate reset-password` (npm run reset-password).",
    );
  }
  if (input.upstreamKeyCount === 0) {
    lines.push(
      `No upstream Anthropic API key yet: set POCKETGATE_UPSTREAM_KEYS=sk-ant-... or add upstream_keys = ["sk-ant-..."] to ${input.configPath}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The first start's secrets worth showing. A team's instance uses the team's client key and admin
 * password (store/shared/): one it made for itself does not open it, so it is not shown as if it did.
 */
export function shownSecrets(
  generated: GeneratedSecrets,
  fileAdminHash: unknown,
  current: { readonly password: string; readonly admin_password_hash: string },
): { generated: GeneratedSecrets; team: boolean } {
  const teamKey = generated.clientKey !== undefined && current.password !== generated.clientKey;
  const teamAdmin = generated.adminPassword !== undefined && current.admin_password_hash !== fileAdminHash;
  if (!teamKey && !teamAdmin) return { generated, team: false };
  return {
    generated: {
      clientKey: teamKey ? undefined : generated.clientKey,
      adminPassword: teamAdmin ? undefined : generated.adminPassword,
    },
    team: true,
  };
}

/** What `pocketgate init` prints: the secrets when it just made them, else where they are. */
export function initReport(configPath: string, generated: GeneratedSecrets): string {
  if (!generated.clientKey && !generated.adminPassword) {
    return `pocketgate is already set up: ${configPath}\nNo secret is printed again; \`pocketgate reset-password\` sets a new admin password.\n`;
  }
  const lines = [
    `pocketgate is set up: ${configPath}`,
    "",
    "These secrets are shown only now. Save them somewhere safe.",
  ];
  if (generated.clientKey) lines.push(`  Client key:      ${generated.clientKey}`);
  if (generated.adminPassword) lines.push(`  Admin password:  ${generated.adminPassword}`);
  return `${lines.join("\n")}\n`;
}
