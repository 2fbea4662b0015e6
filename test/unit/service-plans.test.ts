// The service plans are pure (server/service/): quoting that survives odd paths, the kind this
// system has, and what each plan writes and runs (issue 14).
import { describe, expect, test } from "bun:test";
import { detectKind, type ServiceContext } from "../../server/service/kinds.ts";
import { launchdPlan } from "../../server/service/launchd.ts";
import { systemdPlan, unitWord } from "../../server/service/systemd.ts";
import { shellWord, termuxPlan } from "../../server/service/termux.ts";

const context: ServiceContext = {
  home: "/home/u",
  prefix: "/data/data/com.termux/files/usr",
  configHome: "/home/u/.config",
  command: [
    "/data/data/com.termux/files/usr/bin/node",
    "/data/data/com.termux/files/usr/lib/node_modules/pocketgate/dist/pocketgate.mjs",
  ],
  flags: ["--port", "9000"],
  uid: 10123,
  adminUrl: "http://127.0.0.1:9000/",
};

describe("quoting", () => {
  test("a shell word survives spaces, quotes and $ (sh reads back what was meant)", () => {
    for (const word of ["/plain/path", "with space", "it's", '$HOME `x` \\ "q"', ""]) {
      const echoed = Bun.spawnSync(["sh", "-c", `printf %s ${shellWord(word)}`]).stdout.toString();
      expect(echoed).toBe(word);
    }
    expect(shellWord("/plain/path-1.0")).toBe("/plain/path-1.0");
  });

  test("a unit word escapes what systemd would expand: % specifiers, $ variables, quotes, backslashes", () => {
    expect(unitWord('/a b/%h/$X/"q"\\')).toBe('"/a b/%%h/$$X/\\"q\\"\\\\"');
  });
});

describe("detectKind", () => {
  test("Termux by runtime or by its variables; else launchd on macOS, systemd on Linux; none on Windows", () => {
    expect(detectKind("android", {})).toBe("termux");
    expect(detectKind("linux", { TERMUX_VERSION: "0.118.3" })).toBe("termux");
    expect(detectKind("linux", { PREFIX: "/data/data/com.termux/files/usr" })).toBe("termux");
    expect(detectKind("linux", { PREFIX: "/usr/local" })).toBe("systemd");
    expect(detectKind("darwin", {})).toBe("launchd");
    expect(detectKind("win32", {})).toBeUndefined();
  });
});

describe("plans", () => {
  test("Termux: run script, svlogd log, boot script with a wake lock, widget opening the admin app", () => {
    const plan = termuxPlan(context);
    const byPath = Object.fromEntries(plan.files.map((f) => [f.path, f]));
    const run = byPath[`${context.prefix}/var/service/pocketgate/run`];
    expect(run?.mode).toBe(0o755);
    expect(run?.content).toStartWith(`#!${context.prefix}/bin/sh\n`);
    expect(run?.content).toContain(`\nexec ${context.command.join(" ")} --port 9000\n`);
    expect(byPath[`${context.prefix}/var/service/pocketgate/log/run`]?.content).toContain(
      `exec svlogd -tt ${context.prefix}/var/log/sv/pocketgate`,
    );
    const boot = byPath["/home/u/.termux/boot/pocketgate"]?.content ?? "";
    expect(boot.indexOf("termux-wake-lock")).toBeLessThan(boot.indexOf("sv up pocketgate"));
    expect(byPath["/home/u/.shortcuts/tasks/pocketgate"]?.content).toContain("termux-open-url http://127.0.0.1:9000/");
    expect(plan.start.at(-1)).toMatchObject({
      argv: ["sv", "restart", "pocketgate"],
      env: { SVDIR: `${context.prefix}/var/service` },
    });
  });

  test("systemd: one user unit under the config home, enabled and restarted", () => {
    const plan = systemdPlan(context);
    expect(plan.files.map((f) => f.path)).toEqual(["/home/u/.config/systemd/user/pocketgate.service"]);
    expect(plan.start.map((s) => s.argv.join(" "))).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable pocketgate.service",
      "systemctl --user restart pocketgate.service",
    ]);
  });

  test("launchd: one agent in the user's LaunchAgents, bootstrapped into gui/<uid>", () => {
    const plan = launchdPlan(context);
    expect(plan.files.map((f) => f.path)).toEqual(["/home/u/Library/LaunchAgents/local.pocketgate.plist"]);
    expect(plan.start.at(-1)?.argv).toEqual(["launchctl", "bootstrap", "gui/10123", plan.files[0]?.path ?? ""]);
  });
});
