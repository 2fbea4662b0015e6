// The host (and port) of a URL for messages and views: never its path, query or credentials; the
// text itself when it is not a URL. Pure.
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
