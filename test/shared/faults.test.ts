// Shared state going away under traffic (issue 20): Redis, then PostgreSQL, stopped and started
// again while two instances serve. No request fails because of it, the degraded status shows, and
// the usage kept meanwhile is written when PostgreSQL returns: all of it below the bound, and past
// the bound the oldest are dropped and counted. Also: two instances starting together migrate once.
import { describe, expect, test } from "bun:test";
import { adminCall } from "../harness/admin.ts";
import { clientHeaders, type Gateway, startGateway, tempDir } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";
import { startPostgres, startRedis, within } from "../harness/shared-services.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

interface Health {
  status: string;
  message?: string;
  shared?: { redis: string; database: string; usage_waiting: number; usage_dropped: number };
}
const health = async (g: Gateway) => (await (await fetch(`${g.url}/health`)).json()) as Health;

/** Sequential requests alternating between the instances until stopped; every status kept. */
function traffic(gateways: readonly Gateway[]) {
  const statuses: number[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const gateway = gateways[i % gateways.length] as Gateway;
      const body = messagesBody({ messages: [{ role: "user", content: `request ${i}` }] });
      const response = await postMessages(gateway.url, { body }).catch(() => undefined);
      statuses.push(response?.status ?? 0);
      await response?.arrayBuffer();
      await Bun.sleep(5);
    }
  })();
  return {
    statuses,
    async stop() {
      running = false;
      await done;
    },
  };
}

const countRows = async (query: (sql: string) => Promise<Record<string, unknown>[]>) =>
  Number((await query("SELECT count(*) AS n FROM usage WHERE client = 'default' AND route = 'messages'"))[0]?.n);

describe("shared state going away under traffic", () => {
  test("Redis, then PostgreSQL, stopped mid-traffic: every request served, degraded shown, buffered usage written after", async () => {
    await using mock = startMockUpstream();
    await using redis = await startRedis();
    await using postgres = await startPostgres();
    const env = {
      POCKETGATE_REDIS_URL: redis.url,
      POCKETGATE_DATABASE_URL: await postgres.createDatabase("faults"),
      POCKETGATE_SHARED_PREFIX: "faults",
    };
    await using a = await startGateway({ upstream: mock.url, env });
    await using b = await startGateway({ upstream: mock.url, env });
    const load = traffic([a, b]);
    await within(5000, "some traffic", async () => load.statuses.length >= 20);

    await redis.stop();
    await within(5000, "degraded after Redis stopped", async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      return ha.status === "degraded" && hb.status === "degraded" && ha.shared?.redis === "down";
    });
    expect((await health(a)).message).toBe("degraded: shared state unavailable (Redis)");
    const duringRedis = load.statuses.length;
    await within(5000, "traffic without Redis", async () => load.statuses.length >= duringRedis + 20);

    await postgres.stop();
    await within(5000, "PostgreSQL seen down", async () => (await health(a)).shared?.database === "down");
    expect((await health(b)).message).toBe("degraded: shared state unavailable (Redis and PostgreSQL)");
    // The dashboard says so too, and admin changes are refused with the reason (nothing changed).
    const status = await adminCall(a, "GET", "/status");
    expect(status.json.health.reasons).toContainEqual(
      expect.objectContaining({ code: "shared_unavailable", services: ["Redis", "PostgreSQL"] }),
    );
    const refused = await adminCall(b, "POST", "/clients", { name: "while-down" });
    expect(refused.status).toBe(503);
    expect(refused.json.error.message).toContain("PostgreSQL");
    expect(refused.json.error.message).toContain("nothing was changed");
    // Testing a key changes nothing the others must agree on: it still works.
    const keys = await adminCall(a, "GET", "/keys");
    const tested = await adminCall(a, "POST", `/keys/${keys.json.keys[0].id}/test`);
    expect(tested.status).toBe(200);
    const duringBoth = load.statuses.length;
    await within(5000, "traffic without either", async () => load.statuses.length >= duringBoth + 20);
    await within(3000, "usage waiting", async () => ((await health(a)).shared?.usage_waiting ?? 0) > 0);

    await redis.start();
    await postgres.start();
    await within(10_000, "healthy again", async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      return ha.status === "ok" && hb.status === "ok";
    });
    await load.stop();
    expect(load.statuses.length).toBeGreaterThan(60);
    expect(load.statuses.filter((s) => s !== 200)).toEqual([]);
    // Every request's row reached PostgreSQL (nothing lost below the bound), and A shows both instances' rows.
    const sent = load.statuses.length;
    await within(
      5000,
      "rows written",
      async () => (await countRows((sql) => postgres.query("faults", sql)).catch(() => 0)) === sent,
    );
    expect((await health(a)).shared).toMatchObject({ usage_waiting: 0, usage_dropped: 0 });
    await within(3000, "A's usage", async () => {
      const usage = await adminCall(a, "GET", "/usage?by=client&days=1");
      return usage.json.rows.find((r: { group: string }) => r.group === "default")?.requests === sent;
    });
    // Admin changes work again.
    expect((await adminCall(b, "POST", "/clients", { name: "after" })).status).toBe(200);
  }, 90_000);

  test("past shared_usage_buffer the oldest waiting rows are dropped and counted; the rest are written", async () => {
    await using mock = startMockUpstream();
    await using postgres = await startPostgres();
    const url = await postgres.createDatabase("bounded");
    await using gateway = await startGateway({
      upstream: mock.url,
      env: { POCKETGATE_DATABASE_URL: url, POCKETGATE_SHARED_USAGE_BUFFER: "10" },
    });
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const response = await postMessages(gateway.url);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
    };
    await send(3);
    const query = (sql: string) => postgres.query("bounded", sql);
    await within(3000, "first rows", async () => (await countRows(query)) === 3);
    await postgres.stop();
    await within(5000, "PostgreSQL seen down", async () => (await health(gateway)).shared?.database === "down");
    await send(15);
    await within(5000, "the bound kept", async () => (await health(gateway)).shared?.usage_dropped === 5);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain("pocketgate_shared_usage_dropped_total 5");
    expect(metrics).toContain("pocketgate_shared_usage_waiting 10");
    expect(metrics).toContain('pocketgate_shared_store_up{store="postgres"} 0');
    await postgres.start();
    await within(10_000, "written", async () => (await countRows(query).catch(() => 0)) === 13);
    expect((await health(gateway)).shared).toMatchObject({ usage_waiting: 0, usage_dropped: 5 });
    // This instance's own log kept all 18.
    const usage = await adminCall(gateway, "GET", "/usage?by=client&days=1");
    expect(usage.json.rows.find((r: { group: string }) => r.group === "default")?.requests).toBe(18);
  }, 60_000);

  test("two instances started at the same moment on an empty database migrate it once; without Redis, a client key made on A works on B at once (B asks PostgreSQL)", async () => {
    await using mock = startMockUpstream();
    await using postgres = await startPostgres();
    const url = await postgres.createDatabase("empty");
    const env = { POCKETGATE_DATABASE_URL: url };
    const [a, b] = await Promise.all([
      startGateway({ upstream: mock.url, env }),
      startGateway({ upstream: mock.url, env }),
    ]);
    await using _a = a;
    await using _b = b;
    const rows = await postgres.query("empty", "SELECT version, applied_by FROM schema_migration ORDER BY version");
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.version)).size).toBe(rows.length);
    const migrated = [a, b].filter((g) => /PostgreSQL schema migrated/.test(g.stderr()));
    expect(migrated).toHaveLength(1);
    // Both serve, and each sees the other's client key.
    const made = await adminCall(a, "POST", "/clients", { name: "both" });
    const response = await postMessages(b.url, {
      headers: clientHeaders({ "x-api-key": made.json.key }),
    });
    expect(response.status).toBe(200);
  });
  test("an instance that ran alone joins a team: its client keys and usage are sent; pointed at another database later, it sends them there too", async () => {
    await using mock = startMockUpstream();
    await using postgres = await startPostgres();
    const dataDir = tempDir();
    {
      await using alone = await startGateway({ upstream: mock.url, dataDir });
      expect((await adminCall(alone, "POST", "/clients", { name: "from-before" })).status).toBe(200);
      for (let i = 0; i < 3; i++) await (await postMessages(alone.url)).arrayBuffer();
    }
    const query = (database: string) => (sql: string) => postgres.query(database, sql);
    for (const database of ["joined_first", "joined_second"]) {
      const url = await postgres.createDatabase(database);
      await using joined = await startGateway({ upstream: mock.url, dataDir, env: { POCKETGATE_DATABASE_URL: url } });
      await within(5000, `rows in ${database}`, async () => (await countRows(query(database)).catch(() => 0)) === 3);
      const names = await postgres.query(database, "SELECT name FROM client_key WHERE NOT deleted ORDER BY name");
      expect(names.map((r) => r.name)).toEqual(["default", "from-before"]);
      expect((await health(joined)).status).toBe("ok");
    }
  });
});
