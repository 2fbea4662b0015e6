// Ready-to-paste settings for each kind of client, from the gateway's address, a client key and a
// model, with field names in the user's language where the app has them. Pure: the Connect page
// renders them and their QR codes.
import type { MessageKey } from "./i18n.ts";

export interface Snippet {
  readonly id: string;
  /** The message naming the app. */
  readonly app: MessageKey;
  readonly text: string;
}

export function connectSnippets(
  origin: string,
  key: string,
  model: string,
  label: (key: MessageKey) => string,
): Snippet[] {
  const field = (name: MessageKey, value: string) => `${label(name)}: ${value}`;
  return [
    {
      id: "st-claude",
      app: "app_st_claude",
      text: [
        field("snip_reverse_proxy", `${origin}/v1`),
        field("snip_proxy_password", key),
        field("snip_model", model),
      ].join("\n"),
    },
    {
      id: "st-custom",
      app: "app_st_custom",
      text: [
        field("snip_custom_endpoint", `${origin}/v1`),
        field("snip_custom_key", key),
        field("snip_model", model),
      ].join("\n"),
    },
    {
      id: "claude-code",
      app: "app_claude_code",
      text: `ANTHROPIC_BASE_URL=${origin}/code ANTHROPIC_AUTH_TOKEN=${key} claude`,
    },
    {
      id: "codex",
      app: "app_codex",
      text: `# ~/.codex/config.toml\nmodel = "${model}"\nmodel_provider = "pocketgate"\n\n[model_providers.pocketgate]\nname = "pocketgate"\nbase_url = "${origin}/v1"\nenv_key = "POCKETGATE_KEY"\nwire_api = "responses"\n\n# then run:\n# POCKETGATE_KEY=${key} codex`,
    },
    {
      id: "openai-sdk",
      app: "app_openai_sdk",
      text: `import OpenAI from "openai";\nconst client = new OpenAI({ baseURL: "${origin}/v1", apiKey: "${key}" });\nawait client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });`,
    },
    {
      id: "anthropic-sdk",
      app: "app_anthropic_sdk",
      text: `import Anthropic from "@anthropic-ai/sdk";\nconst client = new Anthropic({ baseURL: "${origin}", apiKey: "${key}" });\nawait client.messages.create({ model: "${model}", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }] });`,
    },
    {
      id: "continue",
      app: "app_continue",
      text: `models:\n  - name: Claude via pocketgate\n    provider: anthropic\n    model: ${model}\n    apiBase: ${origin}/v1/\n    apiKey: ${key}`,
    },
    {
      id: "cursor",
      app: "app_cursor",
      text: [
        field("snip_openai_key", key),
        field("snip_openai_base", `${origin}/v1`),
        field("snip_add_model", model),
      ].join("\n"),
    },
  ];
}
