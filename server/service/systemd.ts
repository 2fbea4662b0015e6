// Linux with systemd: a user unit, ~/.config/systemd/user/pocketgate.service, started now and at
// login (and at boot with `loginctl enable-linger`). Logs go to the journal.
// https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html
import type { ServiceContext, ServicePlan } from "./kinds.ts";

/**
 * One ExecStart word: double-quoted, with `\` and `"` escaped, `%` doubled (specifiers) and `$`
 * doubled (variable expansion). https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Command%20lines
 */
export const unitWord = (word: string) =>
  `"${word.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("%", "%%").replaceAll("$", "$$$$")}"`;

export function systemdPlan(context: ServiceContext): ServicePlan {
  const unit = `${context.configHome}/systemd/user/pocketgate.service`;
  const user = ["--user"];
  return {
    kind: "systemd",
    requires: {
      command: "systemctl",
      missing:
        "systemctl was not found: this system does not run systemd. Start pocketgate from your own service manager, or see the unit it would use: pocketgate service install --dry-run",
    },
    files: [
      {
        path: unit,
        mode: 0o644,
        content: [
          "# pocketgate as a systemd user service, written by `pocketgate service install`.",
          "# Logs: journalctl --user -u pocketgate   Remove: pocketgate service uninstall",
          "[Unit]",
          "Description=pocketgate, a Claude gateway",
          "After=network-online.target",
          "Wants=network-online.target",
          "",
          "[Service]",
          `ExecStart=${[...context.command, ...context.flags].map(unitWord).join(" ")}`,
          "Restart=on-failure",
          "RestartSec=2",
          "NoNewPrivileges=yes",
          "",
          "[Install]",
          "WantedBy=default.target",
          "",
        ].join("\n"),
      },
    ],
    dirs: [],
    remove: [],
    tidy: [],
    start: [
      { argv: ["systemctl", ...user, "daemon-reload"] },
      { argv: ["systemctl", ...user, "enable", "pocketgate.service"] },
      { argv: ["systemctl", ...user, "restart", "pocketgate.service"] },
    ],
    stop: [
      { argv: ["systemctl", ...user, "disable", "--now", "pocketgate.service"], optional: true },
      { argv: ["systemctl", ...user, "daemon-reload"], optional: true },
    ],
    status: { argv: ["systemctl", ...user, "--no-pager", "status", "pocketgate.service"], optional: true },
    log: {
      show: ["journalctl", ...user, "-u", "pocketgate.service", "-n", "50", "--no-pager"],
      follow: ["journalctl", ...user, "-u", "pocketgate.service", "-n", "50", "-f"],
    },
    notes: [
      "Logs:            journalctl --user -u pocketgate   (pocketgate service logs)",
      "Day to day:      systemctl --user status|restart|stop pocketgate",
      "Start at boot:   loginctl enable-linger $USER   (otherwise it starts when you log in)",
    ],
  };
}
