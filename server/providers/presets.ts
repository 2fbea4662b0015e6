// Anthropic-format endpoints other providers publish, for the admin app's "add provider" list.
// Each address and auth header is as the provider's documentation gives it, read 2026-12-04:
// DeepSeek's and MiniMax's pages directly; Moonshot's and Z.ai's Claude Code guides as quoted by
// integration notes that cite them (the pages themselves were not in the search index). The
// models are the ids those pages name: a starting point the user (or the provider's own
// /v1/models, where it has one) can change.
import type { AuthStyle } from "./config.ts";

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly base_url: string;
  readonly auth: AuthStyle;
  readonly models: readonly string[];
  /** The page the address comes from. */
  readonly docs: string;
}

export const PRESETS: readonly Preset[] = [
  {
    // "base_url (Anthropic) https://api.deepseek.com/anthropic"; x-api-key "Fully Supported".
    id: "deepseek",
    label: "DeepSeek",
    base_url: "https://api.deepseek.com/anthropic",
    auth: "x-api-key",
    models: ["deepseek-flash", "deepseek-v4-pro"],
    docs: "https://api-docs.deepseek.com/guides/anthropic_api",
  },
  {
    // Moonshot's Claude Code guide: ANTHROPIC_BASE_URL https://api.moonshot.ai/anthropic with
    // ANTHROPIC_AUTH_TOKEN (a Bearer token); api.moonshot.cn for mainland China.
    id: "moonshot",
    label: "Moonshot Kimi",
    base_url: "https://api.moonshot.ai/anthropic",
    auth: "bearer",
    models: ["kimi-k2.5", "kimi-k2-thinking"],
    docs: "https://platform.moonshot.ai/docs",
  },
  {
    // Z.ai's Claude Code setup: ANTHROPIC_BASE_URL https://api.z.ai/api/anthropic with
    // ANTHROPIC_AUTH_TOKEN; open.bigmodel.cn/api/anthropic is the mainland China endpoint.
    id: "zai",
    label: "Zhipu GLM (Z.ai)",
    base_url: "https://api.z.ai/api/anthropic",
    auth: "bearer",
    models: ["glm-4.7", "glm-4.5-air"],
    docs: "https://docs.z.ai/devpack/tool/claude",
  },
  {
    id: "bigmodel",
    label: "Zhipu GLM (bigmodel.cn)",
    base_url: "https://open.bigmodel.cn/api/anthropic",
    auth: "bearer",
    models: ["glm-4.7", "glm-4.5-air"],
    docs: "https://docs.bigmodel.cn",
  },
  {
    // "base_url=https://api.minimax.io/anthropic" with ANTHROPIC_API_KEY (x-api-key).
    id: "minimax",
    label: "MiniMax",
    base_url: "https://api.minimax.io/anthropic",
    auth: "x-api-key",
    models: ["MiniMax-M3", "MiniMax-M2.7"],
    docs: "https://platform.minimax.io/docs/api-reference/text-anthropic-api",
  },
  {
    // The same page's mainland China address.
    id: "minimaxi",
    label: "MiniMax (China)",
    base_url: "https://api.minimaxi.com/anthropic",
    auth: "x-api-key",
    models: ["MiniMax-M2.7"],
    docs: "https://platform.minimaxi.com/docs/api-reference/text-anthropic-api",
  },
];
