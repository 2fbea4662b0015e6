// Weeks of request-log history written straight into a stopped gateway's database, so the admin
// app's charts and tables are seen as a user with a month of use sees them. Deterministic (a
// fixed pattern, no randomness); costs at Sonnet-like rates ($3 in, $15 out, $0.30 cache read
// per million, $3.75 a 5-minute cache write), which is all a picture needs.
import { Database } from "bun:sqlite";

const models = ["claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-5"];
const clients = ["default", "phone-tavern", "laptop-code"];

export function seedHistory(dbPath: string, days = 30, now = Date.now()): number {
  const db = new Database(dbPath);
  const insert = db.prepare(
    `INSERT INTO usage (at, client, key_id, key_label, route, model, status, ttfb_ms, overhead_ms, duration_ms,
       input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
       cost_usd, saved_usd, web_searches, priced, stream_end, error_type, error_message)
     VALUES (?, ?, 'key_history', 'main key', ?, ?, ?, 900, 0.4, 4000, ?, ?, ?, ?, 0, ?, ?, 0, 1, ?, ?, ?)`,
  );
  let rows = 0;
  db.transaction(() => {
    for (let day = days - 1; day >= 1; day--) {
      // Quieter weekends, busier weekdays; a few days with nothing at all.
      if (day % 11 === 5) continue;
      const perDay = 4 + ((day * 7) % 9);
      for (let i = 0; i < perDay; i++) {
        const model = models[(day + i) % 3] as string;
        const client = clients[(day * 3 + i) % 3] as string;
        const input = 800 + ((day * 131 + i * 71) % 3000);
        const output = 200 + ((day * 37 + i * 53) % 900);
        const cacheRead = i % 2 === 0 ? 12_000 + ((day * 977) % 20_000) : 0;
        const cacheWrite = i % 5 === 0 ? 4000 : 0;
        const scale = model.includes("haiku") ? 1 / 3 : model.includes("opus") ? 5 / 3 : 1;
        const cost = ((input * 3 + output * 15 + cacheRead * 0.3 + cacheWrite * 3.75) / 1_000_000) * scale;
        // What the cache saved at those rates (caching/savings.ts): reads at full price, less reads and the write premium.
        const saved = ((cacheRead * (3 - 0.3) - cacheWrite * (3.75 - 3)) / 1_000_000) * scale;
        const failed = i === perDay - 1 && day % 4 === 0;
        insert.run(
          now - day * 86_400_000 - i * 600_000,
          client,
          client === "laptop-code" ? "code/messages" : i % 2 ? "chat" : "messages",
          model,
          failed ? 529 : 200,
          failed ? 0 : input,
          failed ? 0 : output,
          failed ? 0 : cacheRead,
          failed ? 0 : cacheWrite,
          failed ? 0 : cost,
          failed ? 0 : saved,
          failed ? null : "complete",
          failed ? "overloaded_error" : null,
          failed ? "Overloaded" : null,
        );
        rows++;
      }
    }
  })();
  // Really closed before the gateway opens the file: no statement left open, the WAL folded in.
  insert.finalize();
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close(true);
  return rows;
}
