// Value parsers for config keys. Each takes what TOML or an env string gave and returns the
// typed value, or a ParseFailure whose `expected` text is shown to the user.

export interface ParseFailure {
  readonly expected: string;
}

export type Parser<T> = (raw: unknown) => T | ParseFailure;

export const isFailure = (value: unknown): value is ParseFailure =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "expected" in value;

const fail = (expected: string): ParseFailure => ({ expected });

export const text: Parser<string> = (raw) => (typeof raw === "string" ? raw.trim() : fail("a string"));

export const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = typeof raw === "string" && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max
      ? n
      : fail(`an integer from ${min} to ${max}`);
  };

const durationUnits: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, ms: 0.001 };

/** "600", "90s", "10m", "1h30m", "1.5s", "500ms" → seconds; undefined when it is none of those. */
function durationOf(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  // One token at a time (a sticky regex, no nested repetition to backtrack through).
  const token = /(\d+(?:\.\d+)?)\s*(ms|h|m|s)?\s*/y;
  const parts: [number, string | undefined][] = [];
  while (token.lastIndex < t.length) {
    const m = token.exec(t);
    if (!m) return undefined;
    parts.push([Number(m[1]), m[2]]);
  }
  // A bare number is seconds, and only on its own ("1h30" is not a duration).
  if (parts.length === 0 || (parts.length > 1 && parts.some(([, unit]) => unit === undefined))) return undefined;
  return parts.reduce((sum, [n, unit]) => sum + n * (durationUnits[unit ?? ""] ?? Number.NaN), 0);
}

/**
 * A duration in seconds: a number, or text as the README writes it ("600", "90s", "10m", "1h30m");
 * fractions allowed unless `integer` (tests use sub-second timeouts).
 */
export const duration =
  (max: number, integer = false): Parser<number> =>
  (raw) => {
    const n = typeof raw === "string" ? durationOf(raw) : raw;
    const ok = typeof n === "number" && Number.isFinite(n) && n > 0 && n <= max && (!integer || Number.isInteger(n));
    return ok
      ? n
      : fail(
          `a number of seconds or a duration such as "90s", "10m" or "1h"${integer ? " (whole seconds)" : ""}, greater than 0 and at most ${max} s`,
        );
  };

export const seconds: Parser<number> = duration(86_400);

/** A duration as above, or 0 for "worked out by pocketgate". */
export const durationOrZero =
  (max: number): Parser<number> =>
  (raw) =>
    (typeof raw === "string" ? durationOf(raw) : raw) === 0 ? 0 : duration(max)(raw);

/** One of a few words. */
export const choice =
  <T extends string>(...words: readonly T[]): Parser<T> =>
  (raw) => {
    const v = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
    return words.includes(v as T) ? (v as T) : fail(words.map((w) => `"${w}"`).join(" or "));
  };

/** US dollars: a number from 0 to 1,000,000 ("0.50" or 0.5; a leading "$" is allowed). */
export const dollars: Parser<number> = (raw) => {
  const n = typeof raw === "string" && /^\s*\$?\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw.replace("$", "")) : raw;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= 1_000_000
    ? n
    : fail("an amount in US dollars such as 0.50, from 0 to 1000000");
};

export const boolean: Parser<boolean> = (raw) => {
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "string") {
    const v = raw.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(v)) return true;
    if (["0", "false", "no", "off"].includes(v)) return false;
  }
  return fail("true or false");
};

const sizeUnits: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1 << 20,
  mb: 1 << 20,
  mib: 1 << 20,
};

/** A byte count: 33554432, "32MiB", "512 KiB". */
export const bytes: Parser<number> = (raw) => {
  const expected = fail('a size in bytes such as 33554432 or "32MiB" (at least 1 KiB, at most 1 GiB)');
  let n: number | undefined;
  if (typeof raw === "number") n = raw;
  else if (typeof raw === "string") {
    const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(raw);
    const unit = m ? sizeUnits[(m[2] ?? "").toLowerCase()] : undefined;
    if (m && unit !== undefined) n = Number(m[1]) * unit;
  }
  return n !== undefined && Number.isInteger(n) && n >= 1024 && n <= 1 << 30 ? n : expected;
};

export const httpUrl =
  (allowEmpty: boolean): Parser<string> =>
  (raw) => {
    const expected = fail(`an http:// or https:// URL${allowEmpty ? ', or "" for none' : ""}`);
    if (typeof raw !== "string") return expected;
    const v = raw.trim();
    if (v === "" && allowEmpty) return "";
    try {
      const url = new URL(v);
      if (url.protocol !== "http:" && url.protocol !== "https:") return expected;
      return v.replace(/\/+$/, "");
    } catch {
      return expected;
    }
  };

/** A URL with one of `schemes` (redis://, postgres://), or "" for none; a password in it stays secret. */
export const serviceUrl =
  (schemes: readonly string[], what: string): Parser<string> =>
  (raw) => {
    const expected = fail(`a ${schemes.map((s) => `${s}//`).join(" or ")} URL (${what}), or "" for none`);
    if (typeof raw !== "string") return expected;
    const v = raw.trim();
    if (v === "") return "";
    try {
      return schemes.includes(new URL(v).protocol) ? v : expected;
    } catch {
      return expected;
    }
  };

/** A list of strings: a TOML array, or a comma-separated env string. */
export const stringList: Parser<readonly string[]> = (raw) => {
  const items = typeof raw === "string" ? raw.split(",") : raw;
  if (!Array.isArray(items) || !items.every((x) => typeof x === "string")) {
    return fail("a list of strings (in TOML an array, in the environment comma-separated)");
  }
  return items.map((x) => x.trim()).filter((x) => x !== "");
};
