// POST /v1/responses: the OpenAI Responses API in, Anthropic upstream (always streamed), Responses
// events out — streamed to streaming clients (Codex CLI, responses.stream), re-assembled for the
// rest. GET and DELETE /v1/responses/{id} for stored responses, each client seeing its own.
// https://platform.openai.com/docs/api-reference/responses
import { GatewayError, newRequestId, openAiErrorType } from "../errors.ts";
import {
  inputItems,
  parseResponsesRequest,
  translateResponsesRequest,
} from "../protocol/translate/responses-request.ts";
import {
  createResponsesState,
  endResponses,
  failResponse,
  type ResponsesRecord,
  type ResponsesStreamState,
  serializeRecord,
  translateResponsesEvent,
} from "../protocol/translate/responses-stream.ts";
import type { ResponseStore } from "../store/responses.ts";
import type { ClientCredential } from "../upstream/headers.ts";
import { clientName } from "./accounting.ts";
import { clientOf } from "./authorize.ts";
import { logFitting } from "./chat-completions.ts";
import { pumpTranslated, type StreamTranslator, translatedStream } from "./chat-stream.ts";
import type { RouteDeps } from "./deps.ts";
import { acceptOpenAiRequest, callTranslated, midStreamStatus, openAiError, pinnedModel } from "./openai-upstream.ts";
import type { RequestDraft } from "./request-log.ts";

type Json = Record<string, unknown>;

/** Whose stored responses a caller may see: a client key's own; a passthrough caller has none. */
function storeOwner(credential: ClientCredential): string | undefined {
  return credential.kind === "pool" ? credential.client : undefined;
}

const notFound = (id: string) =>
  new GatewayError(
    404,
    "not_found_error",
    `no response with id ${id}: it was never stored for this client key, was deleted, or is past responses_retention_days`,
    {
      param: "response_id",
    },
  );

/** The translator, with the response kept (when asked) once its last event is out. */
function storingTranslator(
  state: ResponsesStreamState,
  onEnd: (record: ResponsesRecord) => void,
): StreamTranslator<ResponsesRecord> {
  const watch = (records: ResponsesRecord[]) => {
    for (const record of records) {
      if (
        record.event === "response.completed" ||
        record.event === "response.incomplete" ||
        record.event === "response.failed"
      )
        onEnd(record);
    }
    return records;
  };
  return {
    state,
    translate: (event) => watch(translateResponsesEvent(state, event)),
    end: () => watch(endResponses(state)),
    broken: (message) => watch(failResponse(state, "api_error", message)),
    serialize: serializeRecord,
  };
}

export function responsesRoute(deps: RouteDeps & { readonly responses: ResponseStore }) {
  const fittingLogged = new Set<string>();
  return async (request: Request, draft: RequestDraft): Promise<Response> => {
    const { credential, parsed } = await acceptOpenAiRequest(request, deps, draft);
    const pinned = pinnedModel(deps, credential, parsed);
    const req = parseResponsesRequest(parsed);
    const owner = storeOwner(credential);
    let earlier: Json[] = [];
    if (req.previous_response_id) {
      if (!owner) throw notFound(req.previous_response_id);
      earlier = (await deps.responses.findConversation(req.previous_response_id, owner)) ?? [];
      if (earlier.length === 0) throw notFound(req.previous_response_id);
    }
    const translated = translateResponsesRequest(req, earlier as never, deps.models.traits);
    draft.model = String(translated.body.model);
    draft.fitted = translated.fitted;
    logFitting(deps, fittingLogged, clientName(credential), String(translated.body.model), translated.fitted);

    const upstream = await callTranslated(deps, request, draft, credential, parsed, translated.body, pinned);
    if (upstream.status >= 400 || !upstream.body) return openAiError(upstream);

    const id = `resp_${newRequestId().slice("req_pg_".length)}`;
    const store = req.store !== false && owner !== undefined;
    const state = createResponsesState({
      response: {
        id,
        object: "response",
        created_at: Math.floor(deps.now() / 1000),
        error: null,
        incomplete_details: null,
        instructions: req.instructions ?? null,
        max_output_tokens: req.max_output_tokens ?? null,
        metadata: req.metadata ?? {},
        model: translated.clientModel,
        parallel_tool_calls: req.parallel_tool_calls ?? true,
        previous_response_id: req.previous_response_id ?? null,
        reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
        store,
        temperature: req.temperature ?? null,
        text: { format: req.text?.format ?? { type: "text" } },
        tool_choice: req.tool_choice ?? "auto",
        tools: req.tools ?? [],
        top_p: req.top_p ?? null,
        truncation: "disabled",
        user: req.user ?? null,
      },
      includeEncrypted: req.include?.includes("reasoning.encrypted_content") === true,
      customTools: translated.customTools,
    });
    let last: ResponsesRecord | undefined;
    const translator = storingTranslator(state, (record) => {
      last = record;
      if (!store || !owner || record.event === "response.failed") return;
      // Keeping it is a convenience for later requests: failing to never costs this reply.
      try {
        deps.responses.save({
          id,
          client: owner,
          createdAt: deps.now(),
          previousId: req.previous_response_id ?? undefined,
          input: inputItems(req) as Json[],
          output: state.output,
          response: record.data.response as Json,
        });
      } catch (error) {
        deps.log(`responses: could not store ${id}: ${String(error)}`);
      }
    });

    const headers = new Headers(upstream.headers);
    if (req.stream === true) {
      headers.set("content-type", "text/event-stream; charset=utf-8");
      headers.set("cache-control", "no-cache");
      return new Response(translatedStream(upstream.body, translator), { status: 200, headers });
    }
    await pumpTranslated(upstream.body.getReader(), translator, () => {});
    headers.set("content-type", "application/json");
    const response = last?.data.response as Json | undefined;
    if (!response || last?.event === "response.failed") {
      const error = (response?.error ?? { code: "api_error", message: "the reply is incomplete" }) as {
        code: string;
        message: string;
      };
      const status = midStreamStatus[state.failedType ?? ""] ?? 502;
      draft.status = status;
      draft.error ??= { type: error.code, message: error.message };
      return new Response(
        JSON.stringify({
          error: {
            message: error.message,
            type: openAiErrorType(state.failedType ?? ""),
            param: null,
            code: error.code,
          },
        }),
        {
          status,
          headers,
        },
      );
    }
    return new Response(JSON.stringify(response), { status: 200, headers });
  };
}

/** GET and DELETE /v1/responses/{id}: the caller's own stored responses only. */
export function storedResponseRoute(deps: RouteDeps & { readonly responses: ResponseStore }, method: "GET" | "DELETE") {
  return async (request: Request, draft: RequestDraft): Promise<Response> => {
    const credential = clientOf(request, deps, draft);
    const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() ?? "");
    const owner = storeOwner(credential);
    const found = owner ? await deps.responses.find(id, owner) : undefined;
    if (!found || !owner) throw notFound(id);
    if (method === "DELETE") {
      deps.responses.delete(id, owner);
      return Response.json({ id, object: "response", deleted: true });
    }
    return Response.json(found.response);
  };
}
