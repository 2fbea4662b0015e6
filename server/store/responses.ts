// Stored responses (POST /v1/responses with `store` not false): the client's input items and
// the output items of each, chained by previous_response_id, so a follow-up that names one is
// expanded into the whole conversation. A client sees only its own. Kept for
// responses_retention_days (main.ts prunes).
import type { Database } from "../platform/sqlite.ts";

type Json = Record<string, unknown>;

export interface StoredResponse {
  readonly id: string;
  readonly client: string;
  readonly createdAt: number;
  readonly previousId: string | undefined;
  readonly input: readonly Json[];
  /** Output items as stored: reasoning items keep their sealed thinking. */
  readonly output: readonly Json[];
  /** The Response object as the client got it. */
  readonly response: Json;
}

interface Row {
  id: string;
  client: string;
  created_at: number;
  previous_id: string | null;
  input: string;
  output: string;
  response: string;
}

/** A chain longer than this is refused rather than walked (a loop, or a runaway client). */
export const MAX_CHAIN = 10_000;

/** With instances sharing state: how long after a first miss the others' changes are read again. */
const SECOND_LOOK_MS = 500;

/**
 * `refresh`, with instances sharing state (issue 20): reads the others' changes into this
 * database now. A response stored on another instance a moment ago (a tool loop's next turn
 * arriving through the load balancer at once) is then found rather than refused.
 */
export function responseStore(db: Database, refresh?: () => Promise<void>) {
  const get = (id: string, client: string): StoredResponse | undefined => {
    const row = db.get<Row>("SELECT * FROM stored_response WHERE id = ? AND client = ?", id, client);
    if (!row) return undefined;
    return {
      id: row.id,
      client: row.client,
      createdAt: row.created_at,
      previousId: row.previous_id ?? undefined,
      input: JSON.parse(row.input),
      output: JSON.parse(row.output),
      response: JSON.parse(row.response),
    };
  };
  /** `read`, and when it finds nothing, again after reading the others' changes (twice, apart). */
  const soon = async <T>(read: () => T | undefined): Promise<T | undefined> => {
    const found = read();
    if (found !== undefined || !refresh) return found;
    await refresh();
    const second = read();
    if (second !== undefined) return second;
    await new Promise((resolve) => setTimeout(resolve, SECOND_LOOK_MS));
    await refresh();
    return read();
  };
  return {
    /** get, also looking at what other instances stored a moment ago. */
    find: (id: string, client: string) => soon(() => get(id, client)),
    /** conversation, also looking at what other instances stored a moment ago. */
    findConversation(id: string, client: string): Promise<Json[] | undefined> {
      return soon(() => this.conversation(id, client));
    },
    save(r: StoredResponse): void {
      db.run(
        "INSERT OR REPLACE INTO stored_response (id, client, created_at, previous_id, input, output, response) VALUES (?, ?, ?, ?, ?, ?, ?)",
        r.id,
        r.client,
        r.createdAt,
        r.previousId ?? null,
        JSON.stringify(r.input),
        JSON.stringify(r.output),
        JSON.stringify(r.response),
      );
    },
    get,
    /**
     * Every item of the conversation up to and including response `id`, oldest first; undefined
     * when `id` (or one it follows) is not this client's or no longer kept.
     */
    conversation(id: string, client: string): Json[] | undefined {
      const chain: StoredResponse[] = [];
      let next: string | undefined = id;
      while (next !== undefined) {
        if (chain.length >= MAX_CHAIN) return undefined;
        const found = get(next, client);
        if (!found) return undefined;
        chain.push(found);
        next = found.previousId;
      }
      return chain.reverse().flatMap((r) => [...r.input, ...r.output]);
    },
    delete(id: string, client: string): boolean {
      if (!db.get("SELECT 1 AS found FROM stored_response WHERE id = ? AND client = ?", id, client)) return false;
      db.run("DELETE FROM stored_response WHERE id = ? AND client = ?", id, client);
      return true;
    },
    prune(before: number): void {
      db.run("DELETE FROM stored_response WHERE created_at < ?", before);
    },
  };
}

export type ResponseStore = ReturnType<typeof responseStore>;
