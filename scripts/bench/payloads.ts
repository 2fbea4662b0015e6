// Request bodies the size of real traffic (issue 18), made the same way every run: a SillyTavern
// chat (a character card and a long history, ~400 KB), a Claude Code turn (40 tools, a big system
// prompt, file contents in tool results, ~600 KB), and the chat again in the OpenAI shape.
const words = "the quick brown fox jumps over a lazy dog while rain falls softly on quiet streets".split(" ");

/** Deterministic prose of about `bytes` characters, varied by `seed`. */
function prose(bytes: number, seed: number): string {
  const out: string[] = [];
  let length = 0;
  let i = seed;
  while (length < bytes) {
    const word = words[(i * 7 + (i >> 3)) % words.length] as string;
    out.push(i % 17 === 0 ? `${word}.` : word);
    length += word.length + 1;
    i++;
  }
  return out.join(" ");
}

const card = `You are Mira, a starship engineer. ${prose(6000, 1)}`;

function chatTurns(target: number): { role: "user" | "assistant"; content: string }[] {
  const turns: { role: "user" | "assistant"; content: string }[] = [];
  let size = card.length;
  for (let n = 0; size < target; n++) {
    const content = prose(n % 2 === 0 ? 600 : 1400, n + 10);
    turns.push({ role: n % 2 === 0 ? "user" : "assistant", content });
    size += content.length + 40;
  }
  if (turns.at(-1)?.role !== "user") turns.push({ role: "user", content: prose(300, 99) });
  return turns;
}

/** ~400 KB SillyTavern-style chat on the native route. */
export function tavernChat(model: string, bytes = 400_000): string {
  return JSON.stringify({
    model,
    max_tokens: 16,
    system: [{ type: "text", text: card }],
    messages: chatTurns(bytes),
    temperature: 1,
  });
}

/** The same chat as an OpenAI chat-completions request. */
export function tavernChatOpenAi(model: string, bytes = 400_000): string {
  return JSON.stringify({
    model,
    max_tokens: 16,
    messages: [{ role: "system", content: card }, ...chatTurns(bytes)],
  });
}

function tool(n: number) {
  return {
    name: `tool_${n}`,
    description: prose(600, n),
    input_schema: {
      type: "object",
      properties: Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [
          `arg_${i}`,
          { type: i % 2 ? "string" : "integer", description: prose(60, i + n) },
        ]),
      ),
      required: ["arg_0"],
    },
  };
}

/** ~600 KB Claude Code turn: 40 tools, a long system prompt, tool results holding file contents. */
export function claudeCodeTurn(model: string, bytes = 600_000): string {
  const tools = Array.from({ length: 40 }, (_, n) => tool(n));
  const system = [
    { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
    { type: "text", text: prose(24_000, 3), cache_control: { type: "ephemeral" } },
  ];
  const messages: unknown[] = [{ role: "user", content: [{ type: "text", text: prose(400, 5) }] }];
  let size = JSON.stringify({ tools, system }).length;
  for (let n = 0; size < bytes; n++) {
    const id = `toolu_${String(n).padStart(20, "0")}`;
    const file = `// file ${n}\n${prose(12_000, n + 20).replaceAll(". ", ";\n")}`;
    messages.push(
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: `tool_${n % 40}`, input: { arg_0: n, arg_1: "src/x.ts" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: file }] },
    );
    size += file.length + 200;
  }
  messages.push({ role: "assistant", content: [{ type: "text", text: "Looking at the files." }] });
  messages.push({ role: "user", content: [{ type: "text", text: "Go on." }] });
  return JSON.stringify({ model, max_tokens: 16, system, tools, messages, metadata: { user_id: "bench-code" } });
}

/** A streamed request the mock answers with `events` thinking deltas before the text. */
export function thinkingStream(model: string, events: number): string {
  return JSON.stringify({
    model,
    max_tokens: 16,
    stream: true,
    messages: [{ role: "user", content: "think hard" }],
    metadata: { user_id: `bench-thinking-${events}` },
  });
}
