// Upstream keys from the config (environment or file), as pool keys: a stable id from a hash of
// the secret, and a label that shows only its last four characters.
import { sha256Hex } from "../platform/crypto.ts";
import type { PoolKey } from "./pool.ts";

export const maskKey = (secret: string): string => `${secret.slice(0, 7)}…${secret.slice(-4)}`;

export function configPoolKeys(secrets: () => readonly string[]): () => readonly PoolKey[] {
  let source: readonly string[] | undefined;
  let keys: readonly PoolKey[] = [];
  return () => {
    const current = secrets();
    if (current !== source) {
      source = current;
      keys = current.map((secret) => ({
        id: `key_${sha256Hex(secret).slice(0, 12)}`,
        label: maskKey(secret),
        secret,
        enabled: true,
      }));
    }
    return keys;
  };
}
