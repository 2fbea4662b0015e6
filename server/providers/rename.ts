// The one change routing makes to a native request's bytes: `model` replaced by the name the
// provider knows it by (an alias or "provider/model" resolved); every other byte kept. Pure.
import { spliceTopLevel } from "../protocol/json-splice.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function renameModel(body: Uint8Array, model: string): Uint8Array {
  return encoder.encode(spliceTopLevel(decoder.decode(body), new Map([["model", model]])));
}
