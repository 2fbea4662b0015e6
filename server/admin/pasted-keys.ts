// Keys pasted in the admin app (the Keys page, or with a new provider): split on whitespace and
// commas, duplicates dropped, each checked; a bad one is named by its start only. A Bedrock
// provider's are AWS credentials or Bedrock API keys; a Vertex provider's is one service account
// key file, pasted whole (issue 19). Pure.

import type { ProviderKind } from "../providers/cloud-config.ts";
import { parseAwsCredential, parseServiceAccount, serviceAccountSecret } from "../providers/cloud-credentials.ts";

export interface RejectedKey {
  readonly preview: string;
  readonly code: "bad_characters" | "too_short" | "not_a_credential";
  readonly reason: string;
}

/** What is wrong with a pasted key (a code for the app, words for everyone else), or undefined. */
function keyProblem(secret: string): Omit<RejectedKey, "preview"> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(secret))
    return { code: "bad_characters", reason: "has characters an API key never has" };
  if (secret.length < 20) {
    return { code: "too_short", reason: `is too short for an API key (${secret.length} characters)` };
  }
  return undefined;
}

/** Enough of a pasted string to recognise it, never enough to use it. */
const keyPreview = (secret: string) =>
  secret.length <= 8 ? `${secret.slice(0, 3)}…` : `${[...secret].slice(0, 8).join("")}…`;

/** How a Vertex key file that is not one is named: never by its start. */
const WHOLE_PASTE = "the pasted key file";

/** The valid keys, and each bad one named. */
export function readPastedKeys(
  text: string,
  kind: ProviderKind = "anthropic",
): { secrets: string[]; rejected: RejectedKey[] } {
  if (kind === "vertex") {
    if (text.trim() === "") return { secrets: [], rejected: [] };
    const sa = parseServiceAccount(text.trim());
    // Never a preview of a key file: its start is boilerplate, and what follows is the private key.
    return typeof sa === "string"
      ? { secrets: [], rejected: [{ preview: WHOLE_PASTE, code: "not_a_credential", reason: sa }] }
      : { secrets: [serviceAccountSecret(sa)], rejected: [] };
  }
  const pasted = [...new Set(text.split(/[\s,]+/).filter((s) => s !== ""))];
  const secrets: string[] = [];
  const rejected: RejectedKey[] = [];
  for (const s of pasted) {
    const aws = kind === "bedrock" ? parseAwsCredential(s) : undefined;
    const problem =
      typeof aws === "string" ? { code: "not_a_credential" as const, reason: aws } : aws ? undefined : keyProblem(s);
    if (problem) rejected.push({ preview: keyPreview(s), ...problem });
    else secrets.push(s);
  }
  return { secrets, rejected };
}

/** The bad keys in one sentence for an error message: `"sk-ant-o…" is too short …; …`. */
export const namedRejections = (rejected: readonly RejectedKey[]) =>
  rejected.map((r) => `${r.preview === WHOLE_PASTE ? r.preview : `"${r.preview}"`} ${r.reason}`).join("; ");
