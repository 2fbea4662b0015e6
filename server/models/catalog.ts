// Every model's traits, from the freshest source there is: GET /v1/models (read at start when keys
// exist, then daily, and kept in the database), else the last list the database kept, else the
// built-in table. Lookups never wait on the network; `ready()` lets the first request wait briefly
// for the start-up read.
import { builtinModels } from "./builtin.ts";
import { type ModelInfo, type ModelTraits, traitsFromInfo, unknownTraits } from "./traits.ts";

export interface StoredCatalog {
  readonly infos: readonly ModelInfo[];
  readonly fetchedAt: number;
}

export interface CatalogDeps {
  /** What the database kept from the last successful read, if anything. */
  readonly load: () => StoredCatalog | undefined;
  readonly save: (catalog: StoredCatalog) => void;
  /** One page of GET /v1/models (`after` is the previous page's last_id); throws when upstream cannot answer. */
  readonly fetchPage: (after: string | undefined, signal: AbortSignal) => Promise<unknown>;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

export type CatalogSource = "upstream" | "database" | "builtin";

export interface CatalogStatus {
  readonly source: CatalogSource;
  readonly count: number;
  /** When the list in use was read from upstream (ms), if it was. */
  readonly fetchedAt: number | undefined;
  /** Why the last read failed, when it did. */
  readonly problem: string | undefined;
}

const MAX_PAGES = 20;
const MAX_MODELS = 2000;
const MAX_ID_LENGTH = 200;
const READ_BUDGET_MS = 10_000;

/** Parses one page; throws with a reason when it is not the Models API's shape. */
export function parseModelsPage(body: unknown): { infos: ModelInfo[]; hasMore: boolean; lastId: string | undefined } {
  const page = body as { data?: unknown; has_more?: unknown; last_id?: unknown } | null;
  if (typeof page !== "object" || page === null || !Array.isArray(page.data)) {
    throw new Error("the models list has no data array");
  }
  const infos: ModelInfo[] = [];
  for (const item of page.data) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== "string" || id === "" || id.length > MAX_ID_LENGTH) continue;
    infos.push(item as ModelInfo);
  }
  return {
    infos,
    hasMore: page.has_more === true,
    lastId: typeof page.last_id === "string" ? page.last_id : infos[infos.length - 1]?.id,
  };
}

/** A dated id and its alias name the same model: claude-haiku-4-5-20251001 ~ claude-haiku-4-5. */
const undated = (id: string) => id.replace(/-\d{8}$/, "");

export function createModelCatalog(deps: CatalogDeps) {
  let source: CatalogSource = "builtin";
  let fetchedAt: number | undefined;
  let problem: string | undefined;
  let byId = new Map<string, ModelTraits>();
  let ordered: { traits: ModelTraits; info: ModelInfo }[] = [];

  const use = (infos: readonly ModelInfo[], from: CatalogSource, at: number | undefined) => {
    ordered = infos.map((info) => ({ traits: traitsFromInfo(info, from), info }));
    byId = new Map();
    for (const { traits } of ordered) {
      byId.set(traits.id, traits);
      // The alias points at the newest dated snapshot (the list is newest first).
      if (!byId.has(undated(traits.id))) byId.set(undated(traits.id), traits);
    }
    source = from;
    fetchedAt = at;
  };

  try {
    const stored = deps.load();
    if (stored && stored.infos.length > 0) use(stored.infos, "database", stored.fetchedAt);
    else use(builtinModels, "builtin", undefined);
  } catch (error) {
    deps.log(`models: the saved model list cannot be read (${String(error)}); using the built-in one`);
    use(builtinModels, "builtin", undefined);
  }

  let inFlight: Promise<CatalogStatus> | undefined;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let firstRead: Promise<unknown> = Promise.resolve();
  let firstReadDone = true;

  async function read(): Promise<CatalogStatus> {
    lastAttempt = deps.now();
    const signal = AbortSignal.timeout(READ_BUDGET_MS);
    try {
      const infos: ModelInfo[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const parsed = parseModelsPage(await deps.fetchPage(after, signal));
        infos.push(...parsed.infos);
        if (!parsed.hasMore || !parsed.lastId || infos.length >= MAX_MODELS) break;
        after = parsed.lastId;
      }
      if (infos.length === 0) throw new Error("upstream listed no models");
      const at = deps.now();
      use(infos.slice(0, MAX_MODELS), "upstream", at);
      problem = undefined;
      deps.log(`models: read ${ordered.length} models from upstream`);
      try {
        deps.save({ infos: infos.slice(0, MAX_MODELS), fetchedAt: at });
      } catch (error) {
        deps.log(`models: could not keep the model list in the database: ${String(error)}`);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== problem)
        deps.log(`models: could not read the model list from upstream (${reason}); using the ${source} list`);
      problem = reason;
    }
    return status();
  }

  function status(): CatalogStatus {
    return { source, count: ordered.length, fetchedAt, problem };
  }

  return {
    /** The model's traits; an id nobody lists gets conservative ones. */
    traits(model: string): ModelTraits {
      return byId.get(model) ?? byId.get(undated(model)) ?? unknownTraits(model);
    },
    /** Whether any source describes the model. */
    knows(model: string): boolean {
      return byId.has(model) || byId.has(undated(model));
    },
    /** Every model with the record it was read from, newest first. */
    list(): readonly { traits: ModelTraits; info: ModelInfo }[] {
      return ordered;
    },
    status,
    /** Reads upstream now (one read at a time; callers share it). */
    refresh(): Promise<CatalogStatus> {
      inFlight ??= read().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    /** Reads upstream if the last attempt is older than `maxAgeMs`. */
    refreshIfOlder(maxAgeMs: number): Promise<CatalogStatus> {
      return deps.now() - lastAttempt < maxAgeMs ? Promise.resolve(status()) : this.refresh();
    },
    /** The start-up read: requests may wait for it, at most `budgetMs`. */
    start(): void {
      firstReadDone = false;
      firstRead = this.refresh().finally(() => {
        firstReadDone = true;
      });
    },
    ready(budgetMs: number): Promise<void> {
      // After the start-up read, no wait and no timer per request.
      if (firstReadDone) return Promise.resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = new Promise((resolve) => {
        timer = setTimeout(resolve, budgetMs);
      });
      return Promise.race([firstRead, budget]).then(() => clearTimeout(timer));
    },
  };
}

export type ModelCatalog = ReturnType<typeof createModelCatalog>;
