// Which session a request belongs to, for sticky key choice: prompt caches live per workspace,
// so a conversation keeps its key while the key stays usable. Claude Code names its session;
// other clients are known by metadata.user_id, or by the start of their conversation: a hash of
// the model, the system prompt and the first user turn, the same for every turn of one chat (on
// the OpenAI route it is taken of the translated request, so both routes agree).
import { sha256Hex } from "../platform/crypto.ts";

export function sessionOf(headers: Headers, body: Record<string, unknown>): string {
  const claudeCode = headers.get("x-claude-code-session-id");
  if (claudeCode) return `cc:${claudeCode}`;
  const userId = (body.metadata as { user_id?: unknown } | undefined)?.user_id;
  if (typeof userId === "string" && userId !== "") return `user:${userId}`;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const firstUser = messages.find((m) => (m as { role?: unknown })?.role === "user");
  const start = JSON.stringify([body.model ?? null, body.system ?? null, firstUser ?? null]);
  return `conv:${sha256Hex(start).slice(0, 24)}`;
}
