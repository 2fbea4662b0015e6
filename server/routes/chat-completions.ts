// POST /v1/chat/completions: OpenAI in, Anthropic upstream (always streamed), OpenAI out —
// streamed to streaming clients, re-assembled for the rest (contract §4, §6).
import { newRequestId } from "../errors.ts";
import { translateRequest } from "../protocol/translate/request.ts";
import { accumulate, createAccumulator, toCompletion } from "../protocol/translate/response.ts";
import { createStreamState } from "../protocol/translate/stream.ts";
import { clientName } from "./accounting.ts";
import { chatTranslator, pumpTranslated, translatedStream } from "./chat-stream.ts";
import type { RouteDeps } from "./deps.ts";
import { acceptOpenAiRequest, callTranslated, midStreamStatus, openAiError, pinnedModel } from "./openai-upstream.ts";
import type { RequestDraft } from "./request-log.ts";

export function chatCompletionsRoute(deps: RouteDeps) {
  const fittingLogged = new Set<string>();
  return async (request: Request, draft: RequestDraft): Promise<Response> => {
    const { credential, parsed } = await acceptOpenAiRequest(request, deps, draft);
    const pinned = pinnedModel(deps, credential, parsed);
    const translated = translateRequest(parsed, deps.models.traits);
    draft.model = String(translated.body.model);
    draft.fitted = translated.fitted;
    logFitting(deps, fittingLogged, clientName(credential), String(translated.body.model), translated.fitted);

    const upstream = await callTranslated(deps, request, draft, credential, parsed, translated.body, pinned);
    if (upstream.status >= 400 || !upstream.body) return openAiError(upstream);

    const state = createStreamState({
      id: `chatcmpl-${newRequestId().slice("req_pg_".length)}`,
      model: translated.clientModel,
      created: Math.floor(deps.now() / 1000),
      includeUsage: translated.includeUsage,
    });
    const headers = new Headers(upstream.headers);
    if (translated.clientStreams) {
      headers.set("content-type", "text/event-stream; charset=utf-8");
      headers.set("cache-control", "no-cache");
      return new Response(translatedStream(upstream.body, chatTranslator(state)), { status: 200, headers });
    }

    const acc = createAccumulator();
    await pumpTranslated(upstream.body.getReader(), chatTranslator(state), (output) => {
      accumulate(acc, output);
      if (acc.error) state.finished = true; // stop reading: the answer is already an error
    });
    headers.set("content-type", "application/json");
    if (acc.error) {
      // The client gets an HTTP error, and the request log says so (not the stream's 200).
      const status = midStreamStatus[acc.error.code] ?? 502;
      draft.status = status;
      draft.error ??= { type: acc.error.code, message: acc.error.message };
      return new Response(JSON.stringify({ error: { ...acc.error, param: null } }), { status, headers });
    }
    return new Response(JSON.stringify(toCompletion(acc, state)), { status: 200, headers });
  };
}

/** Once per client per model: what fitting does to its requests (the request log has every one). */
export function logFitting(
  deps: RouteDeps,
  logged: Set<string>,
  client: string,
  model: string,
  fitted: readonly string[],
): void {
  if (fitted.length === 0) return;
  const key = `${client}\u0000${model}`;
  if (logged.has(key) || logged.size > 10_000) return;
  logged.add(key);
  deps.log(
    `fitted: requests from ${client} to ${model}: ${fitted.join(", ")} (logged once; the request log lists each)`,
  );
}
