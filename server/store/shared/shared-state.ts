// State shared by a team of instances (issue 20), opened by main.ts only when redis_url or
// database_url is set. PostgreSQL (replica.ts, settings-layer.ts) holds the durable state, Redis
// (fast-state.ts) the fast state and the notices that tell the others something changed. Either
// may be missing or down: the instance then serves from its own state, says "degraded: shared
// state unavailable" on /health and the dashboard, and catches up when it returns.
import type { StatusResponse } from "../../admin/schemas.ts";
import type { LiveConfig } from "../../config/live.ts";
import type { Config, ConfigKey } from "../../config/schema.ts";
import { openPostgres, type Postgres } from "../../platform/shared-clients.ts";
import type { Database } from "../../platform/sqlite.ts";
import type { KeyStatus } from "../../upstream/pool.ts";
import { writeKeyState } from "../database.ts";
import type { UsageRow } from "../usage.ts";
import { fastState, keyStatusOf, type StoredSession } from "./fast-state.ts";
import { migratePostgres, teamOf } from "./pg-schema.ts";
import { createRedisLink } from "./redis-link.ts";
import { createReplica, cursor, type Replica, type ReplicatedTable, setCursor, setTriggers } from "./replica.ts";
import { type SettingsLayer, settingsLayer } from "./settings-layer.ts";

const TICK_MS = 100;
/** Without notices (no Redis), the others' changes are read this often: within a second. */
const PULL_MS = 400;
const RETRY_MS = 1000;
/** An unknown client key reads the others' changes at most this often. */
const REFRESH_MS = 100;

/** What /api/status says of shared state (admin/schemas.ts StatusResponse.shared). */
export type SharedStatus = NonNullable<StatusResponse["shared"]>;
type Link = SharedStatus["redis"];

/** What the app does with what it hears from the others. */
export interface SharedHooks {
  adoptKeyState(id: string, status: KeyStatus): void;
  adoptSticky(stickyId: string, keyId: string): void;
  tablesChanged(tables: ReadonlySet<ReplicatedTable>): void;
  /** Usage rows other instances wrote, now in this instance's log. */
  usageArrived(rows: readonly UsageRow[]): void;
  /** A session ended elsewhere (undefined: all of them). */
  sessionEnded(hash: string | undefined): void;
}

type Notice =
  | { t: "changed" }
  | { t: "key"; id: string; s: KeyStatus }
  | { t: "sticky"; id: string; key: string }
  | { t: "session-end"; hash?: string };

export interface SharedOptions {
  readonly db: Database;
  readonly config: Config;
  readonly live: LiveConfig;
  readonly log: (line: string) => void;
}

/** Keys whose values the first instance gives the team (the client key and the admin password). */
const SEEDED: readonly ConfigKey[] = ["password", "admin_password_hash"];

export async function openSharedState(options: SharedOptions) {
  const { db, config, live, log } = options;
  let instance = cursor(db, "instance");
  if (!instance) {
    instance = `pg-${crypto.randomUUID().slice(0, 8)}`;
    setCursor(db, "instance", instance);
  }
  const me = instance;
  /** Who sends a notice: this process (two processes never share one, even from a copied data dir). */
  const sender = `${me}-${crypto.randomUUID().slice(0, 8)}`;
  let hooks: SharedHooks | undefined;
  let stopped = false;

  // ---- PostgreSQL
  const pg: Postgres | undefined = config.database_url ? openPostgres(config.database_url) : undefined;
  setTriggers(db, pg !== undefined);
  const settings = pg ? settingsLayer(pg) : undefined;
  /** The layer live.ts saves through: a save is followed by a notice, and the others read it at once. */
  const noticed: SettingsLayer | undefined = settings && {
    values: settings.values,
    async save(changes) {
      await settings.save(changes);
      notify({ t: "changed" });
    },
  };
  /** Made once PostgreSQL has been reached and migrated. */
  let replica: Replica | undefined;
  let pgUp = false;
  let pgSince = Date.now();
  let pgProblem = "";
  let pullWanted = true;
  let lastPull = 0;
  let running: Promise<void> = Promise.resolve();
  /** One PostgreSQL conversation at a time (the loop's, or an admin write waiting for its push). */
  const exclusive = (work: () => Promise<void>): Promise<void> => {
    const run = running.then(work, work);
    running = run.catch(() => {});
    return run;
  };
  const pgFailed = (error: unknown) => {
    const message = (error as Error).message ?? String(error);
    if (pgUp || message !== pgProblem) {
      log(
        `shared state: PostgreSQL unreachable (${message}); proxying from this instance's replica, usage kept for it`,
      );
      pgSince = Date.now();
    }
    pgUp = false;
    pgProblem = message;
  };
  const applySettings = async () => {
    if (!settings || !noticed || !(await settings.load())) return;
    const { changed, problem } = await live.share(noticed);
    if (problem) log(`shared state: ${problem}`);
    else if (changed.length > 0) log(`shared state: applied the team's settings: ${changed.join(", ")}`);
  };
  async function prepare(): Promise<Replica | undefined> {
    if (!pg || !settings) return undefined;
    const applied = await migratePostgres(pg, me);
    if (applied.length > 0) log(`shared state: PostgreSQL schema migrated to version ${applied.at(-1)}`);
    await settings.seed(Object.fromEntries(SEEDED.map((key) => [key, config[key]]).filter(([, v]) => v !== "")));
    return createReplica({
      db,
      pg,
      instance: me,
      team: await teamOf(pg),
      bound: config.shared_usage_buffer,
      changed: (tables) => hooks?.tablesChanged(tables),
      arrived: (rows) => hooks?.usageArrived(rows),
    });
  }
  async function tick(): Promise<void> {
    if (!pg) return;
    replica ??= await prepare();
    if (!replica) return;
    const wasDown = !pgUp;
    const sent = await replica.push();
    if (sent > 0) notify({ t: "changed" });
    if (pullWanted || Date.now() - lastPull >= PULL_MS || wasDown) {
      pullWanted = false;
      lastPull = Date.now();
      await replica.pull();
      await applySettings();
    }
    if (wasDown) {
      log(`shared state: PostgreSQL connected${sent > 0 ? `; sent ${sent} waiting changes` : ""}`);
      pgUp = true;
      pgSince = Date.now();
    }
  }

  // ---- Redis
  const onNotice = (text: string) => {
    // From Redis: parsed and checked like any input, a bad notice is dropped.
    let notice: Notice & { from?: string };
    try {
      notice = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof notice !== "object" || notice === null) return;
    if (notice.from === sender) return;
    if (notice.t === "changed") {
      // Read at once, not at the next tick: a revoked client key stops working everywhere now.
      pullWanted = true;
      void exclusive(tick).catch(pgFailed);
    } else if (notice.t === "key") {
      const status = keyStatusOf(notice.s);
      if (typeof notice.id === "string" && status) hooks?.adoptKeyState(notice.id, status);
    } else if (notice.t === "sticky") {
      if (typeof notice.id === "string" && typeof notice.key === "string") hooks?.adoptSticky(notice.id, notice.key);
    } else if (notice.t === "session-end") {
      if (notice.hash === undefined || typeof notice.hash === "string") hooks?.sessionEnded(notice.hash);
    }
  };
  const link = config.redis_url
    ? createRedisLink({
        url: config.redis_url,
        channel: `${config.shared_prefix}:notices`,
        onNotice,
        onJoin: () => {
          // Back after a loss: what the others did meanwhile is read again.
          pullWanted = true;
          void fast?.keyStates().then(
            (states) => {
              for (const [id, s] of states) hooks?.adoptKeyState(id, s);
            },
            () => {},
          );
        },
        log,
      })
    : undefined;
  const fast = link ? fastState(link, config.shared_prefix) : undefined;
  const notify = (notice: Notice) => link?.notify(JSON.stringify({ from: sender, ...notice }));

  // ---- start: what the others hold is here before the app reads its stores
  if (link) await link.start();
  if (pg) await exclusive(tick).catch(pgFailed);
  if (fast && link?.up()) {
    const states = await fast.keyStates().catch(() => new Map<string, KeyStatus>());
    // Before the pool reads its states: a key cooling on another instance starts out cooling here.
    db.transaction(() => {
      for (const [id, s] of states) writeKeyState(db, id, s);
    });
  }
  const loop = async () => {
    while (!stopped) {
      await exclusive(tick).catch(pgFailed);
      await new Promise((resolve) => setTimeout(resolve, pgUp ? TICK_MS : RETRY_MS));
    }
  };
  if (pg) void loop();

  const buffer = () => replica?.usageBuffer() ?? { waiting: 0, dropped: 0 };
  let refreshing: Promise<void> | undefined;
  let lastRefresh = 0;
  const swallow = (work: Promise<unknown> | undefined) => void work?.catch(() => {});

  return {
    attach(next: SharedHooks): void {
      hooks = next;
    },
    status(): SharedStatus {
      const redis: Link = link ? (link.up() ? "ok" : "down") : "off";
      const database: Link = pg ? (pgUp ? "ok" : "down") : "off";
      const down = [
        ...(redis === "down" ? ["Redis" as const] : []),
        ...(database === "down" ? ["PostgreSQL" as const] : []),
      ];
      const { waiting, dropped } = buffer();
      return {
        redis,
        database,
        degraded: down.length > 0,
        down,
        ...(down.length > 0 ? { message: `degraded: shared state unavailable (${down.join(" and ")})` } : {}),
        usage_waiting: waiting,
        usage_dropped: dropped,
      };
    },
    /** Why admin changes are refused now (PostgreSQL is down), or undefined. */
    refusesWrites(): string | undefined {
      if (!pg || pgUp) return undefined;
      return `the shared database (PostgreSQL) cannot be reached since ${new Date(pgSince).toISOString()}: changes are refused until it returns, so no instance goes its own way (nothing was changed). Requests are still served.`;
    },
    /** Sends what waits and reads what is new, now (after an admin change). */
    sync: (): Promise<void> =>
      pg
        ? exclusive(async () => {
            pullWanted = true;
            await tick();
          })
        : Promise.resolve(),
    /**
     * Reads the others' changes now (an unknown client key may have just been made elsewhere);
     * undefined without PostgreSQL (nothing to read).
     */
    refresh: !pg
      ? undefined
      : (): Promise<void> => {
          // A flood of wrong keys shares one read, and there are at most ten reads a second.
          if (!pgUp) return Promise.resolve();
          if (refreshing) return refreshing;
          const wait = lastRefresh + REFRESH_MS - Date.now();
          refreshing = (wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve())
            .then(() =>
              exclusive(async () => {
                if (replica && pgUp) await replica.pull();
              }),
            )
            .finally(() => {
              refreshing = undefined;
              lastRefresh = Date.now();
            });
          return refreshing;
        },
    keyState(id: string, status: KeyStatus): void {
      if (!fast || !link?.up()) return;
      swallow(fast.saveKeyState(id, status));
      notify({ t: "key", id, s: status });
    },
    sticky(stickyId: string, keyId: string): void {
      notify({ t: "sticky", id: stickyId, key: keyId });
    },
    /** 0: admitted; ms to wait; undefined: Redis cannot count now (count locally). */
    async rpm(client: string, limit: number): Promise<number | undefined> {
      if (!fast || !link?.up()) return undefined;
      return fast.rpm(client, limit, me).catch(() => undefined);
    },
    sessions: fast
      ? {
          save: (hash: string, session: StoredSession) => swallow(fast.saveSession(hash, session, Date.now())),
          find: (hash: string) => fast.session(hash).catch(() => undefined),
          remove(hash: string) {
            swallow(fast.removeSession(hash));
            notify({ t: "session-end", hash });
          },
          removeAll() {
            swallow(fast.removeSessions());
            notify({ t: "session-end" });
          },
        }
      : undefined,
    /** This instance answered the conversation's last request: the keep-warm owner. */
    ownWarm(conversation: string): void {
      if (fast && link?.up()) swallow(fast.ownWarm(conversation, me));
    },
    /** Whether this instance still keeps `conversation` warm (another answered it since: no). */
    async ownsWarm(conversation: string): Promise<boolean> {
      if (!fast || !link?.up()) return true;
      const owner = await fast.warmOwner(conversation).catch(() => undefined);
      return owner === undefined || owner === me;
    },
    async prune(usageBefore: number, responsesBefore: number): Promise<void> {
      if (replica && pgUp) await replica.prune(usageBefore, responsesBefore).catch(pgFailed);
    },
    async stop(): Promise<void> {
      stopped = true;
      await exclusive(tick).catch(() => {});
      link?.stop();
      await pg?.close().catch(() => {});
    },
  };
}

export type SharedState = Awaited<ReturnType<typeof openSharedState>>;
