// Which runtime we are on, and the process-level facts core code must not read itself.
import { homedir } from "node:os";
import process from "node:process";

export const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

export const runtimeName = isBun ? "bun" : "node";

/**
 * Whether large JSON is best parsed and written in pieces (protocol/json-pieces.ts): V8 (Node)
 * takes ~1 ms to make one string of 400 KB, from bytes or from JSON.stringify, the pieces a
 * fraction of that; JavaScriptCore (Bun) makes it in ~0.05 ms and parses it whole a little faster
 * than in pieces (issue 18's measurements).
 */
export const largeJsonInPieces = !isBun;

export const runtimeVersion = isBun ? (process.versions as Record<string, string>).bun : process.versions.node;

export const env = process.env as Readonly<Record<string, string | undefined>>;

export const argv = process.argv.slice(2);

export const home = (): string => homedir();

export const platformName = process.platform;

/** Files and folders pocketgate creates (config, database, its journal) are for this user only. */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

export function write(text: string): void {
  process.stdout.write(text);
}

export function writeError(text: string): void {
  process.stderr.write(text);
}

export function exit(code: number): never {
  process.exit(code);
}

/** Run `handler` once on SIGINT or SIGTERM. */
export function onShutdown(handler: () => void | Promise<void>): void {
  let called = false;
  const run = async () => {
    if (called) return;
    called = true;
    await handler();
    process.exit(0);
  };
  process.once("SIGINT", run);
  process.once("SIGTERM", run);
}
