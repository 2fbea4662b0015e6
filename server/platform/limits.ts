// How many files (sockets included) this process may open. Bun and Node both raise the soft
// limit to the hard one at start, so the soft limit read after that is the real ceiling. Linux
// and Android say it in /proc; elsewhere a typical desktop value is assumed.
import { readFileSync } from "node:fs";

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
