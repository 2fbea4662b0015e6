// Plain round-robin over the configured upstream keys. The health-aware pool replaces this later;
// routes only see `next()`.

export interface KeyRotation {
  /** The next key, or undefined when none is configured. */
  next(): string | undefined;
}

export function createKeyRotation(keys: () => readonly string[]): KeyRotation {
  let index = 0;
  return {
    next() {
      const list = keys();
      if (list.length === 0) return undefined;
      const key = list[index % list.length];
      index = (index + 1) % list.length;
      return key;
    },
  };
}
