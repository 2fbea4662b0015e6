#!/usr/bin/env node
// The npm package's `pocketgate` command (copied to dist/cli.mjs by scripts/bundle.ts): it turns
// on Node's compile cache, so starts after the first reuse the compiled code of the 1.5 MB bundle
// instead of compiling it again (about a tenth of the start here, more on a phone), then runs the
// bundle. The cache is this user's own folder: code in it runs as pocketgate.
// https://nodejs.org/api/module.html#moduleenablecompilecachedirectory
import { mkdirSync } from "node:fs";
import module from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

try {
  const xdg = process.env.XDG_CACHE_HOME;
  const dir = join(xdg?.startsWith("/") ? xdg : join(homedir(), ".cache"), "pocketgate", "node-compile-cache");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  module.enableCompileCache?.(dir);
} catch {
  // No cache (a read-only home, an older runtime): the start is only slower.
}
await import("./pocketgate.mjs");
