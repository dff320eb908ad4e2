// The environment every git child runs in: built from scratch, so neither the user's git configuration
// nor stray GIT_* variables of this process (GIT_DIR, GIT_SSH_COMMAND, GIT_CONFIG_PARAMETERS…) reach it.

/** Configuration every git command gets, through GIT_CONFIG_COUNT/KEY/VALUE (not the command line). */
export const GIT_CONFIG: ReadonlyArray<readonly [string, string]> = [
  // Only these transports; ext::, fd:: and every other remote helper are refused by git itself.
  ["protocol.allow", "never"],
  ["protocol.https.allow", "always"],
  ["protocol.http.allow", "always"],
  ["protocol.ssh.allow", "always"],
  ["protocol.git.allow", "always"],
  ["protocol.file.allow", "always"],
  ["protocol.ext.allow", "never"],
  ["protocol.fd.allow", "never"],
  ["core.hooksPath", "/dev/null"],
  ["core.fsmonitor", "false"],
  ["credential.helper", ""],
  ["init.defaultBranch", "main"],
  ["gc.autoDetach", "false"],
  ["maintenance.autoDetach", "false"],
  ["advice.detachedHead", "false"],
  // Mirrors and checkouts hold other teams' repositories: owner-only files and directories.
  ["core.sharedRepository", "0600"],
];

/** Variables passed through from this process when set: proxies and CA bundles. */
const PASSED_THROUGH = [
  "PATH",
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "NO_PROXY",
  "no_proxy",
  "ALL_PROXY",
  "all_proxy",
  "GIT_SSL_CAINFO",
  "GIT_SSL_CAPATH",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
] as const;

export interface GitEnvironmentOptions {
  /** An empty directory bosun owns, used as HOME so no ~/.gitconfig is read. */
  home: string;
  /** This process's environment (the source of PATH, proxies and CA bundles). */
  inherit?: Readonly<Record<string, string | undefined>>;
}

export function gitEnvironment(options: GitEnvironmentOptions): Record<string, string> {
  const inherit = options.inherit ?? process.env;
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = inherit[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  Object.assign(env, {
    HOME: options.home,
    XDG_CONFIG_HOME: `${options.home}/.config`,
    LANG: "C",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_PROTOCOL_FROM_USER: "0",
    GIT_CONFIG_COUNT: String(GIT_CONFIG.length),
  });
  GIT_CONFIG.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
