export {
  type AppDetail,
  type AppSummary,
  appDetail,
  appSummary,
  type DependencyView,
  groupByWave,
  type WaveGroup,
} from "./app-view.js";
export {
  type ApiTokens,
  authenticate,
  type Caller,
  hashToken,
  mayAct,
  maySee,
  type Role,
  type TokenEntry,
} from "./auth.js";
export type { ClusterStatuses, ClustersView, ClusterView } from "./cluster-view.js";
export { DEFAULT_LISTEN, parseListenAddress } from "./listen-address.js";
export { BosunMetrics } from "./metrics.js";
export {
  NAMED_TOKEN_PREFIX,
  type NamedToken,
  projectNameProblem,
  tokenNameProblem,
} from "./named-token-secret.js";
export {
  type CreateTokenOptions,
  createNamedToken,
  deleteNamedToken,
  InvalidTokenNameError,
  listNamedTokens,
  NoSuchTokenError,
  TokenExistsError,
} from "./named-tokens.js";
export { createServer, type ServerOptions } from "./server.js";
export { API_TOKENS_SECRET, ensureApiTokens, TOKEN_KEYS } from "./tokens.js";
export { appsForPush, revisionMayMove } from "./webhook-match.js";
