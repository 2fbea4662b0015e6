// What `pocketgate service` does to the machine: find commands, write and remove its files, run
// the service manager, start a background copy. The plans themselves are pure (server/service/).
import { spawn, spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";

/** The command that runs this very pocketgate: [runtime, script], or [executable] when compiled. */
export function selfCommand(): string[] {
  const script = process.argv[1];
  // `bun build --compile` executables report their embedded entry under /$bunfs (B:/~BUN on Windows).
  if (!script || script.startsWith("/$bunfs/") || script.includes("~BUN")) return [process.execPath];
  let resolved = script;
  try {
    // npm's bin is a symlink into lib/node_modules: the service runs the file, not the link.
    resolved = realpathSync(script);
  } catch {}
  return [process.execPath, resolved];
}

export const userId = (): number => process.getuid?.() ?? 0;

/** The full path of `command` on PATH, or undefined. */
export function which(command: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(":")) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Writes in one step (a temp file beside it, then rename), with `mode` whatever the umask. */
export function writeServiceFile(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.new`;
  writeFileSync(temp, content);
  chmodSync(temp, mode);
  renameSync(temp, path);
}

export function makeDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

export function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

export function removeDirIfEmpty(path: string): void {
  try {
    rmdirSync(path);
  } catch {}
}

export interface StepResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a command to its end, its output collected. */
export function runCommand(argv: readonly string[], env: Readonly<Record<string, string>> = {}): StepResult {
  const [command = "", ...args] = argv;
  const result = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  if (result.error) return { code: 127, output: result.error.message };
  return { code: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** Runs a command with this terminal as its input and output (`logs --follow`); resolves with its exit code. */
export function runAttached(argv: readonly string[]): Promise<number> {
  const [command = "", ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("error", () => resolve(127));
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** Starts `argv` detached from this process, output appended to `logFile`; its pid goes to `pidFile`. */
export function startDetached(argv: readonly string[], logFile: string, pidFile: string): number | undefined {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const out = openSync(logFile, "a");
  const [command = "", ...args] = argv;
  const child = spawn(command, args, { detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  child.unref();
  if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/** Stops the process in `pidFile` if it still runs `script` (a reused pid is left alone). */
export function stopDetached(pidFile: string, script: string): boolean {
  let stopped = false;
  try {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (pid > 0 && cmdline.includes(script)) {
      process.kill(pid, "SIGTERM");
      stopped = true;
    }
  } catch {}
  rmSync(pidFile, { force: true });
  return stopped;
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
