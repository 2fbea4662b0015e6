// Admin API shapes, declared once (TypeBox via Elysia's `t`); the admin app imports the types.
import { t } from "elysia";

export const LoginBody = t.Object({ password: t.String({ minLength: 1 }) });
export type LoginBody = typeof LoginBody.static;

export const LoginResponse = t.Object({ token: t.String(), expires_at: t.Number() });
export type LoginResponse = typeof LoginResponse.static;

export const KeyView = t.Object({
  id: t.String(),
  label: t.String(),
  /** The first characters and the last four, never the whole key. */
  masked: t.String(),
  source: t.Union([t.Literal("config"), t.Literal("admin")]),
  enabled: t.Boolean(),
  state: t.Union([t.Literal("active"), t.Literal("cooling"), t.Literal("invalid"), t.Literal("disabled")]),
  /** Cooling until (ms since epoch). */
  until: t.Optional(t.Number()),
  reason: t.Optional(t.String()),
  tokens_remaining: t.Optional(t.Number()),
  requests_remaining: t.Optional(t.Number()),
  reset_at: t.Optional(t.Number()),
  last_used: t.Number(),
});
export type KeyView = typeof KeyView.static;

export const KeysResponse = t.Object({ keys: t.Array(KeyView) });
export type KeysResponse = typeof KeysResponse.static;

export const UsageQuery = t.Object({
  by: t.Optional(t.Union([t.Literal("day"), t.Literal("client"), t.Literal("key"), t.Literal("model")])),
  days: t.Optional(t.Numeric({ minimum: 1, maximum: 3650 })),
});
export type UsageQuery = typeof UsageQuery.static;

/** Tokens by kind and their cost: the same columns in per-request rows and in aggregates. */
const tokenFields = {
  input_tokens: t.Number(),
  output_tokens: t.Number(),
  cache_read_tokens: t.Number(),
  cache_write_5m_tokens: t.Number(),
  cache_write_1h_tokens: t.Number(),
  cost_usd: t.Number(),
};

export const UsageGroupRow = t.Object({ group: t.String(), requests: t.Number(), ...tokenFields });
export type UsageGroupRow = typeof UsageGroupRow.static;

export const RequestRow = t.Object({
  at: t.Number(),
  client: t.String(),
  key_id: t.Union([t.String(), t.Null()]),
  route: t.String(),
  model: t.String(),
  status: t.Number(),
  ttfb_ms: t.Union([t.Number(), t.Null()]),
  duration_ms: t.Number(),
  ...tokenFields,
});
export type RequestRow = typeof RequestRow.static;

const limitFields = {
  rpm: t.Optional(t.Union([t.Integer({ minimum: 1 }), t.Null()])),
  monthly_tokens: t.Optional(t.Union([t.Integer({ minimum: 1 }), t.Null()])),
  monthly_usd: t.Optional(t.Union([t.Number({ exclusiveMinimum: 0 }), t.Null()])),
};

export const ClientCreateBody = t.Object({ name: t.String({ minLength: 1, maxLength: 64 }), ...limitFields });
export type ClientCreateBody = typeof ClientCreateBody.static;

export const ClientLimitsBody = t.Object(limitFields);
export type ClientLimitsBody = typeof ClientLimitsBody.static;

export const ClientView = t.Object({
  id: t.String(),
  name: t.String(),
  /** Shown to the admin so it can be copied into an app. */
  key: t.String(),
  created_at: t.Number(),
  revoked_at: t.Union([t.Number(), t.Null()]),
  rpm: t.Union([t.Number(), t.Null()]),
  monthly_tokens: t.Union([t.Number(), t.Null()]),
  monthly_usd: t.Union([t.Number(), t.Null()]),
  month_tokens: t.Number(),
  month_usd: t.Number(),
});
export type ClientView = typeof ClientView.static;

export const KeysAddBody = t.Object({
  /** One key or many, separated by whitespace or commas (pasted from anywhere). */
  keys: t.String({ minLength: 1 }),
  label: t.Optional(t.String({ maxLength: 64 })),
});
export type KeysAddBody = typeof KeysAddBody.static;

export const KeyUpdateBody = t.Object({
  label: t.Optional(t.String({ minLength: 1, maxLength: 64 })),
  enabled: t.Optional(t.Boolean()),
});
export type KeyUpdateBody = typeof KeyUpdateBody.static;

export const KeyTestResponse = t.Object({ status: t.Number(), message: t.String(), key: KeyView });
export type KeyTestResponse = typeof KeyTestResponse.static;
