// Checking the admin password: the clear value from POCKETGATE_ADMIN_PASSWORD when set, else the
// scrypt hash in the config file.
import { scryptSync } from "node:crypto";
import { safeEqual } from "../auth/client-auth.ts";
import type { Config } from "../config/schema.ts";
import { sha256Hex, verifyPassword } from "../platform/crypto.ts";

export async function verifyAdminPassword(config: Config, password: string): Promise<boolean> {
  if (config.admin_password !== "") return safeEqual(password, config.admin_password);
  if (config.admin_password_hash !== "") return verifyPassword(password, config.admin_password_hash);
  return false;
}

let memo: { source: string; tag: string } | undefined;

/**
 * A stable id of the admin password now in force, kept with each session so a changed password
 * ends the old ones. From the hash, a digest of it (the hash is salted); from a clear password,
 * an scrypt of it, so the database never holds a fast hash of the password. Remembered per value.
 */
export function sessionTag(config: Config): string {
  const source = config.admin_password !== "" ? `clear:${config.admin_password}` : `hash:${config.admin_password_hash}`;
  if (memo?.source === source) return memo.tag;
  const tag =
    config.admin_password !== ""
      ? scryptSync(config.admin_password, "pocketgate-session-tag", 32).toString("hex")
      : sha256Hex(source);
  memo = { source, tag };
  return tag;
}
