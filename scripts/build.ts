// `npm run build`: everything a release holds, under dist/:
//   pocketgate.mjs              the whole server, admin app embedded; Node >= 22 or Bun
//   pocketgate-<os>-<arch>      executables from `bun build --compile` (admin app embedded)
//   pocketgate-termux.tar.gz    pocketgate.mjs with android/install.sh and uninstall.sh
//   SHA256SUMS                  and a table of sizes on stdout
// POCKETGATE_TARGETS=linux-x64,linux-arm64 builds only those executables.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BUNDLE, buildLabel, bundle, defineBuild } from "./bundle.ts";

const root = resolve(import.meta.dir, "..");
const dist = resolve(root, "dist");

/** Executable name suffix → Bun's compile target. */
const targets: Record<string, string> = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "darwin-arm64": "bun-darwin-arm64",
  "darwin-x64": "bun-darwin-x64",
  "windows-x64": "bun-windows-x64",
  // Experimental: Bun's Android target is young; Termux users get pocketgate.mjs instead.
  "linux-arm64-android": "bun-linux-arm64-android",
};

const wanted = (process.env.POCKETGATE_TARGETS ?? Object.keys(targets).join(",")).split(",").filter(Boolean);
for (const name of wanted) {
  if (!(name in targets)) {
    console.error(`build: unknown target "${name}"; known: ${Object.keys(targets).join(", ")}`);
    process.exit(2);
  }
}

function run(command: string[]): string {
  const result = Bun.spawnSync(command, { cwd: root, stdout: "pipe", stderr: "inherit" });
  if (result.exitCode !== 0) {
    console.error(`build: ${command.join(" ")} failed`);
    process.exit(result.exitCode ?? 1);
  }
  return result.stdout.toString().trim();
}

const build = buildLabel();
const define = defineBuild(build);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// The bundle: Node's module format; it also runs on Bun (the runtime is detected at start).
bundle(build, BUNDLE);

for (const name of wanted) {
  const file = `pocketgate-${name}${name.startsWith("windows") ? ".exe" : ""}`;
  run([
    process.execPath,
    "build",
    "--compile",
    "--minify",
    `--target=${targets[name]}`,
    ...define,
    "server/main.ts",
    "--outfile",
    join(dist, file),
  ]);
}

// The Termux package: one folder, installable offline (android/install.sh reads it).
const stage = join(dist, "pocketgate-termux");
mkdirSync(stage);
copyFileSync(join(dist, "pocketgate.mjs"), join(stage, "pocketgate.mjs"));
for (const script of ["install.sh", "uninstall.sh"]) copyFileSync(join(root, "android", script), join(stage, script));
writeFileSync(join(stage, "VERSION"), `${build}\n`);
run(["tar", "-czf", join(dist, "pocketgate-termux.tar.gz"), "-C", dist, "pocketgate-termux"]);
rmSync(stage, { recursive: true });

const files = readdirSync(dist)
  .filter((f) => f !== "SHA256SUMS")
  .sort();
const sums = files.map(
  (f) =>
    `${createHash("sha256")
      .update(readFileSync(join(dist, f)))
      .digest("hex")}  ${f}`,
);
writeFileSync(join(dist, "SHA256SUMS"), `${sums.join("\n")}\n`);

const width = Math.max(...files.map((f) => f.length));
console.log(`\npocketgate ${build}\n`);
for (const f of files) {
  const size = statSync(join(dist, f)).size;
  const shown = size > 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MiB` : `${(size / 1024).toFixed(1)} KiB`;
  console.log(
    `  ${f.padEnd(width)}  ${shown.padStart(10)}${f.includes("android") && !f.includes("termux") ? "  (experimental)" : ""}`,
  );
}
console.log(`\nSHA256SUMS written to ${join(dist, "SHA256SUMS")}`);
