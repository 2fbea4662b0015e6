// Which session a request belongs to, for sticky key choice (issue: prompt caches live per
// organisation). Claude Code names its session; other clients are known by metadata.user_id, or
// by the start of their conversation.
import { sha256Hex } from "../platform/crypto.ts";

export function sessionOf(headers: Headers, body: Record<string, unknown>): string {
  const claudeCode = headers.get("x-claude-code-session-id");
  if (claudeCode) return `cc:${claudeCode}`;
  const userId = (body.metadata as { user_id?: unknown } | undefined)?.user_id;
  if (typeof userId === "string" && userId !== "") return `user:${userId}`;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const firstUser = messages.find((m) => (m as { role?: unknown })?.role === "user");
  return `conv:${sha256Hex(JSON.stringify([body.system ?? null, firstUser ?? null])).slice(0, 24)}`;
}
