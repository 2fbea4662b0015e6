// One concise stderr line per failed proxy request, so a phone's service log (Termux's
// `$PREFIX/var/log/sv/pocketgate/current`) says why an app got an error. No secrets: the message
// is the one the client was told, with anything key-shaped redacted and control characters
// removed (a client cannot forge log lines). A flood is summarised, not printed line by line.
import { redactSecrets } from "../protocol/redact.ts";

export interface FailureFacts {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly client: string | undefined;
  readonly model: string;
  readonly keyLabel: string | undefined;
  readonly streamEnd: string | undefined;
  readonly error: { readonly type: string; readonly message: string } | undefined;
  readonly durationMs: number;
}

/** A burst of this many lines is printed; then one more every REFILL_MS. */
const BURST = 20;
const REFILL_MS = 2000;
const MAX_TEXT = 300;

const oneLine = (text: string) =>
  redactSecrets(text)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .slice(0, MAX_TEXT);

export function formatFailure(f: FailureFacts): string {
  const who = f.client ? `from ${oneLine(f.client)}` : "from an unidentified client";
  const what = [f.model && oneLine(f.model), f.keyLabel && `key ${oneLine(f.keyLabel)}`].filter(Boolean).join(", ");
  const end = f.streamEnd && f.streamEnd !== "complete" ? ` stream ${f.streamEnd}` : "";
  const why = f.error ? `: ${oneLine(f.error.type)}: ${oneLine(f.error.message)}` : "";
  return `failed ${f.status}${end} ${f.method} ${oneLine(f.path)} ${who}${what ? ` (${what})` : ""} after ${f.durationMs} ms${why}`;
}

export function createFailureLine(log: (line: string) => void, now: () => number) {
  let tokens = BURST;
  let refilledAt = now();
  let suppressed = 0;
  return (facts: FailureFacts): void => {
    const t = now();
    const earned = Math.floor((t - refilledAt) / REFILL_MS);
    if (earned > 0) {
      tokens = Math.min(BURST, tokens + earned);
      refilledAt += earned * REFILL_MS;
    }
    if (tokens === 0) {
      suppressed++;
      return;
    }
    tokens--;
    if (suppressed > 0) {
      log(`(${suppressed} more failed request${suppressed === 1 ? "" : "s"} not printed; the request log has each)`);
      suppressed = 0;
    }
    log(formatFailure(facts));
  };
}
