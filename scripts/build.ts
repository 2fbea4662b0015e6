// `npm run build`: the Node/Bun bundle and an executable for this machine, under dist/.
// (Cross-platform executables, checksums and the Termux package come with the distribution work.)
import { rmSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const dist = resolve(root, "dist");
rmSync(dist, { recursive: true, force: true });

const bundle = await Bun.build({
  entrypoints: [resolve(root, "server/main.ts")],
  target: "node",
  format: "esm",
  outdir: dist,
  naming: "pocketgate.mjs",
  minify: true,
});
if (!bundle.success) {
  for (const log of bundle.logs) console.error(log);
  process.exit(1);
}

const exe = Bun.spawnSync(
  [
    process.execPath,
    "build",
    "--compile",
    "--minify",
    resolve(root, "server/main.ts"),
    "--outfile",
    resolve(dist, "pocketgate"),
  ],
  { cwd: root, stdout: "inherit", stderr: "inherit" },
);
if (exe.exitCode !== 0) process.exit(exe.exitCode ?? 1);

for (const name of ["pocketgate.mjs", "pocketgate"]) {
  const size = Bun.file(resolve(dist, name)).size;
  console.log(`${name.padEnd(16)} ${(size / 1024 / 1024).toFixed(1)} MiB`);
}
