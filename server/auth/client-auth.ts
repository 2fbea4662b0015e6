// Client authentication to pocketgate (contract §1).
import { GatewayError } from "../errors.ts";
import { type ClientCredential, presentedCredentials } from "../upstream/headers.ts";

export interface ClientAuthSettings {
  /** Finds the active client key with this secret (a hash lookup: no early-exit comparison). */
  readonly findClient: (secret: string) => { readonly name: string } | undefined;
  readonly passthrough: boolean;
}

const encoder = new TextEncoder();

/** Constant-time comparison: the time depends only on the lengths, never on where bytes differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const length = Math.max(x.length, y.length);
  let diff = x.length ^ y.length;
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** API keys are sk-ant-api…, Claude Code's OAuth tokens sk-ant-oat…. */
const looksLikeAnthropicCredential = (value: string) => value.startsWith("sk-ant-");

export function authenticate(headers: Headers, settings: ClientAuthSettings): ClientCredential | GatewayError {
  const presented = presentedCredentials(headers);
  // Either header may carry the key (§1): the first that names an active client wins.
  for (const value of presented) {
    const client = settings.findClient(value);
    if (client) return { kind: "pool", client: client.name };
  }
  if (settings.passthrough && presented.some(looksLikeAnthropicCredential)) return { kind: "client" };
  const message =
    presented.length === 0
      ? "missing client key: send the pocketgate client key as x-api-key or Authorization: Bearer"
      : "wrong or revoked client key: use the key pocketgate printed on first start (`password` in pocketgate.toml) or one made in the admin page";
  return new GatewayError(401, "authentication_error", message);
}
