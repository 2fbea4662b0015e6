// Ready-to-paste settings for each kind of client, from the gateway's address and a client key.
// Pure: the Connect page renders them and their QR codes.

export interface Snippet {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export function connectSnippets(origin: string, key: string, model: string): Snippet[] {
  return [
    {
      id: "st-claude",
      title: "SillyTavern — Chat Completion, source Claude",
      text: `Reverse proxy: ${origin}/v1\nProxy password: ${key}\nModel: ${model}`,
    },
    {
      id: "st-custom",
      title: "SillyTavern — Chat Completion, source Custom (OpenAI-compatible)",
      text: `Custom endpoint (base URL): ${origin}/v1\nCustom API key: ${key}\nModel: ${model}`,
    },
    {
      id: "claude-code",
      title: "Claude Code",
      text: `ANTHROPIC_BASE_URL=${origin}/code ANTHROPIC_AUTH_TOKEN=${key} claude`,
    },
    {
      id: "openai-sdk",
      title: "OpenAI SDK",
      text: `import OpenAI from "openai";\nconst client = new OpenAI({ baseURL: "${origin}/v1", apiKey: "${key}" });\nawait client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });`,
    },
    {
      id: "anthropic-sdk",
      title: "Anthropic SDK",
      text: `import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ baseURL: "${origin}", apiKey: "${key}" });\nawait client.messages.create({ model: "${model}", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`,
    },
    {
      id: "continue",
      title: "Continue (config.yaml)",
      text: `models:\n  - name: Claude via pocketgate\n    provider: anthropic\n    model: ${model}\n    apiBase: ${origin}/v1/\n    apiKey: ${key}`,
    },
    {
      id: "cursor",
      title: "Cursor (Settings → Models)",
      text: `OpenAI API Key: ${key}\nOverride OpenAI Base URL: ${origin}/v1\nAdd model: ${model}`,
    },
  ];
}
