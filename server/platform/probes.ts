// What `pocketgate doctor` asks the machine: can this directory be written, is this port free,
// does this name resolve. Each answers with an error message instead of throwing.
import { lookup } from "node:dns/promises";
import { rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { arch } from "node:process";
import { ensureDir } from "./fs.ts";

export const cpuArch = arch;

/** undefined when a file can be created (and removed) in `dir`; else the reason. */
export async function dirWritableError(dir: string): Promise<string | undefined> {
  try {
    await ensureDir(dir);
    const probe = join(dir, `.doctor-${process.pid}`);
    await writeFile(probe, "ok");
    await rm(probe);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/** undefined when `host:port` can be listened on; else the error code (EADDRINUSE, EACCES…). */
export function portError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** The addresses `hostname` resolves to, or the error code (ENOTFOUND, EAI_AGAIN…). */
export async function resolveHost(hostname: string): Promise<{ addresses: string[] } | { error: string }> {
  try {
    const found = await lookup(hostname, { all: true });
    return { addresses: found.map((a) => a.address) };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}
