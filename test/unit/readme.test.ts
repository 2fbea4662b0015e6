// The README's config reference must name every key the schema knows, with its variable.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configKeys, envName } from "../../server/config/schema.ts";

test("README documents every config key and its environment variable", () => {
  const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
  const missing = configKeys.filter((key) => !readme.includes(`| \`${key}\` | \`${envName(key)}\` |`));
  expect(missing).toEqual([]);
});
