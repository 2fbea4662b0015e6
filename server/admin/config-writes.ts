// What every admin route that changes the config file shares: a key set by the environment or a
// flag is refused (409, naming where to change it), and a value the config refuses is the
// caller's mistake (400 with the config's own words).
import type { LiveConfig } from "../config/live.ts";
import { ConfigError } from "../config/resolve.ts";
import { type Config, type ConfigKey, envName } from "../config/schema.ts";
import { badRequest, GatewayError } from "../errors.ts";

/** Whether the admin app may change `key`: not when the environment or a flag sets it. */
export const changeable = (live: LiveConfig, key: ConfigKey): boolean => {
  const origin = live.origin(key);
  return origin !== "env" && origin !== "flag";
};

/** Throws 409 when `key` is set by the environment or a flag. */
export function requireChangeable(live: LiveConfig, key: ConfigKey): void {
  if (changeable(live, key)) return;
  const where =
    live.origin(key) === "env" ? `the environment variable ${envName(key)}` : `the --${key.replaceAll("_", "-")} flag`;
  throw new GatewayError(409, "invalid_request_error", `${key} is set by ${where}; change it there`);
}

/** live.update, with the config's refusal turned into the client's 400. */
export async function updateConfig(live: LiveConfig, changes: Partial<Record<ConfigKey, unknown>>): Promise<Config> {
  try {
    return await live.update(changes);
  } catch (error) {
    if (error instanceof ConfigError) throw badRequest(error.message);
    throw error;
  }
}
