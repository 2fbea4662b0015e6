// `npm test`: unit tests, the route suite and the admin app's browser test (Debian Chromium)
// with the gateway on Bun, then the route suite again against the gateway on Node 22. Ends with one line "N passed, N failed, N skipped".
import { resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const bun = process.execPath;

interface Phase {
  readonly name: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

const phases: Phase[] = [
  {
    name: "unit + routes + admin app in Chromium (gateway on Bun)",
    args: ["test/unit", "test/routes", "test/pwa"],
    env: { GATEWAY_RUNTIME: "bun" },
  },
  { name: "routes (gateway on Node)", args: ["test/routes"], env: { GATEWAY_RUNTIME: "node" } },
];

const filter = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

for (const phase of phases) {
  process.stdout.write(`\n=== ${phase.name} ===\n`);
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
