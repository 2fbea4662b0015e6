// A simulated Termux: a temporary $PREFIX ({bin,tmp,var/service,var/log,etc}) and $HOME, `sh`
// where Termux has it, and stub commands that record their calls in $STUB_CALLS:
// - sv: up/restart really start the service's run script (output where svlogd would put it), as
//   runsv would; down stops it; status says which;
// - termux-wake-lock, termux-open-url: record only;
// - pkg: `pkg install nodejs-lts` puts Node 22 (the devDependency) and npm (this machine's npm,
//   run by that Node) in $PREFIX/bin, as Termux's package does; `termux-services` puts sv and
//   the profile script a new Termux session runs (it sets SVDIR).
import { chmodSync, mkdirSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { freePort, ROOT, tempDir } from "./gateway.ts";

export const NODE22_DIR = join(ROOT, "node_modules/node/bin");

/** npm's own script, run by whichever Node the caller picks (this machine's npm is Node-agnostic). */
export function npmCli(): string {
  const npm = Bun.which("npm");
  if (!npm) throw new Error("npm is not on PATH");
  return realpathSync(npm);
}

const svStub = `#!/bin/sh
echo "sv $*" >> "$STUB_CALLS"
cmd=$1; name=$2; pidfile="$STUB_STATE/$name.pid"
[ -x "$SVDIR/$name/run" ] || { echo "fail: $name: unable to change to service directory: file does not exist"; exit 1; }
stop() { [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"; sleep 0.3; }
log="$PREFIX/var/log/sv/$name"
case "$cmd" in
  up|restart) stop; mkdir -p "$log"; nohup "$SVDIR/$name/run" >> "$log/current" 2>&1 & echo $! > "$pidfile" ;;
  down) stop ;;
  status) if [ -f "$pidfile" ]; then echo "run: $name: (pid $(cat "$pidfile")) 1s"; else echo "down: $name: 1s"; fi ;;
esac
`;

const pkgStub = (npm: string) => `#!/bin/sh
echo "pkg $*" >> "$STUB_CALLS"
[ "$1" = install ] || exit 0
shift
for package in "$@"; do
  case "$package" in
    -y) ;;
    nodejs-lts)
      ln -sf "${NODE22_DIR}/node" "$PREFIX/bin/node"
      printf '#!%s/bin/sh\\nexec "%s/bin/node" "${npm}" "$@"\\n' "$PREFIX" "$PREFIX" > "$PREFIX/bin/npm"
      chmod 755 "$PREFIX/bin/npm" ;;
    termux-services)
      cp "$STUB_STATE/sv" "$PREFIX/bin/sv"
      mkdir -p "$PREFIX/etc/profile.d"
      printf 'export SVDIR=%s/var/service\\n' "$PREFIX" > "$PREFIX/etc/profile.d/start-services.sh" ;;
    *) echo "E: Unable to locate package $package" >&2; exit 100 ;;
  esac
done
`;

export interface Termux {
  readonly root: string;
  readonly prefix: string;
  readonly home: string;
  readonly calls: string;
  readonly state: string;
  readonly port: number;
  /** Runs android/<script> with `sh`, as a user would (SVDIR set, as install.sh sets it). */
  run(script: string, args: string[], pathDirs: string[]): { code: number; out: string };
  /**
   * Runs a command line as typed in a new Termux session (the profile scripts sourced first).
   * Asynchronous: the loopback registry and mock upstream it may reach live in the test's process.
   */
  shell(line: string, extraEnv?: Record<string, string>): Promise<{ code: number; out: string }>;
  files(): string[];
}

export interface TermuxOptions {
  /** termux-services already installed (sv present); otherwise `pkg install termux-services` adds it. */
  readonly services: boolean;
  /** POCKETGATE_* settings every command sees (what the user would put in the config). */
  readonly env: Record<string, string>;
}

export async function simulatedTermux(options: TermuxOptions): Promise<Termux> {
  const root = tempDir("pocketgate-termux-");
  const prefix = join(root, "usr");
  const home = join(root, "home");
  const state = join(root, "stub-state");
  for (const dir of ["bin", "tmp", "var/service", "var/log", "etc"]) mkdirSync(join(prefix, dir), { recursive: true });
  mkdirSync(home);
  mkdirSync(state);
  symlinkSync("/bin/sh", join(prefix, "bin/sh"));
  const stub = (dir: string, name: string, body: string) => {
    writeFileSync(join(dir, name), body);
    chmodSync(join(dir, name), 0o755);
  };
  stub(state, "sv", svStub);
  if (options.services) stub(join(prefix, "bin"), "sv", svStub);
  stub(join(prefix, "bin"), "termux-wake-lock", `#!/bin/sh\necho "termux-wake-lock $*" >> "$STUB_CALLS"\n`);
  stub(join(prefix, "bin"), "termux-open-url", `#!/bin/sh\necho "termux-open-url $*" >> "$STUB_CALLS"\n`);
  stub(join(prefix, "bin"), "pkg", pkgStub(npmCli()));
  const calls = join(state, "calls");
  writeFileSync(calls, "");
  const port = await freePort();
  const files = (dir = root): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (path === state) return [];
      return statSync(path, { throwIfNoEntry: false })?.isDirectory() ? files(path) : [relative(root, path)];
    });
  const env = (pathDirs: string[], extra: Record<string, string> = {}) => ({
    PREFIX: prefix,
    HOME: home,
    TMPDIR: join(prefix, "tmp"),
    TERMUX_VERSION: "0.118.3",
    PATH: [join(prefix, "bin"), ...pathDirs, "/usr/bin", "/bin"].join(":"),
    STUB_CALLS: calls,
    STUB_STATE: state,
    POCKETGATE_PORT: String(port),
    ...options.env,
    ...extra,
  });
  const spawn = (argv: string[], environment: Record<string, string>) => {
    const result = Bun.spawnSync(argv, { cwd: home, env: environment, stdout: "pipe", stderr: "pipe" });
    return { code: result.exitCode ?? -1, out: result.stdout.toString() + result.stderr.toString() };
  };
  return {
    root,
    prefix,
    home,
    calls,
    state,
    port,
    files: () => files().sort(),
    run: (script, args, pathDirs) => spawn(["sh", join(ROOT, "android", script), ...args], env(pathDirs)),
    async shell(line, extraEnv) {
      const argv = ["sh", "-c", `for f in "$PREFIX"/etc/profile.d/*.sh; do [ -f "$f" ] && . "$f"; done\n${line}`];
      const child = Bun.spawn(argv, { cwd: home, env: env([], extraEnv), stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
        child.exited,
      ]);
      return { code, out: out + err };
    },
  };
}
