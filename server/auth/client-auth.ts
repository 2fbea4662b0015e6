// Client authentication to pocketgate (contract §1).
import { GatewayError } from "../errors.ts";
import { type ClientCredential, presentedCredentials } from "../upstream/headers.ts";

export interface ClientAuthSettings {
  /** The client key; "" accepts nobody. */
  readonly password: string;
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
  // Check every credential (no early exit) so timing does not tell which header matched.
  let matched = false;
  for (const value of presented) {
    if (settings.password !== "" && safeEqual(value, settings.password)) matched = true;
  }
  if (matched) return { kind: "pool", client: "default" };
  if (settings.passthrough && presented.some(looksLikeAnthropicCredential)) return { kind: "client" };
  const message =
    presented.length === 0
      ? "missing client key: send the pocketgate client key as x-api-key or Authorization: Bearer"
      : "wrong client key: use the key pocketgate printed on first start (it is `password` in pocketgate.toml)";
  return new GatewayError(401, "authentication_error", message);
}
