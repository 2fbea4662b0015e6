// The npm package as users get it: packed by `npm pack` (its prepack builds the bundle), served
// by a loopback registry that knows this one package and records every request, so an install
// that reaches for anything else (a dependency, a download) shows.
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ROOT, tempDir } from "./gateway.ts";

export interface Packed {
  readonly tarball: string;
  readonly manifest: Record<string, unknown> & { name: string; version: string };
  readonly files: string[];
  readonly bytes: number;
}

/** `npm pack` in the repository, for real (prepack included); dist/pocketgate.mjs is left as it was. */
export function packPackage(): Packed {
  const dir = tempDir("pocketgate-pack-");
  const bundle = join(ROOT, "dist/pocketgate.mjs");
  const saved = join(dir, "bundle-before-pack.mjs");
  copyFileSync(bundle, saved);
  try {
    const packed = Bun.spawnSync(["npm", "pack", "--json", "--pack-destination", dir], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    if (packed.exitCode !== 0) throw new Error(`npm pack failed:\n${packed.stderr.toString()}`);
    // The prepack step's own output comes first; npm's report is the JSON array after it.
    const stdout = packed.stdout.toString();
    const report = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
    const first = report[0];
    if (!first) throw new Error("npm pack reported nothing");
    const tarball = join(dir, basename(first.filename));
    const manifestText = Bun.spawnSync(["tar", "-xzOf", tarball, "package/package.json"]).stdout.toString();
    return {
      tarball,
      manifest: JSON.parse(manifestText),
      files: first.files.map((file) => file.path).sort(),
      bytes: readFileSync(tarball).byteLength,
    };
  } finally {
    copyFileSync(saved, bundle);
  }
}

export interface Registry extends AsyncDisposable {
  readonly url: string;
  /** Every path asked for, in order. */
  readonly requests: string[];
}

/** A registry on 127.0.0.1 serving the packed package (metadata and tarball) and nothing else. */
export function startRegistry(packed: Packed): Registry {
  const body = readFileSync(packed.tarball);
  const integrity = `sha512-${createHash("sha512").update(body).digest("base64")}`;
  const shasum = createHash("sha1").update(body).digest("hex");
  const { name, version } = packed.manifest;
  const file = `/${name}/-/${name}-${version}.tgz`;
  const requests: string[] = [];
  let port = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request): Response {
      const path = new URL(request.url).pathname;
      requests.push(path);
      if (path === `/${name}`) {
        const tarball = `http://127.0.0.1:${port}${file}`;
        return Response.json({
          name,
          "dist-tags": { latest: version },
          versions: { [version]: { ...packed.manifest, dist: { tarball, integrity, shasum } } },
        });
      }
      if (path === file) return new Response(body, { headers: { "content-type": "application/octet-stream" } });
      return Response.json({ error: "not found" }, { status: 404 });
    },
  });
  port = server.port ?? 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
}

/** npm settings for a test: this registry only, a fresh cache, no audit, fund or update checks. */
export function npmEnv(registry: string): Record<string, string> {
  return {
    npm_config_registry: registry,
    npm_config_cache: tempDir("pocketgate-npm-cache-"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_userconfig: join(tempDir("pocketgate-npmrc-"), "npmrc"),
  };
}
