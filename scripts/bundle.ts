// dist/pocketgate.mjs: the whole server as one file for Node >= 22 (and Bun), admin app inside.
// It can be run directly, so it starts with a `#!/usr/bin/env node` line, added after bundling:
// a shebang in server/main.ts makes Bun's bundler include the modules it imports twice (see
// there). Run directly, as the npm `prepack` step, it also writes dist/cli.mjs, the package's
// `bin`, which runs the bundle with Node's compile cache on (scripts/cli-launcher.mjs); build.ts
// imports it for the release, which has no use for the launcher.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };

const root = resolve(import.meta.dir, "..");
export const BUNDLE = join(root, "dist", "pocketgate.mjs");

/** "0.1.0+1a2b3c4 2026-11-24": the version, commit and day a release artifact was built. */
export function buildLabel(): string {
  const commit = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: root, stderr: "ignore" })
    .stdout.toString()
    .trim();
  return `${pkg.version}${commit ? `+${commit}` : ""} ${new Date().toISOString().slice(0, 10)}`;
}

export function defineBuild(label: string): string[] {
  return ["--define", `__POCKETGATE_BUILD__=${JSON.stringify(label)}`];
}

/** Builds the bundle; with `launcher`, dist/cli.mjs beside it too (the npm package needs it, a release does not). */
export function bundle(label: string, outfile = BUNDLE, launcher = false): void {
  mkdirSync(dirname(outfile), { recursive: true });
  const result = Bun.spawnSync(
    [
      process.execPath,
      "build",
      "--target=node",
      "--format=esm",
      "--minify",
      ...defineBuild(label),
      "server/main.ts",
      "--outfile",
      outfile,
    ],
    { cwd: root, stdout: "ignore", stderr: "inherit" },
  );
  if (result.exitCode !== 0) throw new Error(`bun build server/main.ts failed (exit ${result.exitCode})`);
  const code = readFileSync(outfile, "utf8");
  writeFileSync(outfile, code.startsWith("#!") ? code : `#!/usr/bin/env node\n${code}`);
  chmodSync(outfile, 0o755);
  if (!launcher) return;
  const cli = join(dirname(outfile), "cli.mjs");
  copyFileSync(join(root, "scripts/cli-launcher.mjs"), cli);
  chmodSync(cli, 0o755);
}

if (import.meta.main) {
  try {
    bundle(buildLabel(), BUNDLE, true);
    console.log(`bundle: ${BUNDLE}`);
  } catch (error) {
    console.error(`bundle: ${(error as Error).message}`);
    process.exit(1);
  }
}
