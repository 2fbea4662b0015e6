// An Anthropic-format endpoint (Anthropic itself, or a compatible provider): the request goes as
// it came, with hygienic headers and the pool key as the provider takes it (contract §2).
import type { Provider } from "../../providers/registry.ts";
import { upstreamRequestHeaders } from "../headers.ts";
import type { KindRequest, Prepared, ProviderKindModule } from "./kind.ts";

export const anthropicKind: ProviderKindModule = {
  async prepare(request: KindRequest, provider: Provider): Promise<Prepared> {
    return {
      url: `${provider.baseUrl}${request.path}${request.search}`,
      headers: upstreamRequestHeaders(request.headers, request.credential, provider),
      ...(request.body === undefined ? {} : { body: request.body }),
    };
  },
  reply: (response) => response,
};
