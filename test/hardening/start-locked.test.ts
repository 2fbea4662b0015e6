// A gateway that starts while another process still has its database locked (a restart whose old
// process is closing the file, `pocketgate doctor`, a backup tool) waits for it instead of exiting
// with "database is locked" (seen once in CI: the first statement ran before the busy timeout).

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runtime, startGateway, tempDir } from "../harness/gateway.ts";

test(`a start during another process's lock on the database waits for it, on ${runtime}`, async () => {
  const dataDir = tempDir();
  try {
    const first = await startGateway({ dataDir });
    await first.stop();
    const other = new Database(join(dataDir, "pocketgate.db"));
    other.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
    const released = Bun.sleep(1500).then(() => {
      other.exec("COMMIT");
      other.close(true);
    });
    await using gateway = await startGateway({ dataDir });
    await released;
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
