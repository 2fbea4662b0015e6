// `npm test`: unit tests, the route suite and the admin app's browser test (Debian Chromium)
// with the gateway on Bun; the route suite on Node 22; the release build and its artifacts (the
// npm package installed and run, the README's Termux route followed, the Dockerfile's commands);
// then the route suite against the built bundle on Node, and on Bun with a second provider configured
// and its state in Redis and PostgreSQL; test/shared runs two instances sharing state. Ends with one line "N passed, N failed, N skipped".
import { resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const bun = process.execPath;

interface Phase {
  readonly name: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** A command to run first (the release build); if it fails, the phase fails. */
  readonly before?: string[];
}

const phases: Phase[] = [
  {
    name: "unit + routes + hardening + admin app in Chromium (gateway on Bun)",
    args: ["test/unit", "test/routes", "test/hardening", "test/pwa", "test/shared"],
    env: { GATEWAY_RUNTIME: "bun" },
  },
  {
    name: "routes and hardening (gateway on Node)",
    args: ["test/routes", "test/hardening"],
    env: { GATEWAY_RUNTIME: "node" },
  },
  {
    name: "release build, then the artifacts (executables, qemu arm64, npm package, Termux routes, container)",
    args: ["test/dist"],
    env: {},
    before: [bun, "scripts/build.ts"],
  },
  {
    name: "routes against dist/pocketgate.mjs on Node",
    args: ["test/routes"],
    env: { GATEWAY_RUNTIME: "node", GATEWAY_ENTRY: "dist/pocketgate.mjs" },
  },
  {
    // Every gateway of this phase also has a second provider, tried first, serving other models,
    // and keeps its state in Redis and PostgreSQL (a database and prefix of its own), as a team's
    // instance does (test/harness/gateway.ts): each route must still behave exactly as alone.
    name: "routes against dist/pocketgate.mjs on Bun, with a second provider, state shared in Redis + PostgreSQL",
    args: ["test/routes"],
    env: {
      GATEWAY_RUNTIME: "bun",
      GATEWAY_ENTRY: "dist/pocketgate.mjs",
      GATEWAY_PROVIDERS: "two",
      GATEWAY_SHARED: "1",
    },
  },
];

const filter = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

for (const phase of phases) {
  process.stdout.write(`\n=== ${phase.name} ===\n`);
  if (phase.before) {
    const before = Bun.spawnSync(phase.before, { cwd: root, stdout: "inherit", stderr: "inherit" });
    if (before.exitCode !== 0) {
      process.stdout.write(`${phase.name}: ${phase.before.join(" ")} failed\n`);
      totals.failed += 1;
      broken = true;
      continue;
    }
  }
  const child = Bun.spawn([bun, "test", ...(filter.length ? filter : phase.args.map((p) => `./${p}`))], {
    cwd: root,
    env: { ...process.env, ...phase.env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  let output = "";
  const relay = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      output += text;
      sink.write(text);
    }
  };
  await Promise.all([relay(child.stdout, process.stdout), relay(child.stderr, process.stderr)]);
  const code = await child.exited;
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(output)?.[1] ?? 0);
  const passed = count("pass");
  const failed = count("fail");
  const skipped = count("skip");
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (code !== 0 && failed === 0) {
    // A crash or a load error: count it so the run cannot look green.
    totals.failed += 1;
    process.stdout.write(`${phase.name}: bun test exited with ${code} without reporting a failure\n`);
  }
  if (code !== 0) broken = true;
  if (passed === 0) {
    broken = true;
    process.stdout.write(`${phase.name}: no test ran\n`);
  }
}

process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(broken || totals.failed > 0 ? 1 : 0);
