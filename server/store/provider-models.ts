// The model ids each provider's own GET /v1/models reported (issue 17), kept so routing knows them
// after a restart. Anthropic's list lives in the model catalog (store/model-catalog.ts).
import type { Database } from "../platform/sqlite.ts";

export function providerModelStore(db: Database, now: () => number) {
  const known = new Map<string, ReadonlySet<string>>(
    db
      .all<{ provider: string; ids: string }>("SELECT provider, ids FROM provider_model")
      .map((r) => [r.provider, new Set(JSON.parse(r.ids) as string[])]),
  );
  const none: ReadonlySet<string> = new Set();
  return {
    ids: (provider: string): ReadonlySet<string> => known.get(provider) ?? none,
    save(provider: string, ids: readonly string[]): void {
      db.run(
        `INSERT INTO provider_model (provider, ids, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (provider) DO UPDATE SET ids = excluded.ids, fetched_at = excluded.fetched_at`,
        provider,
        JSON.stringify(ids),
        now(),
      );
      known.set(provider, new Set(ids));
    },
  };
}

export type ProviderModelStore = ReturnType<typeof providerModelStore>;
