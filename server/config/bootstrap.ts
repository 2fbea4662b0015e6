// First start: make sure a client key and an admin password exist. Secrets generated here are
// returned so they can be printed once; the admin password is stored only as a scrypt hash.
import { hashPassword } from "../platform/crypto.ts";
import type { Config } from "./schema.ts";
import { newAdminPassword, newClientKey } from "./secrets.ts";
import { type ConfigFile, writeConfigFile } from "./store.ts";

export interface GeneratedSecrets {
  readonly clientKey?: string;
  readonly adminPassword?: string;
}

export interface BootstrapResult {
  /** The file contents after bootstrap (unchanged when nothing was needed). */
  readonly file: ConfigFile;
  readonly generated: GeneratedSecrets;
}

export async function bootstrapSecrets(path: string, file: ConfigFile, config: Config): Promise<BootstrapResult> {
  const next: ConfigFile = { ...file };
  let clientKey: string | undefined;
  let adminPassword: string | undefined;

  if (config.password === "") {
    clientKey = newClientKey();
    next.password = clientKey;
  }
  if (typeof file.admin_password === "string" && file.admin_password !== "") {
    // A clear-text admin password typed into the file is replaced by its hash.
    next.admin_password_hash = await hashPassword(file.admin_password);
    delete next.admin_password;
  } else if (config.admin_password === "" && config.admin_password_hash === "") {
    adminPassword = newAdminPassword();
    next.admin_password_hash = await hashPassword(adminPassword);
  }
  const changed = clientKey !== undefined || adminPassword !== undefined || next.admin_password !== file.admin_password;
  if (changed) await writeConfigFile(path, next);
  return { file: next, generated: { clientKey, adminPassword } };
}

/** `pocketgate reset-password`: a new random admin password, stored as a hash, returned once. */
export async function resetAdminPassword(path: string, file: ConfigFile): Promise<string> {
  const password = newAdminPassword();
  const next: ConfigFile = { ...file, admin_password_hash: await hashPassword(password) };
  delete next.admin_password;
  await writeConfigFile(path, next);
  return password;
}
