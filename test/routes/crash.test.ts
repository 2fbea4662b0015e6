// kill -9 in the middle of 50 requests: after a restart the config, the key states and the
// usage rows are intact, and every file parses.

import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { FLUSH_MS } from "../../server/store/write-behind.ts";
import { adminKeys, adminLogin } from "../harness/admin.ts";
import { clientHeaders, runtime, startGateway, tempDir } from "../harness/gateway.ts";
import { defaultResponder, type MockReply, startMockUpstream, textStream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages } from "../harness/suite.ts";

const A = "sk-ant-api03-crash-A-aaaaaaaa";
const B = "sk-ant-api03-crash-B-bbbbbbbb";

describe(`crash safety on ${runtime}`, () => {
  test(
    "kill -9 during 50 parallel requests, then restart: config, key states and usage intact",
    async () => {
      await using mock = startMockUpstream();
      mock.reply((r): MockReply | Promise<MockReply> => {
        if (r.headers.get("x-api-key") === A) return { status: 429, headers: { "retry-after": "600" }, body: "{}" };
        const n = Number(/q(\d+)/.exec(r.text())?.[1] ?? 0);
        // Half answer at once, half stream slowly and are cut by the crash.
        if (n < 25) return defaultResponder(r);
        return {
          headers: { "content-type": "text/event-stream" },
          chunks: textStream("slow slow slow slow"),
          chunkDelayMs: 500,
        };
      });
      const dataDir = tempDir();
      const env = { POCKETGATE_UPSTREAM_KEYS: `${A},${B}` };
      const first = await startGateway({ upstream: mock.url, env, dataDir, fresh: true });
      const clientKey = /Client key:\s+(\S+)/.exec(first.stdout())?.[1] ?? "";
      const headers = clientHeaders({ "x-api-key": clientKey });

      // The quick half completes; the slow half is in flight when the process is killed.
      const quick = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          postMessages(first.url, {
            headers,
            body: messagesBody({ messages: [{ role: "user", content: `q${i}` }] }),
          }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      expect(quick.every((s) => s === 200)).toBe(true);
      // Usage rows are written behind the replies, at most FLUSH_MS later (store/write-behind.ts):
      // what finished longer ago than that must survive the kill.
      await Bun.sleep(FLUSH_MS * 2);
      const slow = Array.from({ length: 25 }, (_, i) =>
        postMessages(first.url, {
          headers,
          body: messagesBody({ stream: true, messages: [{ role: "user", content: `q${25 + i}` }] }),
        })
          .then((r) => r.text())
          .catch(() => "cut"),
      );
      while (mock.requests.filter((r) => r.text().includes('"stream":true')).length < 25) await Bun.sleep(10);
      await first.crash();
      await Promise.all(slow);

      // Every file parses.
      const config = parse(readFileSync(join(dataDir, "pocketgate.toml"), "utf8"));
      expect(config.password).toBe(clientKey);
      const db = new Database(join(dataDir, "pocketgate.db"));
      expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      db.close();

      await using second = await startGateway({ upstream: mock.url, env, dataDir, fresh: true });
      expect(second.stdout()).not.toContain(clientKey);
      mock.reply(defaultResponder);
      expect((await postMessages(second.url, { headers })).status).toBe(200);
      const adminPassword = /Admin password:\s+(\S+)/.exec(first.stdout())?.[1] ?? "";
      const session = await adminLogin(second, adminPassword);
      const keys = await adminKeys(second, session);
      expect(keys.find((k) => k.label.endsWith(A.slice(-4)))).toMatchObject({
        state: "cooling",
        reason: "rate_limited",
      });
      const rows = (
        (await (
          await fetch(`${second.url}/api/requests`, { headers: { authorization: `Bearer ${session}` } })
        ).json()) as {
          rows: { status: number; output_tokens: number }[];
        }
      ).rows;
      // The 25 finished before the crash, and the one made after the restart.
      expect(rows.filter((r) => r.status === 200 && r.output_tokens === 9).length).toBeGreaterThanOrEqual(26);
    },
    { timeout: 60_000 },
  );
});
