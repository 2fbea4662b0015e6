// What GET /v1/models adds for the other providers (issue 17): each enabled provider's models
// (listed in the config, patterns left out, or read from its own /v1/models), then every alias
// whose provider is enabled. Each id listed routes somewhere (providers/route.ts). Pure.
import type { Config } from "../config/schema.ts";
import type { ModelTraits } from "../models/traits.ts";
import type { ModelEntry } from "../protocol/anthropic/models.ts";
import { ANTHROPIC } from "./config.ts";
import { providersOf } from "./registry.ts";

export function providerModelEntries(
  config: Config,
  /** Ids the provider's own /v1/models gave. */
  reported: (provider: string) => Iterable<string>,
  traits: (model: string) => ModelTraits,
  /** Ids already in the list (Anthropic's): not repeated. */
  listed: ReadonlySet<string>,
): ModelEntry[] {
  const seen = new Set(listed);
  const entries: ModelEntry[] = [];
  const enabled = providersOf(config).filter((p) => p.enabled);
  for (const provider of enabled) {
    const ids = [...provider.models.filter((m) => !m.endsWith("*"))];
    if (provider.name !== ANTHROPIC) ids.push(...reported(provider.name));
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      // Shown as the provider lists it (a cloud provider's "claude-sonnet-4-5", not the dated id it resolves to).
      entries.push({ traits: traits(id), id, ownedBy: provider.name });
    }
  }
  const names = new Set(enabled.map((p) => p.name));
  for (const [alias, target] of Object.entries(config.model_aliases)) {
    const [provider = "", ...rest] = target.split("/");
    if (seen.has(alias) || !names.has(provider)) continue;
    seen.add(alias);
    const model = rest.join("/");
    entries.push({ traits: traits(model), id: alias, displayName: `${alias} → ${target}`, ownedBy: provider });
  }
  return entries;
}
