// Credentials reach git through the child's environment and 0600 files, never its command line.
//
// HTTPS: GIT_ASKPASS points at a fixed helper script (no secret inside) that prints BOSUN_GIT_USERNAME or
// BOSUN_GIT_PASSWORD from its own environment, which it inherits from the git child.
// SSH: the key and known_hosts are written to a private temporary directory, used through
// GIT_SSH_COMMAND with strict host key checking, and removed when the command is done.
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CredentialsError } from "./errors.js";
import type { RepoUrl } from "./repo-url.js";

/** HTTPS user name and password (the password may be a personal access token). */
export interface BasicCredentials {
  username: string;
  password: string;
  /** Allow them over plain http:// (refused otherwise: they would travel in clear text). */
  insecure?: boolean;
}

/** An HTTPS token; sent as the password of `username` (default `x-access-token`, which GitHub and Gitea accept). */
export interface TokenCredentials {
  token: string;
  username?: string;
  insecure?: boolean;
}

/** An SSH private key (OpenSSH or PEM text) and the known_hosts lines the server's key must match. */
export interface SshCredentials {
  sshPrivateKey: string;
  knownHosts: string;
}

export type RepoCredentials = BasicCredentials | TokenCredentials | SshCredentials;

export interface PreparedCredentials {
  /** Variables to add to the git child's environment. */
  env: Record<string, string>;
  /** Values that must be redacted from anything git prints. */
  secrets: string[];
  /** Remove temporary files (SSH key, known_hosts). Safe to call twice. */
  dispose(): Promise<void>;
}

export interface PrepareCredentialsOptions {
  /** Where the askpass helper lives (written on first use). */
  askpassPath: string;
  /** A private directory for temporary key files. */
  tempDir: string;
  /** The ssh client, e.g. "ssh" or an absolute path. */
  sshBinary: string;
}

const DEFAULT_TOKEN_USER = "x-access-token";

const ASKPASS_SCRIPT = `#!/bin/sh
# bosun: answers git's credential prompts from the environment of the git process; holds no secret.
case "$1" in
  [Uu]sername*) printf '%s\\n' "$BOSUN_GIT_USERNAME" ;;
  *) printf '%s\\n' "$BOSUN_GIT_PASSWORD" ;;
esac
`;

/** A shell word for GIT_SSH_COMMAND, which git runs through /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A stable, salted fingerprint of credentials (for telling callers apart; never stored or shown). */
export function credentialsFingerprint(credentials: RepoCredentials | undefined, salt: string): string {
  if (credentials === undefined) return "none";
  const parts =
    "sshPrivateKey" in credentials
      ? ["ssh", credentials.sshPrivateKey, credentials.knownHosts]
      : "token" in credentials
        ? ["token", credentials.username ?? DEFAULT_TOKEN_USER, credentials.token]
        : ["basic", credentials.username, credentials.password];
  return createHash("sha256").update(salt).update(JSON.stringify(parts)).digest("hex");
}

/** The ssh command git runs: no user config, only the given identity, only the given known hosts. */
export function sshCommand(sshBinary: string, files?: { keyFile: string; knownHostsFile: string }): string {
  const common = ["-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"];
  const specific = files
    ? [
        "-i",
        files.keyFile,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        `UserKnownHostsFile=${files.knownHostsFile}`,
        "-o",
        "GlobalKnownHostsFile=/dev/null",
      ]
    : ["-o", "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null"];
  return [sshBinary, ...common, ...specific].map(shellQuote).join(" ");
}

/**
 * Throws CredentialsError when the credentials do not fit the transport: an ssh key for ssh, a password or
 * token for https (or plain http only when they say `insecure`), none for git:// and file://.
 */
export function checkCredentials(repo: RepoUrl, credentials: RepoCredentials | undefined): void {
  if (credentials === undefined) return;
  if (repo.transport === "ssh") {
    if (!("sshPrivateKey" in credentials))
      throw new CredentialsError(repo.display, "an ssh URL needs { sshPrivateKey, knownHosts }");
    return;
  }
  if (repo.transport !== "https" && repo.transport !== "http") {
    throw new CredentialsError(repo.display, `the ${repo.transport} transport takes no credentials`);
  }
  if ("sshPrivateKey" in credentials) {
    throw new CredentialsError(repo.display, "an https URL needs { username, password } or { token }");
  }
  if (repo.transport === "http" && credentials.insecure !== true) {
    throw new CredentialsError(
      repo.display,
      'credentials are sent only over https or ssh; for a plain http:// repository set insecure: "true" in the repository Secret',
    );
  }
}

export async function prepareCredentials(
  repo: RepoUrl,
  credentials: RepoCredentials | undefined,
  options: PrepareCredentialsOptions,
): Promise<PreparedCredentials> {
  const none: PreparedCredentials = { env: {}, secrets: [], dispose: async () => {} };
  checkCredentials(repo, credentials);
  if (repo.transport === "ssh") {
    if (credentials === undefined || !("sshPrivateKey" in credentials)) {
      return { ...none, env: { GIT_SSH_COMMAND: sshCommand(options.sshBinary), GIT_SSH_VARIANT: "ssh" } };
    }
    return await prepareSsh(credentials, options);
  }
  if (credentials === undefined || "sshPrivateKey" in credentials) return none;
  const username = "token" in credentials ? (credentials.username ?? DEFAULT_TOKEN_USER) : credentials.username;
  const password = "token" in credentials ? credentials.token : credentials.password;
  if (/[\r\n\0]/.test(username) || /[\r\n\0]/.test(password)) {
    throw new CredentialsError(repo.display, "user name and password must be single lines");
  }
  await ensureAskpass(options.askpassPath);
  return {
    env: { GIT_ASKPASS: options.askpassPath, BOSUN_GIT_USERNAME: username, BOSUN_GIT_PASSWORD: password },
    secrets: [
      password,
      encodeURIComponent(password),
      Buffer.from(`${username}:${password}`).toString("base64"),
      ...(username === DEFAULT_TOKEN_USER ? [] : [`${username}:${password}`]),
    ],
    dispose: async () => {},
  };
}

async function prepareSsh(
  credentials: SshCredentials,
  options: PrepareCredentialsOptions,
): Promise<PreparedCredentials> {
  await mkdir(options.tempDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(options.tempDir, "ssh-"));
  const dispose = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await chmod(dir, 0o700);
    const keyFile = join(dir, "identity");
    const knownHostsFile = join(dir, "known_hosts");
    // OpenSSH refuses a key file without a final newline.
    const key = credentials.sshPrivateKey.endsWith("\n") ? credentials.sshPrivateKey : `${credentials.sshPrivateKey}\n`;
    await writeFile(keyFile, key, { mode: 0o600, flag: "wx" });
    await writeFile(knownHostsFile, `${credentials.knownHosts.trimEnd()}\n`, { mode: 0o600, flag: "wx" });
    return {
      env: { GIT_SSH_COMMAND: sshCommand(options.sshBinary, { keyFile, knownHostsFile }), GIT_SSH_VARIANT: "ssh" },
      secrets: [credentials.sshPrivateKey.trim()],
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Write the askpass helper once (atomically, 0700); rewrite it when its content is not ours. */
async function ensureAskpass(path: string): Promise<void> {
  try {
    if ((await readFile(path, "utf8")) === ASKPASS_SCRIPT) return;
  } catch {
    // missing: written below
  }
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, ASKPASS_SCRIPT, { mode: 0o700 });
  await rename(tmp, path);
}
