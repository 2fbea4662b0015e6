// `pocketgate service` for systemd and launchd (issue 14): --dry-run prints the unit or agent and
// writes nothing; install with the manager's command on PATH (a stub that records its calls and,
// like the real one, starts what the file says) writes the file, starts a gateway that answers,
// and uninstall takes it all away. Termux's kind is covered in test/dist (simulated Termux).
import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, gatewayCommand, healthStatus, runCli, runtime, tempDir } from "../harness/gateway.ts";

/** The command the service runs: this gateway's, as the process sees itself (links resolved). */
const selfCommand = () => gatewayCommand().map((part) => realpathSync(part));

const everything = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];

/** systemctl/launchctl stubs: record each call; start the command the unit or plist names; stop it. */
function stubs(dir: string, calls: string, pidFile: string) {
  mkdirSync(dir, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${calls}\n${body}`);
    chmodSync(join(dir, name), 0o755);
  };
  const stop = `[ -f ${pidFile} ] && kill "$(cat ${pidFile})" 2>/dev/null; rm -f ${pidFile}`;
  stub(
    "systemctl",
    `unit="\${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/pocketgate.service"
case "$2" in
  restart) ${stop}; eval "set -- $(sed -n 's/^ExecStart=//p' "$unit")"; nohup "$@" >/dev/null 2>&1 & echo $! > ${pidFile} ;;
  disable) ${stop} ;;
esac
`,
  );
  stub(
    "launchctl",
    `case "$1" in
  bootstrap) ${stop}; plist=$3; set --; for word in $(sed -n '/<array>/,/<\\/array>/s/.*<string>\\(.*\\)<\\/string>.*/\\1/p' "$plist"); do set -- "$@" "$word"; done
    nohup "$@" >/dev/null 2>&1 & echo $! > ${pidFile} ;;
  bootout) ${stop} ;;
esac
`,
  );
}

describe(`pocketgate service on ${runtime}`, () => {
  test("systemd --dry-run prints the user unit that runs this pocketgate with the flags given, and writes nothing", async () => {
    const home = tempDir("pocketgate-home-");
    const dataDir = join(tempDir(), "data with space");
    const result = await runCli(
      ["service", "install", "--dry-run", "--kind", "systemd", "--port", "9191", "--data-dir", dataDir],
      {
        HOME: home,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- ${home}/.config/systemd/user/pocketgate.service\n`);
    const words = [...selfCommand(), "--port", "9191", "--data-dir", dataDir].map((w) => `"${w}"`).join(" ");
    expect(result.stdout).toContain(`\nExecStart=${words}\n`);
    expect(result.stdout).toContain("\nRestart=on-failure\n");
    expect(result.stdout).toContain("\nWantedBy=default.target\n");
    expect(result.stdout).toContain("systemctl --user enable pocketgate.service");
    expect(everything(home).filter((f) => !f.includes("/.bun/"))).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  test("launchd --dry-run prints the agent, its arguments XML-escaped, and writes nothing", async () => {
    const home = tempDir("pocketgate-home-");
    const dataDir = join(tempDir(), "R&D <data>");
    const result = await runCli(["service", "install", "--dry-run", "--kind", "launchd", "--data-dir", dataDir], {
      HOME: home,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- ${home}/Library/LaunchAgents/local.pocketgate.plist\n`);
    expect(result.stdout).toContain("<string>local.pocketgate</string>");
    const escaped = dataDir.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    const args = [...selfCommand(), "--data-dir", escaped].map((w) => `    <string>${w}</string>`).join("\n");
    expect(result.stdout).toContain(`<array>\n${args}\n  </array>`);
    expect(result.stdout).toContain(`<string>${home}/Library/Logs/pocketgate.log</string>`);
    expect(result.stdout).toContain(
      `launchctl bootstrap gui/${process.getuid?.()} ${home}/Library/LaunchAgents/local.pocketgate.plist`,
    );
    expect(everything(home).filter((f) => !f.includes("/.bun/"))).toEqual([]);
  });

  for (const kind of ["systemd", "launchd"] as const) {
    test(`${kind}: install writes the file, makes the secrets, starts it; status; uninstall removes it, data stays`, async () => {
      const home = tempDir("pocketgate-home-");
      const state = tempDir("pocketgate-stub-");
      const calls = join(state, "calls");
      writeFileSync(calls, "");
      stubs(join(state, "bin"), calls, join(state, "pid"));
      const port = await freePort();
      const env = { HOME: home, PATH: `${join(state, "bin")}:${process.env.PATH}` };
      const file =
        kind === "systemd"
          ? join(home, ".config/systemd/user/pocketgate.service")
          : join(home, "Library/LaunchAgents/local.pocketgate.plist");

      const install = await runCli(["service", "install", "--kind", kind, "--port", String(port)], env, 40_000);
      expect({ code: install.code, out: install.stdout + install.stderr }).toMatchObject({ code: 0 });
      expect(install.stdout).toContain(`--- ${file}\n`);
      expect(install.stdout).toContain(`It is running: http://127.0.0.1:${port}/health answers.`);
      expect(install.stdout.trimEnd()).toMatch(/Admin password:\s+\S+$/);
      expect(readFileSync(file, "utf8")).toContain(
        kind === "systemd" ? `"--port" "${port}"` : `<string>${port}</string>`,
      );
      expect(await healthStatus(port)).toBe(200);
      expect(readFileSync(calls, "utf8")).toBe(
        kind === "systemd"
          ? "systemctl --user daemon-reload\nsystemctl --user enable pocketgate.service\nsystemctl --user restart pocketgate.service\n"
          : `launchctl bootout gui/${process.getuid?.()}/local.pocketgate\nlaunchctl bootstrap gui/${process.getuid?.()} ${file}\n`,
      );

      const status = await runCli(["service", "status", "--kind", kind, "--port", String(port)], env);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`Installed as`);
      expect(status.stdout).toContain(`Running: http://127.0.0.1:${port}/health answers`);

      // Again: an upgrade in place, no new secrets.
      const again = await runCli(["service", "install", "--kind", kind, "--port", String(port)], env, 40_000);
      expect(again.code).toBe(0);
      expect(again.stdout).not.toContain("Admin password");

      const removed = await runCli(["service", "uninstall", "--kind", kind], env);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toContain(`pocketgate's service is removed:\n  ${file}\n`);
      expect(existsSync(file)).toBe(false);
      expect(await healthStatus(port)).toBe(0);
      expect(existsSync(join(home, ".config/pocketgate/pocketgate.toml"))).toBe(true);
      const after = await runCli(["service", "status", "--kind", kind, "--port", String(port)], env);
      expect(after.code).toBe(3);
      expect(after.stdout).toContain("Not installed");
    }, 90_000);
  }

  test("without the service manager it says what is missing and writes nothing", async () => {
    const home = tempDir("pocketgate-home-");
    const bin = tempDir("pocketgate-bin-");
    // No `sv` on this PATH (the runtime is started by its full path).
    const result = await runCli(["service", "install", "--kind", "termux"], {
      HOME: home,
      PREFIX: join(home, "usr"),
      PATH: `${bin}:/usr/bin:/bin`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("termux-services is not installed");
    expect(result.stderr).toContain("pkg install termux-services");
    expect(everything(home).filter((f) => !f.includes("/.bun/"))).toEqual([]);
  });

  test("an unknown action or kind is a usage error", async () => {
    const bad = await runCli(["service", "start"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('service needs one of install, uninstall, status, logs, not "start"');
    const kind = await runCli(["service", "install", "--kind", "openrc"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("--kind must be one of termux, systemd, launchd");
    const stray = await runCli(["--dry-run"]);
    expect(stray.code).toBe(2);
  });
});

test(`a path with a line break is refused before anything is written (${runtime})`, async () => {
  const home = tempDir("pocketgate-home-");
  const result = await runCli(
    ["service", "install", "--dry-run", "--kind", "systemd", "--data-dir", "/tmp/a\nExecStartPre=/bin/evil"],
    {
      HOME: home,
    },
  );
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("control character");
  expect(result.stdout).not.toContain("ExecStartPre");
});

test(`a unit that cannot be written is named, with why, and nothing is started (${runtime})`, async () => {
  const home = tempDir("pocketgate-home-");
  const state = tempDir("pocketgate-stub-");
  const calls = join(state, "calls");
  writeFileSync(calls, "");
  stubs(join(state, "bin"), calls, join(state, "pid"));
  mkdirSync(join(home, ".config"), { recursive: true });
  writeFileSync(join(home, ".config/systemd"), "a file where a folder should be");
  const result = await runCli(["service", "install", "--kind", "systemd"], {
    HOME: home,
    PATH: `${join(state, "bin")}:${process.env.PATH}`,
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`cannot write ${home}/.config/systemd/user/pocketgate.service`);
  expect(result.stderr).not.toContain("    at ");
  expect(readFileSync(calls, "utf8")).toBe("");
});
