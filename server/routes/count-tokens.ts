// POST /v1/messages/count_tokens: forwarded like /v1/messages; a local estimate only when the
// upstream has no such endpoint (contract §0), e.g. an Anthropic-compatible server that lacks it.
import { sessionOf } from "../upstream/session.ts";
import { noteUpstream } from "./accounting.ts";
import type { RouteDeps } from "./deps.ts";
import { acceptMessagesRequest, routeNative } from "./messages.ts";
import { noteKey, noteRoute, type RequestDraft } from "./request-log.ts";
import { requestTarget } from "./target.ts";

/** About four characters a token: rough, but better than failing a client that only sizes a prompt. */
export function estimateInputTokens(parsed: Record<string, unknown>): number {
  const text = JSON.stringify([parsed.system ?? "", parsed.messages ?? [], parsed.tools ?? []]);
  return Math.max(1, Math.ceil(text.length / 4));
}

export function countTokensRoute(deps: RouteDeps) {
  return async (request: Request, draft: RequestDraft): Promise<Response> => {
    const accepted = await acceptMessagesRequest(request, deps, draft, false);
    const { credential, parsed } = accepted;
    const { body, resolution } = routeNative(deps, credential, accepted.body, parsed.model as string);
    noteRoute(draft, resolution);
    const result = await deps.callUpstream({
      session: sessionOf(request.headers, parsed),
      method: "POST",
      path: "/v1/messages/count_tokens",
      search: requestTarget(request.url).search,
      headers: request.headers,
      body,
      providers: resolution?.providers,
      credential,
      signal: request.signal,
      onKey: noteKey(draft),
    });
    const { response } = result;
    noteUpstream(draft, result);
    if (response.status !== 404) return response;
    // A 404 about the model is a real answer (unknown model); only a missing endpoint is estimated.
    const text = await response.text();
    if (/model/i.test(text)) return new Response(text, { status: 404, headers: response.headers });
    draft.error = undefined;
    return Response.json(
      { input_tokens: estimateInputTokens(parsed) },
      { headers: { "x-pocketgate-estimate": "true" } },
    );
  };
}
