// Termux (Android): a termux-services (runit) service with an svlogd log, a Termux:Boot script
// that takes a wake lock and starts the services, and a Termux:Widget shortcut that restarts
// pocketgate and opens the admin app. https://wiki.termux.com/wiki/Termux-services
import type { ServiceContext, ServicePlan } from "./kinds.ts";

/** One POSIX shell word: single-quoted, a quote inside closed, escaped and reopened. */
export const shellWord = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;

export function termuxPlan(context: ServiceContext): ServicePlan {
  const { prefix, home } = context;
  const sh = `#!${prefix}/bin/sh`;
  const svdir = `${prefix}/var/service`;
  const service = `${svdir}/pocketgate`;
  const logDir = `${prefix}/var/log/sv/pocketgate`;
  const fallbackLog = `${prefix}/var/log/pocketgate.log`;
  const env = { SVDIR: svdir };
  const run = [...context.command, ...context.flags].map(shellWord).join(" ");
  // Without the service manager (termux-services missing or not started yet): once, in the background.
  const background = `nohup ${run} >>${shellWord(fallbackLog)} 2>&1 &`;
  const startServices = shellWord(`${prefix}/etc/profile.d/start-services.sh`);
  /** A script for Termux:Boot or Termux:Widget: it finds the services and holds a wake lock first. */
  const awake = (comment: string, ...lines: string[]) =>
    [sh, comment, `export SVDIR=${shellWord(svdir)}`, "termux-wake-lock", ...lines, ""].join("\n");
  return {
    kind: "termux",
    requires: {
      command: "sv",
      missing: [
        "termux-services is not installed; pocketgate runs as one of its services.",
        "  pkg install termux-services",
        "then close Termux completely (type exit), open it again, and run: pocketgate service install",
      ].join("\n"),
    },
    files: [
      {
        path: `${service}/run`,
        mode: 0o755,
        content: `${sh}\n# pocketgate, run by termux-services (runsv): restarted if it stops; output goes to log/run.\nexec 2>&1\nexec ${run}\n`,
      },
      {
        path: `${service}/log/run`,
        mode: 0o755,
        content: `${sh}\nexec svlogd -tt ${shellWord(logDir)}\n`,
      },
      {
        path: `${home}/.termux/boot/pocketgate`,
        mode: 0o755,
        content: awake(
          "# Termux:Boot runs this when the phone starts: keep the CPU awake, start the services.",
          `[ ! -f ${startServices} ] || . ${startServices}`,
          `sv up pocketgate 2>/dev/null || ${background}`,
        ),
      },
      {
        path: `${home}/.shortcuts/tasks/pocketgate`,
        mode: 0o755,
        content: awake(
          "# Termux:Widget: (re)start pocketgate and open its admin app.",
          `sv restart pocketgate 2>/dev/null || ${background}`,
          "sleep 2",
          `termux-open-url ${shellWord(context.adminUrl)}`,
        ),
      },
    ],
    dirs: [logDir],
    remove: [service, logDir],
    tidy: [`${home}/.termux/boot`, `${home}/.shortcuts/tasks`, `${home}/.shortcuts`, `${prefix}/var/log/sv`],
    start: [
      { argv: ["termux-wake-lock"], optional: true },
      { argv: ["sv", "restart", "pocketgate"], env, retryMs: 10_000 },
    ],
    stop: [{ argv: ["sv", "down", "pocketgate"], env, optional: true }],
    status: { argv: ["sv", "status", "pocketgate"], env, optional: true },
    log: {
      file: `${logDir}/current`,
      show: ["tail", "-n", "50", `${logDir}/current`],
      follow: ["tail", "-n", "50", "-f", `${logDir}/current`],
    },
    notes: [
      `Logs:            ${logDir}/current   (pocketgate service logs)`,
      "Day to day:      sv status pocketgate · sv restart pocketgate · sv down pocketgate",
      "Start at boot:   install Termux:Boot and open it once; it runs ~/.termux/boot/pocketgate",
    ],
  };
}

export const termuxFallback = (context: ServiceContext) => ({
  log: `${context.prefix}/var/log/pocketgate.log`,
  pidFile: `${context.prefix}/var/run/pocketgate.pid`,
});
