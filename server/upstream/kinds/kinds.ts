// The module that speaks to each kind of provider (providers/cloud-config.ts ProviderKind).
import type { Provider } from "../../providers/registry.ts";
import { anthropicKind } from "./anthropic.ts";
import { bedrockKind } from "./bedrock.ts";
import type { KindDeps, ProviderKindModule } from "./kind.ts";
import { vertexKind } from "./vertex.ts";

export function providerKinds(deps: KindDeps): (provider: Provider) => ProviderKindModule {
  const vertex = vertexKind(deps);
  return (provider) =>
    provider.kind === "bedrock" ? bedrockKind : provider.kind === "vertex" ? vertex : anthropicKind;
}
