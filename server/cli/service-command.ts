// `pocketgate service install|uninstall|status|logs`: the plan for this system's service manager
// (server/service/), carried out here, with every file shown before it is written.

import { fileExists } from "../platform/fs.ts";
import { platformName, write, writeError } from "../platform/runtime.ts";
import {
  makeDir,
  pause,
  removeDirIfEmpty,
  removePath,
  runAttached,
  runCommand,
  type StepResult,
  startDetached,
  stopDetached,
  which,
  writeServiceFile,
} from "../platform/service-host.ts";
import { detectKind, type ServiceContext, type ServiceKind, type ServicePlan, type Step } from "../service/kinds.ts";
import { launchdPlan } from "../service/launchd.ts";
import { systemdPlan } from "../service/systemd.ts";
import { termuxFallback, termuxPlan } from "../service/termux.ts";
import type { ServiceArgs } from "./args.ts";

export interface ServiceCommandInput {
  readonly args: ServiceArgs;
  readonly context: ServiceContext;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly runtime: string;
  readonly dataDir: string;
  /** http://127.0.0.1:8484 — where the installed service will answer. */
  readonly base: string;
  /** Makes the config and its secrets if they do not exist yet; returns what to print (once). */
  readonly setUp: () => Promise<string | undefined>;
}

const plans: Record<ServiceKind, (context: ServiceContext) => ServicePlan> = {
  termux: termuxPlan,
  systemd: systemdPlan,
  launchd: launchdPlan,
};

const managerName: Record<ServiceKind, string> = {
  termux: "a termux-services service",
  systemd: "a systemd user service",
  launchd: "a launchd agent",
};

/** Runs the service command; returns the exit code (status: 0 answering, 3 not). */
export async function serviceCommand(input: ServiceCommandInput): Promise<number> {
  const kind = input.args.kind ?? detectKind(platformName, input.env);
  if (kind === undefined) {
    writeError(
      `pocketgate service: no service manager is known for ${platformName}. Run pocketgate in a terminal, or pass --kind termux|systemd|launchd.\n`,
    );
    return 1;
  }
  // A line break or control character in a path would end a unit's line or break the XML.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  const odd = [...input.context.command, ...input.context.flags].find((word) => /[\u0000-\u001f\u007f]/.test(word));
  if (odd !== undefined) {
    writeError(`pocketgate service: ${JSON.stringify(odd)} holds a control character; use a path without one.\n`);
    return 2;
  }
  const plan = plans[kind](input.context);
  switch (input.args.action) {
    case "install":
      return install(plan, input);
    case "uninstall":
      return uninstall(plan, input);
    case "status":
      return status(plan, input);
    case "logs":
      return logs(plan, input);
  }
}

const show = (file: { path: string; content: string }) =>
  `--- ${file.path}\n${file.content}${file.content.endsWith("\n") ? "" : "\n"}`;

async function install(plan: ServicePlan, input: ServiceCommandInput): Promise<number> {
  if (input.args.dryRun) {
    write(`pocketgate service install --dry-run (${plan.kind}): would write\n\n`);
    for (const file of plan.files) write(`${show(file)}\n`);
    write(`and then run:\n${plan.start.map((step) => `  ${step.argv.join(" ")}\n`).join("")}`);
    return 0;
  }
  if (!which(plan.requires.command)) {
    writeError(`pocketgate service install: ${plan.requires.missing}\n`);
    return 1;
  }
  // The secrets are made here, in the terminal, not in the service's log where no one sees them;
  // they are printed last, whatever happens in between, so they end up on the screen.
  const secrets = await input.setUp();
  try {
    return await installFiles(plan, input);
  } finally {
    if (secrets) write(`\n${secrets}`);
  }
}

async function installFiles(plan: ServicePlan, input: ServiceCommandInput): Promise<number> {
  for (const file of plan.files) {
    // A unit or agent is shown whole before it is written; Termux's four small scripts by name
    // (a phone's screen is small; --dry-run shows them whole).
    write(plan.kind === "termux" ? `writing ${file.path}\n` : show(file));
    try {
      writeServiceFile(file.path, file.content, file.mode);
    } catch (error) {
      writeError(`pocketgate service install: cannot write ${file.path}: ${(error as Error).message}\n`);
      return 1;
    }
  }
  for (const dir of plan.dirs) makeDir(dir);
  write("\n");

  let how: string = managerName[plan.kind];
  for (const step of plan.start) {
    const result = await runStep(step);
    if (result.code === 0 || step.optional) continue;
    if (plan.kind === "termux") {
      // termux-services is installed but its runsvdir starts with a new Termux session.
      const fallback = termuxFallback(input.context);
      startDetached([...input.context.command, ...input.context.flags], fallback.log, fallback.pidFile);
      write(
        "termux-services' service manager is not running yet (it starts with a new Termux session): pocketgate\n" +
          "was started in the background this once. Close Termux completely and open it again; from then on the\n" +
          "service keeps it running.\n\n",
      );
      how = `started in the background; ${managerName.termux} from the next Termux session`;
      break;
    }
    writeError(`pocketgate service install: \`${step.argv.join(" ")}\` failed:\n${result.output.trim()}\n`);
    if (plan.kind === "systemd") {
      writeError(
        "Without a user session (a root shell, a container) systemctl --user cannot work: log in as the user who runs pocketgate,\nor install the unit shown above as /etc/systemd/system/pocketgate.service with a User= line.\n",
      );
    }
    return 1;
  }

  const version = await waitForHealth(`${input.base}/health`, 20_000);
  write(`pocketgate ${input.version} is installed as ${how} (${input.runtime}).\n`);
  if (version !== undefined) write(`It is running: ${input.base}/health answers.\n`);
  else write(`It did not answer at ${input.base}/health within 20 s; see its log: pocketgate service logs\n`);
  write(
    [
      `  Admin app:       ${input.base}/  (open it in a browser, log in with the admin password, add your Anthropic key)`,
      `  SillyTavern:     Chat Completion → Claude → Reverse proxy ${input.base}/v1, Proxy password = your client key`,
      ...plan.notes.map((note) => `  ${note}`),
      "  Check it:        pocketgate service status · pocketgate doctor",
      "  Remove it:       pocketgate service uninstall   (your data stays)",
      "",
    ].join("\n"),
  );
  const inherited = Object.keys(input.env).filter((name) => name.startsWith("POCKETGATE_"));
  if (inherited.length > 0 && plan.kind !== "termux") {
    write(
      `Note: ${inherited.join(", ")} from this shell do not reach the service; put those settings in the config file or the admin app.\n`,
    );
  }
  return version === undefined ? 1 : 0;
}

async function uninstall(plan: ServicePlan, input: ServiceCommandInput): Promise<number> {
  const paths = [...plan.files.map((file) => file.path), ...plan.remove];
  if (input.args.dryRun) {
    write(
      `pocketgate service uninstall --dry-run (${plan.kind}): would run\n${plan.stop.map((step) => `  ${step.argv.join(" ")}\n`).join("")}and remove\n${paths.map((path) => `  ${path}\n`).join("")}`,
    );
    return 0;
  }
  const installed = await Promise.all(paths.map(fileExists));
  if (which(plan.requires.command)) for (const step of plan.stop) await runStep(step);
  if (plan.kind === "termux") {
    const script = input.context.command.at(-1) ?? "";
    stopDetached(termuxFallback(input.context).pidFile, script);
  }
  for (const path of paths) removePath(path);
  for (const dir of plan.tidy) removeDirIfEmpty(dir);
  const removed = paths.filter((_, i) => installed[i]);
  write(
    removed.length === 0
      ? `pocketgate was not installed as ${managerName[plan.kind]}; nothing to remove.\n`
      : `pocketgate's service is removed:\n${removed.map((path) => `  ${path}\n`).join("")}`,
  );
  write(`Your data is kept in ${input.dataDir}.\n`);
  if (input.context.command.some((part) => part.includes("/node_modules/pocketgate/"))) {
    write("To remove the program as well: npm uninstall -g pocketgate\n");
  }
  return 0;
}

async function status(plan: ServicePlan, input: ServiceCommandInput): Promise<number> {
  const installed = await fileExists(plan.files[0]?.path ?? "");
  write(
    installed
      ? `Installed as ${managerName[plan.kind]}: ${plan.files[0]?.path}\n`
      : `Not installed as ${managerName[plan.kind]} (pocketgate service install does it).\n`,
  );
  if (installed && which(plan.status.argv[0] ?? "")) {
    const result = runCommand(plan.status.argv, plan.status.env);
    if (result.output.trim()) write(`${result.output.trim()}\n`);
  }
  const version = await waitForHealth(`${input.base}/health`, 0);
  if (version === undefined) {
    write(`Not answering at ${input.base}/health.${installed ? " See its log: pocketgate service logs" : ""}\n`);
    return 3;
  }
  write(`Running: ${input.base}/health answers (version ${version}).\n`);
  return 0;
}

async function logs(plan: ServicePlan, input: ServiceCommandInput): Promise<number> {
  let argv = input.args.follow ? plan.log.follow : plan.log.show;
  if (plan.log.file && !(await fileExists(plan.log.file))) {
    const fallback = plan.kind === "termux" ? termuxFallback(input.context).log : undefined;
    if (!fallback || !(await fileExists(fallback))) {
      writeError(`No log yet at ${plan.log.file}${fallback ? ` or ${fallback}` : ""}.\n`);
      return 1;
    }
    argv = argv.map((part) => (part === plan.log.file ? fallback : part));
  }
  return runAttached(argv);
}

async function runStep(step: Step): Promise<StepResult> {
  const until = Date.now() + (step.retryMs ?? 0);
  for (;;) {
    const result = runCommand(step.argv, step.env);
    if (result.code === 0 || Date.now() >= until) return result;
    await pause(500);
  }
}

/** The version /health reports once it answers 200, or undefined after `withinMs`. */
async function waitForHealth(url: string, withinMs: number): Promise<string | undefined> {
  const until = Date.now() + withinMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return String(((await response.json()) as { version?: unknown }).version ?? "");
    } catch {}
    if (Date.now() >= until) return undefined;
    await pause(250);
  }
}
