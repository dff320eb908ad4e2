// The named tokens the server accepts, kept current by a watch of their Secrets in the agent's namespace: a
// token created while the server runs works at once, a deleted or rotated one stops working at once.
import { type CacheEvent, type KubeClient, WatchCache } from "../cluster/index.js";
import type { TokenEntry } from "./auth.js";
import { NAMED_TOKEN_SELECTOR, type NamedToken, namedTokenOf } from "./named-token-secret.js";

export interface TokenStoreOptions {
  /** The agent's namespace, where the tokens' Secrets live. */
  namespace: string;
  /** The watch failed after its first list; it keeps serving what it has and retries. */
  onError?: (error: Error) => void;
  /** A named token stopped being what it was (deleted, rotated, its role or project changed): what it opened must end. */
  onRevoked?: (name: string) => void;
}

const sameGrant = (a: TokenEntry, b: TokenEntry) =>
  a.sha256 === b.sha256 && a.role === b.role && a.project === b.project && a.name === b.name;

export class TokenStore {
  private readonly cache: WatchCache;
  /** The parsed entries; recomputed on the first read after a change. */
  private current: readonly TokenEntry[] | undefined;

  constructor(
    client: KubeClient,
    private readonly options: TokenStoreOptions,
  ) {
    this.cache = new WatchCache(client, {
      namespace: options.namespace,
      labelSelector: NAMED_TOKEN_SELECTOR,
      accept: () => true,
      onEvent: (e) => this.changed(e),
      onError: (err) => options.onError?.(err),
    });
  }

  /** Starts the watch; resolves when the first list is in (a failure then, such as no permission, rejects). */
  async start(signal: AbortSignal): Promise<void> {
    await this.cache.watchKind("v1", "Secret", signal);
  }

  /** The named tokens as they are now: hashes, roles and projects only. */
  entries(): readonly TokenEntry[] {
    this.current ??= this.cache.list().flatMap((secret) => {
      const token = namedTokenOf(secret);
      return token ? [{ name: token.name, role: token.role, sha256: token.sha256, project: token.project }] : [];
    });
    return this.current;
  }

  stop(): void {
    this.cache.stop();
  }

  private changed(e: CacheEvent): void {
    this.current = undefined;
    const before: NamedToken | undefined = e.previous ? namedTokenOf(e.previous) : undefined;
    if (!before) return;
    const after = e.type === "DELETED" ? undefined : namedTokenOf(e.object);
    if (!after || !sameGrant(before, after)) this.options.onRevoked?.(before.name);
  }
}
