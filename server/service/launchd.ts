// macOS: a launchd agent, ~/Library/LaunchAgents/local.pocketgate.plist, loaded now and at login,
// restarted if it exits with an error. Output goes to ~/Library/Logs/pocketgate.log.
// https://developer.apple.com/library/archive/documentation/MacOSX/Conceptual/BPSystemStartup/Chapters/CreatingLaunchdJobs.html
import type { ServiceContext, ServicePlan } from "./kinds.ts";

export const LAUNCHD_LABEL = "local.pocketgate";

const xml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

export function launchdPlan(context: ServiceContext): ServicePlan {
  const plist = `${context.home}/Library/LaunchAgents/${LAUNCHD_LABEL}.plist`;
  const log = `${context.home}/Library/Logs/pocketgate.log`;
  const domain = `gui/${context.uid}`;
  const args = [...context.command, ...context.flags].map((word) => `    <string>${xml(word)}</string>`);
  return {
    kind: "launchd",
    requires: {
      command: "launchctl",
      missing:
        "launchctl was not found: launchd agents are for macOS. See the agent it would use: pocketgate service install --dry-run --kind launchd",
    },
    files: [
      {
        path: plist,
        mode: 0o644,
        content: [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
          "<!-- pocketgate as a launchd agent, written by `pocketgate service install`. -->",
          '<plist version="1.0">',
          "<dict>",
          "  <key>Label</key>",
          `  <string>${LAUNCHD_LABEL}</string>`,
          "  <key>ProgramArguments</key>",
          "  <array>",
          ...args,
          "  </array>",
          "  <key>RunAtLoad</key>",
          "  <true/>",
          "  <key>KeepAlive</key>",
          "  <dict>",
          "    <key>SuccessfulExit</key>",
          "    <false/>",
          "  </dict>",
          "  <key>StandardOutPath</key>",
          `  <string>${xml(log)}</string>`,
          "  <key>StandardErrorPath</key>",
          `  <string>${xml(log)}</string>`,
          "</dict>",
          "</plist>",
          "",
        ].join("\n"),
      },
    ],
    dirs: [`${context.home}/Library/Logs`],
    remove: [],
    tidy: [],
    start: [
      { argv: ["launchctl", "bootout", `${domain}/${LAUNCHD_LABEL}`], optional: true },
      { argv: ["launchctl", "bootstrap", domain, plist] },
    ],
    stop: [{ argv: ["launchctl", "bootout", `${domain}/${LAUNCHD_LABEL}`], optional: true }],
    status: { argv: ["launchctl", "print", `${domain}/${LAUNCHD_LABEL}`], optional: true },
    log: { file: log, show: ["tail", "-n", "50", log], follow: ["tail", "-n", "50", "-f", log] },
    notes: [
      `Logs:            ${log}   (pocketgate service logs)`,
      `Day to day:      launchctl kickstart -k ${domain}/${LAUNCHD_LABEL} (restart) · pocketgate service status`,
      "Start at login:  yes (RunAtLoad); restarted if it stops with an error",
    ],
  };
}
