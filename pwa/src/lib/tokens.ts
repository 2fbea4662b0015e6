// Every kind of token a row counts (input, output, cache read, both cache writes): one sum for
// the request log's rows and the usage aggregates, which carry the same fields.
import type { UsageGroupRow } from "../../../server/admin/schemas.ts";

type TokenFields = Pick<
  UsageGroupRow,
  "input_tokens" | "output_tokens" | "cache_read_tokens" | "cache_write_5m_tokens" | "cache_write_1h_tokens"
>;

export const tokensOf = (r: TokenFields) =>
  r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens;
