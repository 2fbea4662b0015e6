// android/install.sh and uninstall.sh in a simulated Termux: a temporary PREFIX and HOME, `sh`
// where Termux has it, and stub `sv` and `termux-wake-lock` commands that record their calls
// (the stub `sv` really starts and stops the service's run script, as runsv would).
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { ROOT, tempDir } from "../harness/gateway.ts";
import { MOCK_REPLY_TEXT, startMockUpstream } from "../harness/mock-upstream.ts";

const TARBALL = join(ROOT, "dist/pocketgate-termux.tar.gz");
const mock = startMockUpstream();
afterAll(() => mock.close());

const svStub = `#!/bin/sh
# Stub sv: records the call; up/restart start the service's run script (its output where svlogd
# would put it), down stops it, status says which.
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

interface Termux {
  readonly prefix: string;
  readonly home: string;
  readonly calls: string;
  readonly state: string;
  readonly port: number;
  run(script: string, args: string[], pathDirs: string[]): { code: number; out: string };
  files(): string[];
}

async function freePort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

/** A Termux-like layout: $PREFIX/{bin,tmp,var/service,etc}, an empty $HOME, stubs in $PREFIX/bin. */
async function termux(): Promise<Termux> {
  const root = tempDir("pocketgate-termux-");
  const prefix = join(root, "usr");
  const home = join(root, "home");
  const state = join(root, "stub-state");
  for (const dir of ["bin", "tmp", "var/service", "var/log", "etc"]) mkdirSync(join(prefix, dir), { recursive: true });
  mkdirSync(home);
  mkdirSync(state);
  symlinkSync("/bin/sh", join(prefix, "bin/sh"));
  const stub = (name: string, body: string) => {
    writeFileSync(join(prefix, "bin", name), body);
    chmodSync(join(prefix, "bin", name), 0o755);
  };
  stub("sv", svStub);
  stub("termux-wake-lock", `#!/bin/sh\necho "termux-wake-lock $*" >> "$STUB_CALLS"\n`);
  const calls = join(state, "calls");
  writeFileSync(calls, "");
  const port = await freePort();
  const files = (dir = root): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (path === state) return [];
      return statSync(path, { throwIfNoEntry: false })?.isDirectory() ? files(path) : [relative(root, path)];
    });
  return {
    prefix,
    home,
    calls,
    state,
    port,
    files: () => files().sort(),
    run(script, args, pathDirs) {
      const result = Bun.spawnSync(["sh", join(ROOT, "android", script), ...args], {
        cwd: home,
        env: {
          PREFIX: prefix,
          HOME: home,
          PATH: [join(prefix, "bin"), ...pathDirs, "/usr/bin", "/bin"].join(":"),
          STUB_CALLS: calls,
          STUB_STATE: state,
          // What the phone's user would have in the config; here through the environment.
          POCKETGATE_PORT: String(port),
          POCKETGATE_UPSTREAM_BASE_URL: mock.url,
          POCKETGATE_UPSTREAM_KEYS: "sk-ant-api03-termux-test-key",
        },
        stdout: "pipe",
        stderr: "pipe",
      });
      return { code: result.exitCode ?? -1, out: result.stdout.toString() + result.stderr.toString() };
    },
  };
}

const health = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status;
  } catch {
    return 0;
  }
};

/** The folder that holds Node 22 (the devDependency), or one with only Bun in it. */
const node22Dir = join(ROOT, "node_modules/node/bin");
function bunOnlyDir(): string {
  const dir = tempDir("pocketgate-bun-only-");
  symlinkSync(process.execPath, join(dir, "bun"));
  return dir;
}

describe("android/install.sh in a simulated Termux", () => {
  test(
    "installs from the tarball with Node 22, starts, survives a second run; uninstall leaves only the data",
    async () => {
      const t = await termux();
      const before = t.files();

      const first = t.run("install.sh", [TARBALL], [node22Dir]);
      expect(first.code).toBe(0);
      expect(first.out).toContain("These secrets are shown only now.");
      const clientKey = /Client key:\s+(\S+)/.exec(first.out)?.[1] ?? "";
      expect(clientKey).toMatch(/^pg-/);
      expect(first.out).toContain("is installed as a termux-services service (node 22.");
      expect(first.out).toContain(`It is running: http://127.0.0.1:${t.port}/health answers.`);
      expect(await health(t.port)).toBe(200);

      const launcher = readFileSync(join(t.prefix, "bin/pocketgate"), "utf8");
      expect(launcher.startsWith(`#!${t.prefix}/bin/sh\n`)).toBe(true);
      expect(launcher).toContain(`exec "${join(node22Dir, "node")}" "${t.prefix}/share/pocketgate/pocketgate.mjs"`);
      // The service runs the runtime and the installed bundle directly (the same as the launcher).
      expect(readFileSync(join(t.prefix, "var/service/pocketgate/run"), "utf8")).toContain(
        `exec ${join(node22Dir, "node")} ${t.prefix}/share/pocketgate/pocketgate.mjs\n`,
      );
      expect(readFileSync(join(t.prefix, "var/service/pocketgate/log/run"), "utf8")).toContain("svlogd");
      const boot = readFileSync(join(t.home, ".termux/boot/pocketgate"), "utf8");
      expect(boot).toContain("termux-wake-lock");
      expect(boot).toContain("sv up pocketgate");
      expect(readFileSync(join(t.home, ".shortcuts/tasks/pocketgate"), "utf8")).toContain("termux-open-url");
      expect(readFileSync(t.calls, "utf8")).toBe("termux-wake-lock \nsv restart pocketgate\n");

      // The installed service proxies: the key printed by install works from the SDK.
      const anthropic = new Anthropic({ baseURL: `http://127.0.0.1:${t.port}`, apiKey: clientKey, maxRetries: 0 });
      const reply = await anthropic.messages.create({
        model: "claude-sonnet-4-6",
        max_tokens: 16,
        messages: [{ role: "user", content: "hi from termux" }],
      });
      expect(reply.content[0]).toMatchObject({ text: MOCK_REPLY_TEXT });

      // Again, from the unpacked release folder: an upgrade in place, no new secrets.
      const folder = tempDir("pocketgate-release-");
      Bun.spawnSync(["tar", "-xzf", TARBALL, "-C", folder]);
      const second = t.run("install.sh", [join(folder, "pocketgate-termux")], [node22Dir]);
      expect(second.code).toBe(0);
      expect(second.out).not.toContain("Client key");
      expect(second.out).toContain("It is running");
      expect(readFileSync(t.calls, "utf8")).toBe(
        "termux-wake-lock \nsv restart pocketgate\ntermux-wake-lock \nsv restart pocketgate\n",
      );
      expect(await health(t.port)).toBe(200);
      expect(readFileSync(join(t.home, ".config/pocketgate/pocketgate.toml"), "utf8")).toContain(clientKey);

      const removed = t.run("uninstall.sh", [], [node22Dir]);
      expect(removed.code).toBe(0);
      expect(removed.out).toContain("Your data is kept in");
      expect(readFileSync(t.calls, "utf8")).toEndWith("sv down pocketgate\n");
      expect(await health(t.port)).toBe(0);
      const left = t.files().filter((f) => !before.includes(f));
      expect(left.every((f) => f.startsWith("home/.config/pocketgate/"))).toBe(true);
      expect(left).toContain("home/.config/pocketgate/pocketgate.toml");
      expect(left).toContain("home/.config/pocketgate/pocketgate.db");

      const purged = t.run("uninstall.sh", ["--purge"], [node22Dir]);
      expect(purged.code).toBe(0);
      expect(t.files()).toEqual(before);
    },
    90_000,
  );

  test(
    "with only Bun (and an old Node) it picks Bun",
    async () => {
      const t = await termux();
      // /usr/bin has this machine's Node 20, too old: Bun is chosen.
      const result = t.run("install.sh", [TARBALL], [bunOnlyDir()]);
      expect(result.code).toBe(0);
      expect(readFileSync(join(t.prefix, "bin/pocketgate"), "utf8")).toContain(`/bun" "${t.prefix}/share/pocketgate`);
      expect(result.out).toContain("It is running");
      expect(await health(t.port)).toBe(200);
      expect(t.run("uninstall.sh", ["--purge"], []).code).toBe(0);
      expect(await health(t.port)).toBe(0);
    },
    60_000,
  );

  test("without Node 22 or Bun it says what to install, and changes nothing", async () => {
    const t = await termux();
    const before = t.files();
    const result = t.run("install.sh", [TARBALL], []);
    expect(result.code).toBe(1);
    expect(result.out).toContain("pkg install nodejs-lts");
    expect(t.files()).toEqual(before);
  });

  test("the scripts assume no path Android lacks", () => {
    for (const script of ["install.sh", "uninstall.sh"]) {
      const text = readFileSync(join(ROOT, "android", script), "utf8");
      // Absolute paths only: $PREFIX/tmp is Termux's own and fine.
      expect(text).not.toMatch(/(^|[\s"'=(:])(\/tmp|\/etc|\/usr\/bin|\/var\/run)\b/m);
    }
  });
});
