// Failed admin logins, throttled per client address (issue 11, defect 5). Each attempt is counted
// before the password hash is checked, so a burst of parallel guesses reaches the hash at most
// FREE_FAILURES times; past that each next try waits longer, up to 5 minutes. Addresses are
// grouped the way one attacker holds them (all of IPv4 loopback, an IPv6 /64), and a group's
// failures never block another group, so the owner's correct login from elsewhere still works.
// The hash itself (scrypt, ~50 ms of CPU) runs at most HASHES_AT_ONCE at a time for everyone.
import { GatewayError } from "../errors.ts";

const FREE_FAILURES = 5;
const MAX_WAIT_MS = 300_000;
const HASHES_AT_ONCE = 2;
const HASHES_QUEUED = 32;
/** Groups kept; the quietest are forgotten first when more arrive. */
const MAX_GROUPS = 10_000;

interface Group {
  failures: number;
  pending: number;
  blockedUntil: number;
}

/** The address group a client belongs to for throttling. Pure. */
export function addressGroup(address: string | undefined): string {
  if (!address) return "unknown";
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) return v4[1] === "127" ? "127.0.0.0/8" : v4.slice(1).join(".");
  if (address === "::1") return "::1";
  // The first four groups of an IPv6 address: its /64, what one host or home network is given.
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const headParts = head === "" ? [] : head.split(":");
  const tailParts = tail === "" ? [] : tail.split(":");
  const parts = [...headParts, ...Array(Math.max(0, 8 - headParts.length - tailParts.length)).fill("0"), ...tailParts];
  return `${parts.slice(0, 4).join(":")}::/64`;
}

export function createLoginThrottle(now: () => number) {
  const groups = new Map<string, Group>();
  let hashing = 0;
  const queue: (() => void)[] = [];

  const groupOf = (key: string): Group => {
    let group = groups.get(key);
    if (!group) {
      if (groups.size >= MAX_GROUPS) {
        for (const [k, g] of groups) {
          if (g.pending === 0 && g.blockedUntil < now()) groups.delete(k);
          if (groups.size < MAX_GROUPS / 2) break;
        }
      }
      group = { failures: 0, pending: 0, blockedUntil: 0 };
      groups.set(key, group);
    }
    return group;
  };

  const refuse = (waitMs: number) =>
    new GatewayError(
      429,
      "rate_limit_error",
      `too many failed logins from this address; try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s`,
      { retryAfter: Math.max(1, waitMs / 1000) },
    );

  /** Throws 429 when this group may not try now (nothing is counted). */
  function check(key: string): void {
    const group = groups.get(key);
    if (!group) return;
    const wait = group.blockedUntil - now();
    if (wait > 0) throw refuse(wait);
    // The free tries are shared by attempts still being checked; past them, one at a time.
    const allowed = group.failures < FREE_FAILURES ? FREE_FAILURES - group.failures : 1;
    if (group.pending >= allowed) throw refuse(1000);
  }

  async function hashSlot<T>(work: () => Promise<T>): Promise<T> {
    if (hashing >= HASHES_AT_ONCE) {
      if (queue.length >= HASHES_QUEUED) {
        throw new GatewayError(429, "rate_limit_error", "too many logins at once; try again in a moment", {
          retryAfter: 1,
        });
      }
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    hashing++;
    try {
      return await work();
    } finally {
      hashing--;
      queue.shift()?.();
    }
  }

  return {
    check,
    /** Runs `verify` if this group may try now; counts a failure, clears the group on success. */
    async attempt(key: string, verify: () => Promise<boolean>): Promise<boolean> {
      check(key);
      const group = groupOf(key);
      group.pending++;
      let ok = false;
      try {
        ok = await hashSlot(verify);
      } finally {
        group.pending--;
      }
      if (ok) {
        groups.delete(key);
        return true;
      }
      group.failures++;
      if (group.failures >= FREE_FAILURES) {
        group.blockedUntil = now() + Math.min(MAX_WAIT_MS, 1000 * 2 ** (group.failures - FREE_FAILURES));
      }
      return false;
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
