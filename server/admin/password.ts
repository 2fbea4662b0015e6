// Checking the admin password: the clear value from POCKETGATE_ADMIN_PASSWORD when set, else the
// scrypt hash in the config file.
import { safeEqual } from "../auth/client-auth.ts";
import type { Config } from "../config/schema.ts";
import { verifyPassword } from "../platform/crypto.ts";

export async function verifyAdminPassword(config: Config, password: string): Promise<boolean> {
  if (config.admin_password !== "") return safeEqual(password, config.admin_password);
  if (config.admin_password_hash !== "") return verifyPassword(password, config.admin_password_hash);
  return false;
}
