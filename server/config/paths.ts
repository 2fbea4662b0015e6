// Where pocketgate keeps its data (pure: the caller passes the environment and home directory).

/** $XDG_CONFIG_HOME when it is an absolute path (the spec ignores relative ones), else ~/.config. */
export function configHome(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg?.startsWith("/") ? xdg : `${home}/.config`;
}

export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return `${configHome(env, home)}/pocketgate`;
}

export const CONFIG_FILE_NAME = "pocketgate.toml";
