export type { Clock } from "./core/clock.js";
export type { PropagationPolicy } from "./core/deletion.js";
export {
  EmbeddedApi,
  type EmbeddedApiOptions,
  type PatchOptions,
  type WriteOptions,
  type WriteResult,
} from "./core/embedded-api.js";
export type { PatchType } from "./core/patch-object.js";
export type { ListRequest, ListResult, WatchEvent, WatchRequest } from "./core/reads.js";
export type { Target } from "./core/target.js";
export { ApiStatusError, type KubeStatusBody } from "./errors.js";
export { type EmbeddedServer, type EmbeddedServerOptions, startEmbeddedServer } from "./http/server.js";
export { type KubeconfigOptions, kubeconfigYaml, writeKubeconfig } from "./kubeconfig.js";
export type { ResourceType } from "./resources/resource-type.js";
export { DEFAULT_NODE_NAME, type SimulatorOptions } from "./simulator/options.js";
export { SimulatorError, WorkloadSimulator } from "./simulator/simulator.js";
export type { ObjectKey } from "./store/object-key.js";
export {
  type Change,
  type ChangeListener,
  type ChangeType,
  SqliteStore,
  type StoreOptions,
} from "./store/sqlite-store.js";
