export { ApplicationClient } from "./applications.js";
export { type ApplyObjectsOptions, applyObjects, type ChangeSetEntry } from "./apply-objects.js";
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, retryAfterMs } from "./backoff.js";
export {
  type ApplyOptions,
  type ApplyResult,
  addressOf,
  type FieldValidation,
  KubeClient,
  type KubeClientOptions,
  type ListResult,
  type ObjectAddress,
  type PropagationPolicy,
  type WriteRequestOptions,
} from "./client.js";
export {
  CLUSTER_SECRET_SELECTOR,
  type ClusterCredentials,
  type ClusterEntry,
  ClusterSecretError,
  clusterFromSecret,
  clusterSecretFromKubeconfig,
  configFromCredentials,
  normalizeServer,
} from "./cluster-secret.js";
export { type ClusterConfig, clusterConfigOf, type LoadConfigOptions, loadClusterConfig } from "./config.js";
export { Discovery, type ResourceInfo, resourcePath, splitApiVersion } from "./discovery.js";
export {
  ApiError,
  apiErrorOf,
  ConnectionError,
  connectionErrorOf,
  InvalidObjectError,
  isRefusal,
  type KubeStatus,
  ObjectError,
} from "./errors.js";
export { type EventRecorder, type EventSource, type EventType, KubeEventRecorder, recordEvent } from "./events.js";
export { TokenBucket } from "./rate-limit.js";
export {
  CONTENT_TYPES,
  type Impersonation,
  type RequestObserver,
  RestClient,
  type RestClientOptions,
  serviceAccountUser,
} from "./rest.js";
export { ScopeTable } from "./scope-table.js";
export {
  type CacheEvent,
  refKey,
  WatchCache,
  type WatchCacheOptions,
  type WatchCacheStats,
  type WatchEventType,
} from "./watch-cache.js";
