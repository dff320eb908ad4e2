export { ChartDependencyFetchError, lockDigest } from "./chart-dependencies.js";
export { type ChartCredentials, ChartSource, type ChartSourceOptions, type ResolvedChart } from "./chart-source.js";
export type { BasicCredentials, RepoCredentials, SshCredentials, TokenCredentials } from "./credentials.js";
export { parseDuration } from "./duration.js";
export {
  CheckoutError,
  CredentialsError,
  FetchError,
  type FetchFailureReason,
  FileRepoNotAllowedError,
  GitCommandError,
  InvalidDurationError,
  InvalidRepoUrlError,
  InvalidRevisionError,
  RevisionNotFoundError,
  WebhookNotPushError,
  WebhookPayloadError,
  WebhookSignatureError,
} from "./errors.js";
export type { FileRepoPolicy } from "./file-repos.js";
export {
  type Checkout,
  type CheckoutOptions,
  type CleanupOptions,
  type FetchOptions,
  type FetchResult,
  type FetchStatus,
  GitSource,
  type GitSourceOptions,
  type ResolvedRevision,
  type ResolveOptions,
} from "./git-source.js";
export type { CommitInfo } from "./mirror.js";
export {
  normalizeRepoUrl,
  parseRepoUrl,
  type RepoUrl,
  type RepoUrlTransport,
  redactUrl,
  repoUrlMatches,
} from "./repo-url.js";
export { highestTagInRange, isFullSha, validateRevision } from "./revision.js";
export { type PushEvent, parsePushWebhook, type WebhookHeaders, type WebhookProvider } from "./webhook.js";
