// Filesystem access. Only this file touches node:fs (works on Bun and Node alike).
import { constants, type FSWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export { dirname, join };

/** `path` made absolute against the current folder (a service does not start where its installer ran). */
export const absolutePath = (path: string): string => resolve(path);

export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function ensureDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}

/** Temp copies of `path` are named `.<name>.<random>.tmp` beside it. */
const tempPrefix = (path: string) => `.${basename(path)}.`;

/**
 * Removes temp copies of `path` older than `maxAgeMs` that a killed write left behind (a write in
 * progress, by another process, is younger). Returns how many went.
 */
export async function removeStaleTemps(path: string, maxAgeMs: number): Promise<number> {
  const dir = dirname(path);
  const prefix = tempPrefix(path);
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    try {
      const info = await stat(join(dir, name));
      if (Date.now() - info.mtimeMs < maxAgeMs) continue;
      await rm(join(dir, name), { force: true });
      removed++;
    } catch {}
  }
  return removed;
}

/**
 * Calls `onChange` (debounced) when `path` may have changed: its directory is watched, since an
 * editor or an atomic write replaces the file rather than writing into it. Where the platform
 * cannot watch (some Android storage), the file's status is polled every 2 s instead.
 */
export function watchForChanges(path: string, onChange: () => void, debounceMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref?.();
  };
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed === null || String(changed) === name) fire();
    });
    watcher.on("error", () => {});
  } catch {
    watchFile(path, { interval: 2000, persistent: false }, fire);
  }
  return () => {
    clearTimeout(timer);
    if (watcher) watcher.close();
    else unwatchFile(path);
  };
}

/**
 * Write a file so that a crash leaves either the old or the new contents, never a mix:
 * temp file beside it (mode 0600), fsync, rename over, fsync the directory.
 */
export async function writeFileAtomic(path: string, contents: string): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const temp = join(dir, `${tempPrefix(path)}${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  try {
    await handle.writeFile(contents, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // Persist the rename itself; some filesystems (and Windows) cannot open a directory.
  try {
    const dirHandle = await open(dir, constants.O_RDONLY);
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {}
}
