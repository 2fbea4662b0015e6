// `pocketgate doctor`: each check says what it found and, for a problem, what to do about it.
// The machine is reached only through the probes passed in, so the checks themselves are plain.
import type { Config } from "../config/schema.ts";
import type { ReachResult } from "../upstream/reachability.ts";

export type Verdict = "ok" | "warn" | "fail";

export interface CheckResult {
  readonly name: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorProbes {
  readonly runtime: { name: string; version: string; platform: string; arch: string };
  readonly dataDir: string;
  readonly config: Config;
  readonly upstreamKeyCount: number;
  readonly dirWritableError: (dir: string) => Promise<string | undefined>;
  readonly portError: (host: string, port: number) => Promise<string | undefined>;
  /** What answers on the port when it is taken: pocketgate's /health name, if it is pocketgate. */
  readonly whoIsOnPort: (host: string, port: number) => Promise<string | undefined>;
  readonly resolveHost: (hostname: string) => Promise<{ addresses: string[] } | { error: string }>;
  readonly reach: (proxy: string, baseUrl: string) => Promise<ReachResult>;
  readonly now: () => number;
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

function checkRuntime(p: DoctorProbes): CheckResult {
  const { name, version, platform, arch } = p.runtime;
  const detail = `${name} ${version} on ${platform} ${arch}`;
  const major = Number(version.split(".")[0]);
  if (name === "node" && major < 22) {
    return {
      name: "runtime",
      verdict: "fail",
      detail,
      fix: "pocketgate needs Node.js 22 or newer: on Termux `pkg upgrade nodejs`, elsewhere https://nodejs.org, or run it with Bun",
    };
  }
  return { name: "runtime", verdict: "ok", detail };
}

async function checkDataDir(p: DoctorProbes): Promise<CheckResult> {
  const error = await p.dirWritableError(p.dataDir);
  if (!error) return { name: "data dir", verdict: "ok", detail: `${p.dataDir} is writable` };
  return {
    name: "data dir",
    verdict: "fail",
    detail: `cannot write in ${p.dataDir} (${error})`,
    fix: "make the folder yours (chmod u+rwx), or choose another with --data-dir DIR or POCKETGATE_DATA_DIR",
  };
}

async function checkPort(p: DoctorProbes): Promise<CheckResult> {
  const { host, port } = p.config;
  const where = `${host}:${port}`;
  const error = await p.portError(host, port);
  if (!error) return { name: "port", verdict: "ok", detail: `${where} is free` };
  if (error === "EADDRINUSE" && (await p.whoIsOnPort(host, port)) === "pocketgate") {
    return { name: "port", verdict: "ok", detail: `${where} is in use by a running pocketgate` };
  }
  return {
    name: "port",
    verdict: "fail",
    detail: error === "EADDRINUSE" ? `${where} is in use by another program` : `cannot listen on ${where} (${error})`,
    fix:
      error === "EADDRINUSE"
        ? `stop that program, or use another port: pocketgate --port ${port + 1} (or port = ${port + 1} in the config)`
        : "ports below 1024 need privileges; use 8484 or another port above 1024, and check the host address",
  };
}

async function checkDns(p: DoctorProbes): Promise<CheckResult> {
  // Through a proxy, only the proxy's name must resolve here; the proxy resolves upstream.
  const target = new URL(p.config.proxy || p.config.upstream_base_url);
  const hostname = target.hostname.replace(/^\[|\]$/g, "");
  const what = p.config.proxy ? "proxy" : "upstream";
  if (isIp(hostname)) return { name: "dns", verdict: "ok", detail: `${what} is an address (${hostname})` };
  const found = await p.resolveHost(hostname);
  if ("addresses" in found) {
    return { name: "dns", verdict: "ok", detail: `${hostname} → ${found.addresses.slice(0, 3).join(", ")}` };
  }
  return {
    name: "dns",
    verdict: "fail",
    detail: `${hostname} does not resolve (${found.error})`,
    fix: p.config.proxy
      ? "check the proxy address in Settings (proxy) or POCKETGATE_PROXY"
      : "check the network connection; on Android, a Private DNS setting or a VPN app can block names",
  };
}

async function checkReachAndClock(p: DoctorProbes): Promise<CheckResult[]> {
  const base = p.config.upstream_base_url;
  const via = p.config.proxy ? ` through ${p.config.proxy}` : "";
  const result = await p.reach(p.config.proxy, base);
  if (!result.ok) {
    return [
      {
        name: "upstream",
        verdict: "fail",
        detail: `${base}${via}: ${result.message}`,
        fix: p.config.proxy
          ? "check that the proxy runs and allows HTTPS (CONNECT) to the upstream; test it in the admin app's Settings"
          : /certificate|tls|ssl/i.test(result.message)
            ? "a TLS error: check the device's date and time, and any app that inspects traffic"
            : "check the network, or set an outbound proxy (proxy in Settings, or POCKETGATE_PROXY) where the API is blocked",
      },
    ];
  }
  const reach: CheckResult = {
    name: "upstream",
    verdict: "ok",
    detail: `${base}${via} answered ${result.status} in ${result.ms} ms (DNS, TCP and TLS work)`,
  };
  if (result.upstream_date === undefined) return [reach];
  // Date has one-second resolution; the request itself takes a while.
  const skew = Math.round((p.now() - result.upstream_date) / 1000);
  const detail = `this device is ${Math.abs(skew)} s ${skew >= 0 ? "ahead of" : "behind"} upstream`;
  const fix = "turn on automatic date and time (Android: Settings → System → Date & time)";
  if (Math.abs(skew) > 300) return [reach, { name: "clock", verdict: "fail", detail, fix }];
  if (Math.abs(skew) > 30) return [reach, { name: "clock", verdict: "warn", detail, fix }];
  return [reach, { name: "clock", verdict: "ok", detail }];
}

function checkKeys(p: DoctorProbes): CheckResult {
  if (p.upstreamKeyCount > 0) return { name: "keys", verdict: "ok", detail: `${p.upstreamKeyCount} upstream key(s)` };
  return {
    name: "keys",
    verdict: "warn",
    detail: "no upstream Anthropic API key yet",
    fix: "add one in the admin app (Keys), or set POCKETGATE_UPSTREAM_KEYS=sk-ant-...",
  };
}

export async function runDoctor(p: DoctorProbes): Promise<CheckResult[]> {
  const [dataDir, port, dns, reach] = await Promise.all([
    checkDataDir(p),
    checkPort(p),
    checkDns(p),
    checkReachAndClock(p),
  ]);
  return [checkRuntime(p), dataDir, port, dns, ...reach, checkKeys(p)];
}

const mark: Record<Verdict, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

export function formatDoctor(header: string, results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [header, ""];
  for (const r of results) {
    lines.push(`  ${mark[r.verdict]}  ${r.name.padEnd(width)}  ${r.detail}`);
    if (r.fix) lines.push(`        ${" ".repeat(width)}  fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.verdict === "fail").length;
  const warned = results.filter((r) => r.verdict === "warn").length;
  lines.push(
    "",
    failed === 0 && warned === 0
      ? "Everything looks fine."
      : `${failed} problem(s), ${warned} warning(s).${failed ? " pocketgate may not work until the problems are fixed." : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
