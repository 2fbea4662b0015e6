// kill -9 while the admin app saves settings (issue 11, defects 4 and 13): three writers save
// their own setting over and over, the gateway is killed mid-stream of saves, restarted on the
// same data dir, ten times. Each time the file parses, every acknowledged save is there (or the
// one after it, written but not yet answered), and no temp copy is left for long.
import { expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { adminLogin } from "../harness/admin.ts";
import { CLIENT_KEY, runtime, startGateway, tempDir, UPSTREAM_KEY } from "../harness/gateway.ts";
import { startMockUpstream } from "../harness/mock-upstream.ts";

const KILLS = 10;
const PASSWORD = "crash-admin-password-0123456789";
const KEYS = ["first_byte_timeout", "stream_idle_timeout", "usage_retention_days"] as const;

test(`kill -9 during saves, ${KILLS} times, on ${runtime}: every acknowledged save survives`, async () => {
  await using mock = startMockUpstream();
  const dataDir = tempDir();
  const path = join(dataDir, "pocketgate.toml");
  writeFileSync(path, `admin_password = "${PASSWORD}"\n`);
  const acknowledged: Record<string, number> = {
    first_byte_timeout: 0,
    stream_idle_timeout: 0,
    usage_retention_days: 0,
  };
  let saves = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const gateway = await startGateway({
      upstream: mock.url,
      dataDir,
      fresh: true,
      env: { POCKETGATE_PASSWORD: CLIENT_KEY, POCKETGATE_UPSTREAM_KEYS: UPSTREAM_KEY },
    });
    const token = await adminLogin(gateway, PASSWORD);
    let running = true;
    const writers = KEYS.map(async (key) => {
      while (running) {
        const value = (acknowledged[key] ?? 0) + 1;
        const response = await fetch(`${gateway.url}/api/settings`, {
          method: "PATCH",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ [key]: value }),
        }).catch(() => undefined);
        if (response?.status !== 200) break;
        acknowledged[key] = value;
        saves++;
      }
    });
    await Bun.sleep(150 + ((kill * 37) % 200));
    await gateway.crash();
    running = false;
    await Promise.all(writers);

    const file = parse(readFileSync(path, "utf8")) as Record<string, number>;
    for (const key of KEYS) {
      const ack = acknowledged[key] ?? 0;
      if (ack > 0) expect([ack, ack + 1], `${key} after kill ${kill + 1}`).toContain(file[key] ?? -1);
      acknowledged[key] = file[key] ?? ack;
    }
    expect(file.admin_password_hash).toBeString();
  }
  // The next start removes temp copies a minute old; none should be left that are not.
  const temps = readdirSync(dataDir).filter((name) => name.endsWith(".tmp"));
  console.log(`${KILLS} kills during ${saves} acknowledged saves; temp copies left by the kills: ${temps.length}`);
  expect(saves).toBeGreaterThan(KILLS * 3);
}, 120_000);
