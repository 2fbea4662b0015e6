// The README's config reference must name every key the schema knows, with its variable.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigKey, configKeys, envName } from "../../server/config/schema.ts";

test("README documents every config key and its environment variable", () => {
  const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
  // A table row "| `key` | `POCKETGATE_KEY` |", however the formatter pads it.
  const row = (key: ConfigKey) => new RegExp(`^\\|\\s*\`${key}\`\\s*\\|\\s*\`${envName(key)}\`\\s*\\|`, "m");
  const missing = configKeys.filter((key) => !row(key).test(readme));
  expect(missing).toEqual([]);
});
