// Repository URLs: which ones bosun hands to git, how they are shown, and when two name the same repository.
import { InvalidRepoUrlError } from "./errors.js";

export type RepoUrlTransport = "https" | "http" | "ssh" | "git" | "file";

export interface RepoUrl {
  /** The URL exactly as given; this is what git receives. */
  url: string;
  transport: RepoUrlTransport;
  /** Host name (lower case) or "" for file URLs. */
  host: string;
  /** The URL with any user information stripped: safe for errors and logs. */
  display: string;
}

const SCHEMES: Record<string, RepoUrlTransport> = {
  "https:": "https",
  "http:": "http",
  "ssh:": "ssh",
  "git:": "git",
  "file:": "file",
};

const DEFAULT_PORTS: Record<RepoUrlTransport, string> = { https: "443", http: "80", ssh: "22", git: "9418", file: "" };

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** git's `<transport>::<address>` remote-helper syntax (ext::, fd::, file::, …). */
const TRANSPORT_HELPER = /^[A-Za-z0-9+.-]*::/;
/** scp-like ssh: `user@host:path`; no slash may come before the colon. */
const SCP_LIKE = /^([A-Za-z0-9._~+-]+)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(.+)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
const USERINFO_IN_TEXT = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/@]+@/g;

/** Strip `user:pass@` (any user information) from every URL in a text. */
export function redactUrl(text: string): string {
  return text.replace(USERINFO_IN_TEXT, "$1");
}

/**
 * Check that a repository URL is one bosun hands to git: https, http, ssh (`ssh://` or `user@host:path`),
 * git or file; never option-like, never a `<transport>::` helper, never with credentials inside.
 * Throws InvalidRepoUrlError (whose message carries the URL with credentials stripped).
 */
export function parseRepoUrl(url: string): RepoUrl {
  const display = redactUrl(url);
  const reject = (reason: string): never => {
    throw new InvalidRepoUrlError(display, reason);
  };
  if (url.length === 0) reject("empty");
  if (url.length > 4096) reject("longer than 4096 characters");
  if (CONTROL.test(url)) reject("contains control characters");
  if (url.startsWith("-")) reject("starts with '-' and could be read as an option");
  if (TRANSPORT_HELPER.test(url)) reject("the <transport>::<address> form (ext::, fd::, …) is not allowed");

  const scheme = SCHEME_URL.exec(url);
  if (scheme) return parseSchemeUrl(url, display, reject);

  const scp = SCP_LIKE.exec(url);
  if (scp) {
    const [, user = "", host = "", path = ""] = scp;
    if (user.startsWith("-")) reject("the user name starts with '-'");
    if (host.startsWith("-")) reject("the host starts with '-'");
    if (path.startsWith("-")) reject("the path starts with '-'");
    return { url, transport: "ssh", host: host.toLowerCase(), display };
  }
  return reject("unsupported form (allowed: https://, http://, ssh://, git://, file://, user@host:path)");
}

function parseSchemeUrl(url: string, display: string, reject: (reason: string) => never): RepoUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return reject("not a valid URL");
  }
  const transport = SCHEMES[parsed.protocol.toLowerCase()];
  if (transport === undefined) {
    return reject(`the ${parsed.protocol.replace(/:$/, "")} transport is not allowed (https, http, ssh, git, file)`);
  }
  if (parsed.password !== "") reject("credentials must be given as a credentials object, not inside the URL");
  if ((transport === "https" || transport === "http") && parsed.username !== "") {
    reject("credentials must be given as a credentials object, not inside the URL");
  }
  if (parsed.username.startsWith("-")) reject("the user name starts with '-'");
  const host = parsed.hostname.toLowerCase();
  if (transport === "file") {
    if (host !== "" && host !== "localhost") reject("a file URL must not name a host");
    if (parsed.pathname === "" || parsed.pathname === "/") reject("a file URL needs a path");
  } else {
    if (host === "") reject("no host");
    if (host.startsWith("-")) reject("the host starts with '-'");
    if (parsed.pathname === "" || parsed.pathname === "/") reject("no repository path");
  }
  return { url, transport, host, display };
}

/**
 * A comparable form of a repository URL, or undefined when it is not one: lower-case scheme and host, no
 * user information, no default port, no trailing `/` or `.git`, and scp-like `git@host:org/repo` written
 * as `ssh://host/org/repo`.
 */
export function normalizeRepoUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === "" || TRANSPORT_HELPER.test(trimmed)) return undefined;
  if (SCHEME_URL.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    const transport = SCHEMES[parsed.protocol.toLowerCase()];
    if (transport === undefined) return undefined;
    const port = parsed.port === DEFAULT_PORTS[transport] ? "" : parsed.port;
    const host = transport === "file" && parsed.hostname.toLowerCase() === "localhost" ? "" : parsed.hostname;
    return `${transport}://${host.toLowerCase()}${port ? `:${port}` : ""}${trimPath(parsed.pathname)}`;
  }
  const scp = SCP_LIKE.exec(trimmed);
  if (scp) {
    const [, , host = "", path = ""] = scp;
    return `ssh://${host.toLowerCase()}${trimPath(path.startsWith("/") ? path : `/${path}`)}`;
  }
  return undefined;
}

function trimPath(path: string): string {
  let p = path.replace(/\/+$/, "");
  if (p.endsWith(".git")) p = p.slice(0, -4);
  return p.replace(/\/+$/, "");
}

/** True when both URLs name the same repository over the same transport (see normalizeRepoUrl). */
export function repoUrlMatches(a: string, b: string): boolean {
  const na = normalizeRepoUrl(a);
  return na !== undefined && na === normalizeRepoUrl(b);
}
