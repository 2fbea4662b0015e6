// The last model list read from GET /v1/models, in the embedded database (one row per model,
// in upstream's order), so traits survive a restart without network.
import type { StoredCatalog } from "../models/catalog.ts";
import type { ModelInfo } from "../models/traits.ts";
import type { Database } from "../platform/sqlite.ts";

export function modelCatalogStore(db: Database) {
  return {
    load(): StoredCatalog | undefined {
      const rows = db.all<{ info: string; fetched_at: number }>(
        "SELECT info, fetched_at FROM model_info ORDER BY position",
      );
      if (rows.length === 0) return undefined;
      const infos: ModelInfo[] = [];
      for (const row of rows) {
        try {
          infos.push(JSON.parse(row.info) as ModelInfo);
        } catch {}
      }
      return { infos, fetchedAt: rows[0]?.fetched_at ?? 0 };
    },
    save(catalog: StoredCatalog): void {
      db.transaction(() => {
        db.run("DELETE FROM model_info");
        catalog.infos.forEach((info, position) => {
          db.run(
            "INSERT INTO model_info (position, id, info, fetched_at) VALUES (?, ?, ?, ?)",
            position,
            info.id,
            JSON.stringify(info),
            catalog.fetchedAt,
          );
        });
      });
    },
  };
}
