// Errors of the source module. Every message names the repository by its URL with credentials stripped
// (see redactUrl) and never contains a password, token or key.

/** A repository URL bosun refuses to hand to git (unsupported transport, option-like, credentials inside). */
export class InvalidRepoUrlError extends Error {
  override readonly name = "InvalidRepoUrlError";
  /** The URL with credentials stripped. */
  readonly url: string;
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(`invalid repository URL ${JSON.stringify(url)}: ${reason}`, options);
    this.url = url;
  }
}

/** A revision bosun refuses to look up (option-like, control characters, empty). */
export class InvalidRevisionError extends Error {
  override readonly name = "InvalidRevisionError";
  readonly revision: string;
  constructor(revision: string, reason: string, options?: { cause?: unknown }) {
    super(`invalid revision ${JSON.stringify(revision)}: ${reason}`, options);
    this.revision = revision;
  }
}

/** The revision is not a branch, tag, commit or matching semver tag of the repository (after a successful fetch). */
export class RevisionNotFoundError extends Error {
  override readonly name = "RevisionNotFoundError";
  readonly revision: string;
  /** The URL with credentials stripped. */
  readonly url: string;
  constructor(revision: string, url: string, detail?: string, options?: { cause?: unknown }) {
    super(`revision ${JSON.stringify(revision)} not found in ${url}${detail ? `: ${detail}` : ""}`, options);
    this.revision = revision;
    this.url = url;
  }
}

/** Why a fetch failed, as far as git's output tells. */
export type FetchFailureReason = "auth" | "host-key" | "not-found" | "unreachable" | "other";

/** A fetch (or ls-remote) against the remote failed. The mirror keeps its last fetched state. */
export class FetchError extends Error {
  override readonly name = "FetchError";
  /** The URL with credentials stripped. */
  readonly url: string;
  readonly reason: FetchFailureReason;
  constructor(url: string, reason: FetchFailureReason, detail: string, options?: { cause?: unknown }) {
    super(`fetch of ${url} failed (${reason}): ${detail}`, options);
    this.url = url;
    this.reason = reason;
  }
}

/** A git command exited non-zero. Arguments and stderr are already redacted. */
export class GitCommandError extends Error {
  override readonly name = "GitCommandError";
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | null, stderr: string, options?: { cause?: unknown }) {
    super(`git ${subcommandOf(args)} exited with ${exitCode ?? "a signal"}${stderr ? `: ${stderr}` : ""}`, options);
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** The git subcommand in an argument list (`fetch` in `--git-dir X fetch --prune …`). */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--git-dir" || arg === "--work-tree" || arg === "-c" || arg === "-C") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return "(no subcommand)";
}

/** A checkout could not be made or the commit is not in the mirror. */
export class CheckoutError extends Error {
  override readonly name = "CheckoutError";
  readonly sha: string;
  constructor(sha: string, detail: string, options?: { cause?: unknown }) {
    super(`checkout of ${sha} failed: ${detail}`, options);
    this.sha = sha;
  }
}

/** A duration string such as `1m30s` could not be parsed. */
export class InvalidDurationError extends Error {
  override readonly name = "InvalidDurationError";
  readonly input: string;
  constructor(input: string, reason: string, options?: { cause?: unknown }) {
    super(`invalid duration ${JSON.stringify(input)}: ${reason}`, options);
    this.input = input;
  }
}

/** The webhook's signature or token is missing or does not match the secret. */
export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
  readonly provider: string;
  constructor(provider: string, detail: string, options?: { cause?: unknown }) {
    super(`${provider} webhook rejected: ${detail}`, options);
    this.provider = provider;
  }
}

/** The webhook is authentic but is not a push (e.g. GitHub's `ping`). Callers usually answer 202 and ignore it. */
export class WebhookNotPushError extends Error {
  override readonly name = "WebhookNotPushError";
  readonly provider: string;
  /** The event name the provider sent (`ping`, `Merge Request Hook`, …), or "" when none was sent. */
  readonly event: string;
  constructor(provider: string, event: string, options?: { cause?: unknown }) {
    super(`${provider} webhook is not a push event (event ${JSON.stringify(event)})`, options);
    this.provider = provider;
    this.event = event;
  }
}

/** The webhook body is not JSON or lacks the fields of a push event. */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
  readonly provider: string;
  constructor(provider: string, detail: string, options?: { cause?: unknown }) {
    super(`${provider} webhook payload is malformed: ${detail}`, options);
    this.provider = provider;
  }
}

/** Credentials that cannot be used for a repository (wrong kind for the transport, or malformed). Never echoes values. */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
  /** The URL with credentials stripped. */
  readonly url: string;
  constructor(url: string, detail: string, options?: { cause?: unknown }) {
    super(`credentials for ${url} cannot be used: ${detail}`, options);
    this.url = url;
  }
}

/**
 * A `file://` repository outside the directories this GitSource may read (or inside its own cache, which
 * is never read). Says how to allow it; never names credentials.
 */
export class FileRepoNotAllowedError extends Error {
  override readonly name = "FileRepoNotAllowedError";
  /** The URL as given (file URLs carry no credentials). */
  readonly url: string;
  constructor(url: string, detail: string, options?: { cause?: unknown; allowable?: boolean }) {
    const hint =
      options?.allowable === false
        ? "bosun never reads its own cache directory"
        : "to allow it, start the agent with bosun agent --allow-file-repos DIR, naming a directory that contains it";
    super(
      `file:// repository ${url} is not allowed: ${detail}; ${hint}`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.url = url;
  }
}
