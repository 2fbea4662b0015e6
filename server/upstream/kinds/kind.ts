// One interface for every provider kind (design: "one small module per provider kind behind one
// interface: sign/address a request, decode its reply into SSE"). The upstream client calls
// prepare() before its fetch and reply() on what came back; everything after that (pool
// outcomes, failover, the idle guard, usage, translation) sees Anthropic's shapes only.
import type { UpstreamFetch } from "../../platform/upstream-fetch.ts";
import type { Provider } from "../../providers/registry.ts";
import type { UpstreamAuth } from "../headers.ts";

export interface KindRequest {
  readonly method: string;
  /** Anthropic's path: /v1/messages, /v1/messages/count_tokens, /v1/models. */
  readonly path: string;
  readonly search: string;
  /** The client's headers, as received. */
  readonly headers: Headers;
  readonly body?: Uint8Array;
  readonly credential: UpstreamAuth;
}

export type Prepared =
  | { readonly url: string; readonly headers: Headers; readonly body?: Uint8Array }
  /** Answered without a call to the platform (a refused credential, an endpoint it lacks). */
  | { readonly answer: Response };

export interface ProviderKindModule {
  prepare(request: KindRequest, provider: Provider): Promise<Prepared>;
  /** The platform's reply in Anthropic's shapes: SSE for a stream, Anthropic error bodies. */
  reply(response: Response, provider: Provider, request: KindRequest): Response | Promise<Response>;
}

export interface KindDeps {
  /** For a platform's own side calls (Vertex's token exchange). */
  readonly fetch: UpstreamFetch;
  readonly now: () => number;
}
