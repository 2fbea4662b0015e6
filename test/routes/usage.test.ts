// Usage accounting: every row matches what the upstream reported, to the token, and its cost
// matches a computation by hand from the published prices.
import { describe, expect, test } from "bun:test";
import type { RequestRow } from "../../server/admin/schemas.ts";
import { adminLogin } from "../harness/admin.ts";
import { CLIENT_KEY, clientHeaders, runtime } from "../harness/gateway.ts";
import { type MockReply, type ReceivedRequest, textMessage, textStream } from "../harness/mock-upstream.ts";
import { messagesBody, postMessages, useMockAndGateway } from "../harness/suite.ts";

const suite = useMockAndGateway();

interface Reported {
  input: number;
  output: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
  split: boolean;
}

/** The mock reports different usage for every request, cache tokens included. */
function replyWithUsage(n: number, request: ReceivedRequest): { reply: MockReply; reported: Reported } {
  const reported = {
    input: 10 + n,
    output: 5 + 2 * n,
    cacheRead: 100 * n,
    write5m: 3 * n,
    write1h: n % 3,
    split: n % 2 === 0,
  };
  const usageIn = {
    input_tokens: reported.input,
    cache_read_input_tokens: reported.cacheRead,
    cache_creation_input_tokens: reported.write5m + reported.write1h,
    ...(reported.split
      ? { cache_creation: { ephemeral_5m_input_tokens: reported.write5m, ephemeral_1h_input_tokens: reported.write1h } }
      : {}),
  };
  if (!reported.split) reported.write5m += reported.write1h; // without the split, all writes count as 5-minute
  if (!reported.split) reported.write1h = 0;
  const model = String(request.json().model);
  const usage = { input: usageIn, output: reported.output };
  if (request.json().stream !== true)
    return { reply: { body: JSON.stringify(textMessage("ok", model, usage)) }, reported };
  const chunks = textStream("ok", model, usage);
  return { reply: { headers: { "content-type": "text/event-stream" }, chunks }, reported };
}

/** Sonnet 4.x: $3 / $15 per million; cache writes 1.25x (5 min) / 2x (1 h) input, reads 0.1x. */
const handCost = (r: Reported) =>
  (r.input * 3 + r.write5m * 3.75 + r.write1h * 6 + r.cacheRead * 0.3 + r.output * 15) / 1_000_000;

describe(`usage accounting on ${runtime}`, () => {
  test("50 mixed streamed and non-streamed requests: rows match the mock's usage exactly, cost by hand", async () => {
    const reported: Reported[] = [];
    suite.mock.reply((request) => {
      const { reply, reported: r } = replyWithUsage(reported.length, request);
      reported.push(r);
      return reply;
    });
    for (let i = 0; i < 50; i++) {
      const stream = i % 2 === 1;
      const response =
        i % 4 < 2
          ? await postMessages(suite.gateway.url, {
              body: messagesBody({ stream, messages: [{ role: "user", content: `q${i}` }] }),
            })
          : await fetch(`${suite.gateway.url}/v1/chat/completions`, {
              method: "POST",
              headers: clientHeaders({ authorization: `Bearer ${CLIENT_KEY}` }),
              body: JSON.stringify({
                model: "claude-sonnet-4-6",
                stream,
                messages: [{ role: "user", content: `q${i}` }],
              }),
            });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const token = await adminLogin(suite.gateway);
    // Rows are written when each reply ends; the last one may land just after its body did.
    let rows: RequestRow[] = [];
    for (let tries = 0; tries < 50 && rows.length < 50; tries++) {
      const response = await fetch(`${suite.gateway.url}/api/requests`, {
        headers: { authorization: `Bearer ${token}` },
      });
      rows = ((await response.json()) as { rows: RequestRow[] }).rows.reverse();
      if (rows.length < 50) await Bun.sleep(20);
    }
    expect(rows).toHaveLength(50);
    rows.forEach((row, i) => {
      const r = reported[i] as Reported;
      expect({
        input: row.input_tokens,
        output: row.output_tokens,
        cacheRead: row.cache_read_tokens,
        write5m: row.cache_write_5m_tokens,
        write1h: row.cache_write_1h_tokens,
      }).toEqual({ input: r.input, output: r.output, cacheRead: r.cacheRead, write5m: r.write5m, write1h: r.write1h });
      expect(row.cost_usd).toBeCloseTo(handCost(r), 12);
      expect(row).toMatchObject({
        client: "default",
        model: "claude-sonnet-4-6",
        status: 200,
        route: i % 4 < 2 ? "messages" : "chat",
      });
      expect(row.key_id).toStartWith("key_");
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
    });

    const byModel = await fetch(`${suite.gateway.url}/api/usage?by=model`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const aggregate = (await byModel.json()) as { rows: { group: string; requests: number; cost_usd: number }[] };
    expect(aggregate.rows).toHaveLength(1);
    expect(aggregate.rows[0]?.requests).toBe(50);
    expect(aggregate.rows[0]?.cost_usd).toBeCloseTo(
      reported.reduce((sum, r) => sum + handCost(r), 0),
      10,
    );
  });
});
