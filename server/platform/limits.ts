// How many files (sockets included) this process may open. Bun and Node both raise the soft
// limit to the hard one at start, so the soft limit read after that is the real ceiling. Linux
// and Android say it in /proc; elsewhere a typical desktop value is assumed.
import { readdirSync, readFileSync } from "node:fs";

const ASSUMED = 4096;

export function openFileLimit(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    if (soft === undefined) return ASSUMED;
    return soft === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(soft);
  } catch {
    return ASSUMED;
  }
}

/**
 * Files this process has open now, where the platform says (/proc/self/fd on Linux and Android);
 * undefined elsewhere. Costs one directory read: call it a few times a second at most.
 */
export function openFileCount(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

/**
 * Whether open files fill more than half the limit: the cue to close idle connections sooner
 * (platform/serve.ts). Re-read once a second, or after every 32 calls when they come faster (a
 * burst of connections fills the table within a second).
 */
export function descriptorPressure(now: () => number = Date.now): () => boolean {
  const high = Math.floor(openFileLimit() / 2);
  let checkedAt = Number.NEGATIVE_INFINITY;
  let calls = 0;
  let pressed = false;
  return () => {
    const at = now();
    if (at - checkedAt >= 1000 || ++calls >= 32) {
      checkedAt = at;
      calls = 0;
      const open = openFileCount();
      pressed = open !== undefined && open > high;
    }
    return pressed;
  };
}
