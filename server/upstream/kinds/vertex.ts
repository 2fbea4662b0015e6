// Google Vertex AI (issue 19): rawPredict and streamRawPredict of the Anthropic publisher's model,
// a service account's OAuth token as the credential, the body adjusted as Vertex documents
// (https://platform.claude.com/docs/en/build-with-claude/claude-on-vertex-ai: no `model` in the
// body, anthropic_version "vertex-2023-10-16"); its SSE passes through, its errors are mapped.
// Addresses as the Anthropic Vertex SDK builds them (packages/vertex-sdk/src/client.ts).
import { parseServiceAccount } from "../../providers/cloud-credentials.ts";
import type { Provider } from "../../providers/registry.ts";
import { upstreamRequestHeaders } from "../headers.ts";
import {
  anthropicError,
  encodeBody,
  modelTable,
  noSuchEndpoint,
  parseBody,
  platformModel,
  platformName,
  poolCredential,
} from "./cloud-answers.ts";
import type { KindDeps, KindRequest, Prepared, ProviderKindModule } from "./kind.ts";
import { vertexError } from "./vertex-errors.ts";
import { vertexTokens } from "./vertex-token.ts";

const VERTEX_VERSION = "vertex-2023-10-16";

export function vertexKind(deps: KindDeps): ProviderKindModule {
  const tokens = vertexTokens(deps);

  function address(request: KindRequest, provider: Provider): { path: string; body: Uint8Array } | undefined {
    const base = `/projects/${provider.project}/locations/${provider.region}/publishers/anthropic/models`;
    const body = parseBody(request.body);
    body.anthropic_version ??= VERTEX_VERSION;
    if (request.path === "/v1/messages/count_tokens") {
      body.model = platformModel(provider, body.model);
      return { path: `${base}/count-tokens:rawPredict`, body: encodeBody(body) };
    }
    if (request.path !== "/v1/messages") return undefined;
    const id = platformModel(provider, body.model);
    delete body.model;
    const verb = body.stream === true ? "streamRawPredict" : "rawPredict";
    return { path: `${base}/${encodeURIComponent(id)}:${verb}`, body: encodeBody(body) };
  }

  return {
    async prepare(request: KindRequest, provider: Provider): Promise<Prepared> {
      if (request.method === "GET" && request.path === "/v1/models") return { answer: modelTable(provider) };
      const target = request.method === "POST" ? address(request, provider) : undefined;
      if (!target) return { answer: noSuchEndpoint(provider, request.path) };
      const read = poolCredential(request, provider, parseServiceAccount);
      if ("answer" in read) return read;
      const sa = read.credential;
      const got = await tokens.token(sa, provider.tokenUrl ?? "");
      if ("unreachable" in got) {
        return { answer: anthropicError(502, "api_error", `${platformName(provider)}: ${got.unreachable}`) };
      }
      if ("refused" in got) {
        return {
          answer: anthropicError(
            401,
            "authentication_error",
            `${platformName(provider)}: Google refused service account ${sa.client_email} (${got.refused}) — the key was deleted, disabled or has expired: create a new JSON key for it and paste it in the Keys page`,
          ),
        };
      }
      // The client's own headers (anthropic-beta among them) pass as to Anthropic; the token is the credential.
      const headers = upstreamRequestHeaders(
        request.headers,
        { kind: "pool", key: got.token },
        { auth: "bearer", headers: provider.headers },
      );
      // Google's own request headers (x-goog-user-project bills another project) are the operator's, not a client's.
      for (const name of [...headers.keys()]) if (name.startsWith("x-goog-")) headers.delete(name);
      headers.set("content-type", "application/json");
      return { url: `${provider.baseUrl}${target.path}`, headers, body: target.body };
    },

    async reply(response: Response, provider: Provider, request: KindRequest): Promise<Response> {
      if (response.status < 400) return response;
      if (response.status === 401 && request.credential.kind === "pool") {
        const sa = parseServiceAccount(request.credential.key);
        if (typeof sa !== "string") tokens.forget(sa, provider.tokenUrl ?? "");
      }
      return vertexError(response, provider, request);
    },
  };
}
