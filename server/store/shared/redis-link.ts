// The link to Redis (issue 20): one connection for commands, one for notices, both opened again
// (every second) after Redis is lost. While it is down, commands fail at once (nothing queues, so
// no request waits for it) and the caller keeps to its local state.
import { connectRedis, type RedisConnection } from "../../platform/shared-clients.ts";

/** A command that takes longer than this is treated as Redis being unavailable. */
const COMMAND_MS = 250;
const RETRY_MS = 1000;

export interface RedisLinkDeps {
  readonly url: string;
  /** Channel of notices between instances. */
  readonly channel: string;
  readonly onNotice: (message: string) => void;
  /** Connected (at start, or again after a loss): state kept meanwhile can be read again. */
  readonly onJoin: () => void;
  readonly log: (line: string) => void;
}

class SharedUnavailable extends Error {
  override name = "SharedUnavailable";
}

export function createRedisLink(deps: RedisLinkDeps) {
  let commands: RedisConnection | undefined;
  let notices: RedisConnection | undefined;
  let up = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastError = "";

  const lost = (reason: string) => {
    const wasUp = up;
    up = false;
    commands?.close();
    notices?.close();
    commands = notices = undefined;
    if (wasUp) {
      deps.log(`shared state: Redis lost (${reason}); using this instance's own state until it returns`);
    }
    schedule();
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RETRY_MS);
    (timer as { unref?: () => void }).unref?.();
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const opened: RedisConnection[] = [];
    try {
      const c = await connectRedis(deps.url);
      opened.push(c);
      const n = await connectRedis(deps.url);
      opened.push(n);
      c.onClose(() => lost("connection closed"));
      n.onClose(() => lost("connection closed"));
      await n.subscribe(deps.channel, deps.onNotice);
      commands = c;
      notices = n;
      up = true;
      deps.log("shared state: Redis connected");
      deps.onJoin();
    } catch (error) {
      // Half a link is no link: what did open is closed before the next try.
      for (const connection of opened) connection.close();
      const message = (error as Error).message;
      if (message !== lastError) deps.log(`shared state: Redis unreachable (${message}); trying again every second`);
      lastError = message;
      lost(message);
    }
  }

  return {
    /** Connects (or starts trying to). */
    start: connect,
    up: () => up,
    async send(command: string, args: readonly string[]): Promise<unknown> {
      const link = commands;
      if (!up || !link) throw new SharedUnavailable("Redis is unavailable");
      let timeout: ReturnType<typeof setTimeout> | undefined;
      try {
        return await Promise.race([
          link.send(command, args),
          new Promise((_, reject) => {
            timeout = setTimeout(
              () => reject(new SharedUnavailable(`Redis did not answer ${command} in time`)),
              COMMAND_MS,
            );
          }),
        ]);
      } finally {
        clearTimeout(timeout);
      }
    },
    /** Sends a notice to the other instances; lost quietly when Redis is down. */
    notify(message: string): void {
      if (up && commands) commands.publish(deps.channel, message).catch(() => {});
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      commands?.close();
      notices?.close();
    },
  };
}

export type RedisLink = ReturnType<typeof createRedisLink>;
