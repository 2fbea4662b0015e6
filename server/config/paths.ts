// Where pocketgate keeps its data (pure: the caller passes the environment and home directory).

export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg?.startsWith("/") ? xdg : `${home}/.config`;
  return `${base}/pocketgate`;
}

export const CONFIG_FILE_NAME = "pocketgate.toml";
