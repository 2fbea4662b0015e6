// The clients for shared state (issue 20): Bun's built-in PostgreSQL (Bun.SQL) and Redis
// (Bun.RedisClient). Chosen because they ship inside the runtime: the compiled executable a team
// server runs has them with nothing added to any build, the phone's bundle carries no byte of
// them, and they are loaded only here, only when database_url or redis_url is set. Node has no
// built-in client, so shared state needs Bun (the executable, or `bun`); on Node, start says so.
// https://bun.com/docs/api/sql · https://bun.com/docs/api/redis
import { isBun } from "./runtime.ts";

export type SqlParam = string | number | boolean | null;
export type SqlRow = Record<string, unknown>;

export interface Postgres {
  /** One statement with $1… parameters. */
  query(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Several statements in one transaction (BEGIN … COMMIT; ROLLBACK on a throw). */
  transaction<T>(work: (query: Postgres["query"]) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface RedisConnection {
  readonly connected: boolean;
  send(command: string, args: readonly string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  /** Called once when the connection is lost (we reconnect ourselves: see store/shared/redis.ts). */
  onClose(listener: () => void): void;
  close(): void;
}

export class SharedStateUnsupported extends Error {
  override name = "SharedStateUnsupported";
}

interface BunSqlClient {
  unsafe(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  begin<T>(work: (tx: BunSqlClient) => Promise<T>): Promise<T>;
  close(options?: { timeout?: number }): Promise<void>;
}
interface BunRedisClient {
  readonly connected: boolean;
  onclose: ((error: Error) => void) | null;
  connect(): Promise<void>;
  send(command: string, args: string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  close(): void;
}
interface BunShared {
  SQL: new (options: Record<string, unknown>) => BunSqlClient;
  RedisClient: new (url: string, options: Record<string, unknown>) => BunRedisClient;
}

function bun(what: string): BunShared {
  if (!isBun) {
    throw new SharedStateUnsupported(
      `${what} needs the Bun runtime (the pocketgate executable, or \`bun\`): Node has no built-in client for it. Run this instance with Bun, or remove ${what} to use the embedded database.`,
    );
  }
  return (globalThis as unknown as { Bun: BunShared }).Bun;
}

const wrapSql =
  (client: BunSqlClient): Postgres["query"] =>
  (sql, params = []) =>
    client.unsafe(sql, params);

export function openPostgres(url: string): Postgres {
  const { SQL } = bun("database_url");
  // A failed connection is retried by the next query; none waits longer than this for one.
  const client = new SQL({ url, max: 4, connectionTimeout: 3, idleTimeout: 60 });
  return {
    query: wrapSql(client),
    transaction: (work) => client.begin((tx) => work(wrapSql(tx))),
    close: () => client.close({ timeout: 1 }),
  };
}

/** One connection; it does not reconnect by itself (the caller decides when to try again). */
export async function connectRedis(url: string): Promise<RedisConnection> {
  const { RedisClient } = bun("redis_url");
  const client = new RedisClient(url, { autoReconnect: false, enableOfflineQueue: false, connectionTimeout: 1000 });
  const closed: (() => void)[] = [];
  let done = false;
  client.onclose = () => {
    if (done) return;
    done = true;
    for (const listener of closed) listener();
  };
  await client.connect();
  return {
    get connected() {
      return client.connected;
    },
    send: (command, args) => client.send(command, [...args]),
    publish: (channel, message) => client.publish(channel, message),
    subscribe: (channel, listener) => client.subscribe(channel, (message) => listener(message)),
    onClose: (listener) => {
      closed.push(listener);
    },
    close: () => {
      done = true;
      client.close();
    },
  };
}
