// CLI → config → createApp(deps) → listen. Nothing else starts the program.
// (No shebang line: with one, Bun's bundler includes the modules this file imports twice,
// so `instanceof` checks against their classes fail in dist/pocketgate.mjs.)
import { createApp } from "./app.ts";
import { parseArgs, UsageError, usage } from "./cli/args.ts";
import { banner, initReport, localBase, shownSecrets } from "./cli/banner.ts";
import { doctor } from "./cli/doctor-command.ts";
import { serviceCommand } from "./cli/service-command.ts";
import { bootstrapSecrets, resetAdminPassword } from "./config/bootstrap.ts";
import { createLiveConfig } from "./config/live.ts";
import { CONFIG_FILE_NAME, configHome, defaultDataDir } from "./config/paths.ts";
import { ConfigError, resolveConfig } from "./config/resolve.ts";
import { schema } from "./config/schema.ts";
import { readConfigFile } from "./config/store.ts";
import { absolutePath, ensureDir, join, removeStaleTemps, watchForChanges } from "./platform/fs.ts";
import {
  argv,
  env,
  exit,
  home,
  onShutdown,
  restrictNewFiles,
  runtimeName,
  runtimeVersion,
  write,
  writeError,
} from "./platform/runtime.ts";
import { listen, releaseConnection, remoteAddress } from "./platform/serve.ts";
import { selfCommand, userId } from "./platform/service-host.ts";
import { openDatabase } from "./platform/sqlite.ts";
import { createLiveUpstreamFetch } from "./platform/upstream-fetch.ts";
import { loadAdminApp } from "./routes/admin-app-embedded.ts";
import { TERMUX_PREFIX } from "./service/kinds.ts";
import { migrate } from "./store/database.ts";
import { responseStore } from "./store/responses.ts";
import { upstreamKeyStore } from "./store/upstream-keys.ts";
import { usageStore } from "./store/usage.ts";
import { flushAll } from "./store/write-behind.ts";
import { BUILD, VERSION } from "./version.ts";

async function main(): Promise<void> {
  restrictNewFiles();
  const args = parseArgs(argv);
  if (args.command === "help") return write(`pocketgate ${VERSION} (${BUILD})\n\n${usage}\n`);
  if (args.command === "version") return write(`${VERSION}\n`);

  const dataDir = args.dataDir ?? env.POCKETGATE_DATA_DIR ?? defaultDataDir(env, home());
  const configPath = args.configFile ?? env.POCKETGATE_CONFIG ?? join(dataDir, CONFIG_FILE_NAME);
  const file = await readConfigFile(configPath);

  if (args.command === "reset-password") {
    const password = await resetAdminPassword(configPath, file);
    write(
      `New admin password (shown only now): ${password}\nSaved as a hash in ${configPath}; a running pocketgate uses it at once and ends every admin session.\n`,
    );
    if (env.POCKETGATE_ADMIN_PASSWORD) {
      write("Note: POCKETGATE_ADMIN_PASSWORD is set and takes precedence over the file.\n");
    }
    return;
  }

  if (args.command === "doctor") {
    const report = await doctor({
      dataDir,
      configPath,
      flags: args.flags,
      header: `pocketgate doctor — ${VERSION} (${BUILD})`,
    });
    write(report.text);
    return exit(report.failed ? 1 : 0);
  }

  if (args.command === "service" && args.service) {
    const resolved = resolveConfig({ file, filePath: configPath, env, flags: args.flags });
    const base = localBase(resolved.config.host, resolved.config.port);
    // What was given here is what the service runs with (paths made absolute: it starts elsewhere).
    const flags = [
      ...(args.flags.host ? ["--host", args.flags.host] : []),
      ...(args.flags.port ? ["--port", args.flags.port] : []),
      ...(args.dataDir ? ["--data-dir", absolutePath(args.dataDir)] : []),
      ...(args.configFile ? ["--config", absolutePath(args.configFile)] : []),
    ];
    const code = await serviceCommand({
      args: args.service,
      context: {
        home: home(),
        prefix: env.PREFIX ?? TERMUX_PREFIX,
        configHome: configHome(env, home()),
        command: selfCommand(),
        flags,
        uid: userId(),
        adminUrl: `${base}/`,
      },
      env,
      version: VERSION,
      runtime: `${runtimeName} ${runtimeVersion}`,
      dataDir,
      base,
      setUp: async () => {
        const boot = await bootstrapSecrets(configPath, file, resolved.config);
        const made = boot.generated.clientKey !== undefined || boot.generated.adminPassword !== undefined;
        return made ? initReport(configPath, boot.generated) : undefined;
      },
    });
    return exit(code);
  }

  const first = resolveConfig({ file, filePath: configPath, env, flags: args.flags });
  for (const warning of first.warnings) writeError(`warning: ${warning}\n`);
  const boot = await bootstrapSecrets(configPath, file, first.config);
  if (args.command === "init") return write(initReport(configPath, boot.generated));
  const live = createLiveConfig({ file: boot.file, filePath: configPath, env, flags: args.flags });
  const config = live.current();
  // Copies a killed write left behind (a minute old: a write by another process now is younger).
  const stale = await removeStaleTemps(configPath, 60_000);
  if (stale > 0) writeError(`removed ${stale} unfinished temp cop${stale === 1 ? "y" : "ies"} of ${configPath}\n`);

  await ensureDir(dataDir);
  const db = await openDatabase(join(dataDir, "pocketgate.db"));
  migrate(db);
  // A team of instances (issue 20): loaded only when configured, so an instance alone carries nothing of it.
  const shared =
    config.redis_url || config.database_url
      ? await import("./store/shared/shared-state.ts").then(({ openSharedState }) =>
          openSharedState({ db, config, live, log: (line) => writeError(`${line}\n`) }).catch((error: Error) => {
            // On Node: no built-in client (platform/shared-clients.ts says what to do instead).
            throw error.name === "SharedStateUnsupported" ? new ConfigError(error.message) : error;
          }),
        )
      : undefined;
  // Alone, nothing is queued for a team (an instance that was in one before stops queueing).
  if (!shared) (await import("./store/shared/replica.ts")).setTriggers(db, false);
  const secrets = shownSecrets(boot.generated, boot.file.admin_password_hash, live.current());
  const runtime = `${runtimeName} ${runtimeVersion}`;
  const app = createApp({
    database: db,
    remoteAddress,
    releaseConnection,
    config: live.current,
    live,
    // A proxy changed in the admin app applies to the next upstream request.
    upstreamFetch: createLiveUpstreamFetch(() => live.current().proxy),
    adminApp: await loadAdminApp(),
    ...(shared ? { shared } : {}),
    version: VERSION,
    build: BUILD,
    runtime,
  });
  const server = await listen(app.fetch, {
    hostname: config.host,
    port: config.port,
    idleSeconds: config.client_idle_timeout,
  });
  write(
    banner({
      version: VERSION,
      runtime,
      host: config.host,
      port: server.port,
      configPath,
      // Keys added in the admin app count too, not only those in the config.
      upstreamKeyCount: upstreamKeyStore(db, Date.now, () => config).keys().length,
      generated: secrets.generated,
      adminFromEnv: Boolean(env.POCKETGATE_ADMIN_PASSWORD),
      teamSecrets: secrets.team,
    }),
  );
  // A hand edit of the file (or `reset-password`) applies without a restart, if it is valid.
  let lastProblem: string | undefined;
  const stopWatching = watchForChanges(configPath, () => {
    live
      .reload()
      .then(({ changed, problem }) => {
        if (problem !== undefined && problem !== lastProblem)
          writeError(`config: refused a change on disk: ${problem}\n`);
        lastProblem = problem;
        if (changed.length === 0) return;
        const later = changed.filter((key) => (schema[key] as { restart?: boolean }).restart);
        writeError(
          `config: ${configPath} changed on disk; applied ${changed.join(", ")}${later.length ? ` (${later.join(", ")} after a restart)` : ""}\n`,
        );
      })
      .catch((error: unknown) => writeError(`config: cannot reload ${configPath}: ${String(error)}\n`));
  });
  // Retention: usage rows older than usage_retention_days go, at start and every six hours.
  const prune = () => {
    const usageBefore = Date.now() - live.current().usage_retention_days * 86_400_000;
    const responsesBefore = Date.now() - live.current().responses_retention_days * 86_400_000;
    usageStore(db).prune(usageBefore);
    responseStore(db).prune(responsesBefore);
    void shared?.prune(usageBefore, responsesBefore);
  };
  prune();
  setInterval(prune, 6 * 3_600_000).unref();
  // The model list is re-read from upstream daily (models/catalog.ts); a failed read keeps the last one.
  setInterval(() => void app.models.refresh(), 24 * 3_600_000).unref();
  onShutdown(async () => {
    stopWatching();
    app.stop();
    await server.stop();
    flushAll(db);
    await shared?.stop();
    db.close();
  });
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    writeError(`pocketgate: ${error.message}\n\n${usage}\n`);
    exit(2);
  }
  if (error instanceof ConfigError) {
    writeError(`pocketgate: ${error.message}\n`);
    exit(1);
  }
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") {
    writeError("pocketgate: the port is already in use; stop the other program or pass --port.\n");
    exit(1);
  }
  writeError(`pocketgate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(1);
});
