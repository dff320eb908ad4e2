// The `github`, `gitlab` and `gitea` Notifiers: a commit status on the synced commit, through each
// provider's REST API, on the repository of the Application's source. Pure.
import type { NotificationEvent, NotifierType } from "../../api/index.js";
import type { Notification } from "./notification.js";
import { type OutgoingRequest, USER_AGENT } from "./outgoing.js";

export type CommitStatusProvider = Extract<NotifierType, "github" | "gitlab" | "gitea">;

export const COMMIT_STATUS_PROVIDERS: readonly CommitStatusProvider[] = ["github", "gitlab", "gitea"];

export function isCommitStatusProvider(type: string): type is CommitStatusProvider {
  return (COMMIT_STATUS_PROVIDERS as readonly string[]).includes(type);
}

/** The API base each provider has by default; Gitea has none (it is always self-hosted). */
export const DEFAULT_API_BASE: Record<CommitStatusProvider, string | undefined> = {
  github: "https://api.github.com",
  gitlab: "https://gitlab.com",
  gitea: undefined,
};

/** The phase of a sync a commit status says: running, succeeded or failed. */
type Phase = "running" | "succeeded" | "failed";

const PHASES: Partial<Record<NotificationEvent, Phase>> = {
  SyncStarted: "running",
  SyncSucceeded: "succeeded",
  SyncFailed: "failed",
  HealthDegraded: "failed",
  RolledBack: "failed",
};

/** Each provider's word for each phase (GitLab says a sync under way is `running`; `pending` is queued). */
const STATES: Record<CommitStatusProvider, Record<Phase, string>> = {
  github: { running: "pending", succeeded: "success", failed: "failure" },
  gitlab: { running: "running", succeeded: "success", failed: "failed" },
  gitea: { running: "pending", succeeded: "success", failed: "failure" },
};

/** The state a provider is told for an event; undefined when the event sets no commit status. */
export function commitState(provider: CommitStatusProvider, event: NotificationEvent): string | undefined {
  const phase = PHASES[event];
  return phase ? STATES[provider][phase] : undefined;
}

/** The status's context (GitHub, Gitea) or name (GitLab): one per Application. */
export function statusContext(n: Notification): string {
  return `bosun/${n.application.namespace}/${n.application.name}`;
}

export interface RepositoryLocation {
  /** host[:port] */
  host: string;
  /** The path of the repository on its host, without `.git`: `owner/repo` (GitLab: `group/sub/repo`). */
  path: string;
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/;

/**
 * Host and repository path of a Git URL: https://host/owner/repo(.git), ssh://[user@]host[:port]/owner/repo.git,
 * git://…, or scp-style user@host:owner/repo.git. Undefined for anything else (a file:// URL, a bare path).
 */
export function repositoryOf(repoURL: string): RepositoryLocation | undefined {
  let host: string;
  let path: string;
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? undefined : SCP_LIKE.exec(repoURL);
  if (scp) {
    host = scp[1] as string;
    path = scp[2] as string;
  } else {
    let url: URL;
    try {
      url = new URL(repoURL);
    } catch {
      return undefined;
    }
    if (!["https:", "http:", "ssh:", "git:"].includes(url.protocol) || !url.host) return undefined;
    host = url.host;
    path = decodeURIComponent(url.pathname);
  }
  path = path
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/, "")
    .replace(/^~/, "");
  const segments = path.split("/").filter((s) => s !== "");
  if (segments.length < 2 || segments.some((s) => s === "." || s === "..")) return undefined;
  return { host, path: segments.join("/") };
}

/** A full commit SHA (SHA-1 or SHA-256): what commit statuses are set on; branches and chart versions are not. */
export function isCommitSha(revision: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(revision);
}

/** GitHub limits a status's description; the others take it too. */
const DESCRIPTION_MAX = 140;

function description(n: Notification): string {
  const text = `${n.event}: ${n.message}`;
  return text.length <= DESCRIPTION_MAX ? text : `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}

/** The repository path below the API base's own path prefix (a self-hosted instance under `/gitlab`). */
function pathBelowBase(repo: RepositoryLocation, base: URL): string {
  const prefix = base.pathname.replace(/^\/+|\/+$/g, "");
  if (prefix && repo.host === base.host && repo.path.startsWith(`${prefix}/`))
    return repo.path.slice(prefix.length + 1);
  return repo.path;
}

export type CommitStatusRequest = { request: OutgoingRequest } | { skip: string };

/**
 * The POST that sets the notification's commit status, or why none is set: an event that sets none, no full
 * commit SHA, or a source that is not a Git repository on a host.
 */
export function commitStatusRequest(
  provider: CommitStatusProvider,
  options: { address?: string; token: string },
  n: Notification,
): CommitStatusRequest {
  const state = commitState(provider, n.event);
  if (!state) return { skip: `${n.event} sets no commit status` };
  if (!n.revision || !isCommitSha(n.revision)) return { skip: `${n.event} names no commit` };
  const repo = repositoryOf(n.source.repoURL);
  if (!repo) return { skip: "the Application's source is not a Git repository on a host" };
  const baseText = options.address || DEFAULT_API_BASE[provider];
  if (!baseText) return { skip: `${provider} needs spec.address` };
  const base = new URL(baseText);
  const root = base.href.replace(/\/+$/, "");
  const path = pathBelowBase(repo, base);
  if (provider !== "gitlab" && path.split("/").length !== 2)
    return { skip: `the repository ${path} is not OWNER/REPO, as ${provider} names repositories` };
  const sha = n.revision;
  const context = statusContext(n);
  const target = n.url ? { target_url: n.url } : {};
  const json = { "Content-Type": "application/json", "User-Agent": USER_AGENT };
  switch (provider) {
    case "github":
      return {
        request: {
          url: `${root}/repos/${ownerRepo(path)}/statuses/${sha}`,
          method: "POST",
          headers: {
            ...json,
            Accept: "application/vnd.github+json",
            Authorization: `Bearer ${options.token}`,
            "X-GitHub-Api-Version": "2022-11-28",
          },
          body: JSON.stringify({ state, context, description: description(n), ...target }),
        },
      };
    case "gitlab":
      return {
        request: {
          url: `${root}/api/v4/projects/${encodeURIComponent(path)}/statuses/${sha}`,
          method: "POST",
          headers: { ...json, Accept: "application/json", "PRIVATE-TOKEN": options.token },
          body: JSON.stringify({ state, name: context, description: description(n), ...target }),
        },
      };
    case "gitea":
      return {
        request: {
          url: `${root}/api/v1/repos/${ownerRepo(path)}/statuses/${sha}`,
          method: "POST",
          headers: { ...json, Accept: "application/json", Authorization: `token ${options.token}` },
          body: JSON.stringify({ state, context, description: description(n), ...target }),
        },
      };
  }
}

/** `owner/repo`, each part escaped, for the providers whose repositories have exactly two parts. */
function ownerRepo(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
