// The recorded Anthropic streams in test/fixtures/anthropic-sse.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dir, "../fixtures/anthropic-sse");

export const fixtureNames = readdirSync(FIXTURES).filter((f) => f.endsWith(".sse"));

/** The file's exact bytes. */
export const fixtureBytes = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** The stream as the API sends it: the recorded files lack the last record's closing blank line. */
export const fixtureStream = (name: string) => `${readFileSync(join(FIXTURES, name), "utf8").trimEnd()}\n\n`;

/** The JSON a recorded tool call's input_json_delta pieces add up to, per tool block in order. */
export function fixtureToolInputs(name: string): unknown[] {
  const inputs: string[] = [];
  const tools = new Map<number, number>();
  for (const line of fixtureStream(name).split("\n")) {
    if (!line.startsWith("data:")) continue;
    const event = JSON.parse(line.slice(5));
    if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
      tools.set(event.index, inputs.push("") - 1);
    }
    if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
      const slot = tools.get(event.index);
      if (slot !== undefined) inputs[slot] += event.delta.partial_json;
    }
  }
  return inputs.map((s) => JSON.parse(s || "{}"));
}
