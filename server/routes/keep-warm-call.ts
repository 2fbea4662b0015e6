// One re-warm request (caching/keep-warm.ts decides when): the conversation's last request with
// max_tokens 0, on the key that holds its cache, logged as a row of its own (route keep-warm,
// client and cost included). It is the gateway's request, not the client's: it does not count
// against the client's rpm (it never passes authorize.ts), though its cost is the client's.

import type { WarmEntry, WarmOutcome } from "../caching/keep-warm.ts";
import { KEEP_WARM_ROUTE } from "../caching/savings.ts";
import { toGatewayError } from "../errors.ts";
import type { CallUpstream } from "../upstream/client.ts";
import { noteUpstream } from "./accounting.ts";
import { noteKey, type RequestLog } from "./request-log.ts";
import { errorOfBytes, usageOfJson } from "./usage-tap.ts";

/** A re-warm that has not answered in this long is given up (it only reads a cached prefix). */
const WARM_TIMEOUT_MS = 60_000;

export function keepWarmCall(deps: { callUpstream: CallUpstream; requestLog: RequestLog }) {
  const origin = new Request("http://pocketgate.invalid/v1/messages", { method: "POST" });
  return async (entry: WarmEntry): Promise<WarmOutcome> => {
    const draft = deps.requestLog.begin(origin, "/v1/messages", KEEP_WARM_ROUTE);
    draft.client = entry.client;
    draft.model = entry.model;
    try {
      const result = await deps.callUpstream({
        method: "POST",
        path: "/v1/messages",
        search: "",
        headers: entry.headers,
        body: entry.body,
        credential: { kind: "pool", client: entry.client },
        signal: AbortSignal.timeout(WARM_TIMEOUT_MS),
        pinnedKey: entry.keyId,
        onKey: noteKey(draft),
      });
      noteUpstream(draft, result);
      const status = result.response.status;
      if (result.bytes && status < 400) {
        const read = usageOfJson(result.bytes);
        draft.usage = read.usage;
        draft.replyModel = read.model;
      } else if (!result.bytes) {
        await result.response.body?.cancel();
      }
      deps.requestLog.answered(draft, status);
      if (status < 400) return { ok: true };
      const error = result.bytes ? errorOfBytes(result.bytes) : undefined;
      return { ok: false, reason: `upstream answered ${status}${error ? `: ${error.message}` : ""}` };
    } catch (thrown) {
      const error = toGatewayError(thrown);
      deps.requestLog.failed(draft, error);
      return { ok: false, reason: error.message };
    }
  };
}
