// Writes that wait up to FLUSH_MS, then go in together in one transaction: a reply is never held
// up by the database, and a commit (about 20 µs, and now and then a checkpoint's fsync) is paid
// ten times a second instead of once per request. The price: a kill -9 loses what was queued in
// the last FLUSH_MS. Queues belong to their database, so every store over it shares them, reads
// flush first, and `flushAll` (at shutdown) empties them all.
import type { Database } from "../platform/sqlite.ts";

export interface WriteQueue<K, V> {
  /** Queues a write; a later one with the same key replaces it. */
  put(key: K, value: V): void;
  /** Writes everything queued now (reads call this first). */
  flush(): void;
}

export const FLUSH_MS = 100;
/** A burst this large is written at once rather than held. */
const MAX_QUEUED = 1000;

const queues = new WeakMap<Database, Map<string, WriteQueue<unknown, unknown>>>();

export function writeBehind<K, V>(db: Database, name: string, write: (key: K, value: V) => void): WriteQueue<K, V> {
  let byName = queues.get(db);
  if (!byName) {
    byName = new Map();
    queues.set(db, byName);
  }
  const existing = byName.get(name);
  if (existing) return existing as WriteQueue<K, V>;
  let pending = new Map<K, V>();
  let scheduled = false;
  const queue: WriteQueue<K, V> = {
    put(key, value) {
      pending.set(key, value);
      if (pending.size >= MAX_QUEUED) queue.flush();
      else if (!scheduled) {
        scheduled = true;
        setTimeout(queue.flush, FLUSH_MS);
      }
    },
    flush() {
      scheduled = false;
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      db.transaction(() => {
        for (const [key, value] of batch) write(key, value);
      });
    },
  };
  byName.set(name, queue as WriteQueue<unknown, unknown>);
  return queue;
}

/** Writes every queue of this database now (before closing it). */
export function flushAll(db: Database): void {
  for (const queue of queues.get(db)?.values() ?? []) queue.flush();
}
