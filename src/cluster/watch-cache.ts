import { createInterface } from "node:readline";
import { ANNOTATIONS, type KubeObject, type ObjectRef, refOf } from "../api/index.js";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";
import type { KubeClient } from "./client.js";
import { resourcePath } from "./discovery.js";
import { ApiError } from "./errors.js";
import { abortableSleep } from "./rate-limit.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface CacheEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The cached object before this event (MODIFIED, DELETED). */
  previous?: KubeObject;
}

export interface WatchCacheOptions {
  /** Server-side filter, e.g. a label bosun puts on what it manages. */
  labelSelector?: string;
  /** Restrict to one namespace; cluster-wide when absent. */
  namespace?: string;
  /** Client-side filter; by default objects that carry the tracking annotation. */
  accept?: (obj: KubeObject) => boolean;
  onEvent?: (event: CacheEvent) => void;
  onError?: (error: Error, kind: string) => void;
  /** Seconds a watch request stays open before the server ends it and the cache re-watches. */
  watchTimeoutSeconds?: number;
}

export interface WatchCacheStats {
  lists: number;
  watches: number;
  /** Watches that ended in 410 Gone (resourceVersion too old) and forced a relist. */
  expired: number;
  events: number;
}

const tracked = (obj: KubeObject) => Boolean(obj.metadata.annotations?.[ANNOTATIONS.trackingId]);

export function refKey(ref: ObjectRef): string {
  return `${ref.group}|${ref.kind}|${ref.namespace}|${ref.name}`;
}

interface WatchLine {
  type: WatchEventType | "BOOKMARK" | "ERROR";
  object: KubeObject | { kind: "Status"; code?: number; message?: string };
}

/**
 * Live objects of the kinds bosun manages, kept current by list+watch: one informer loop per kind that
 * lists, watches from the list's resourceVersion (with bookmarks), re-watches when the server closes the
 * stream, and relists after 410 Gone or a lost connection, emitting the differences it finds as events.
 * Reads (get, list) cost no API request.
 */
export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly kinds = new Map<string, { synced: Promise<void>; controller: AbortController }>();
  private readonly accept: (obj: KubeObject) => boolean;
  private stopped = false;
  readonly stats: WatchCacheStats = { lists: 0, watches: 0, expired: 0, events: 0 };

  constructor(
    private readonly client: KubeClient,
    private readonly options: WatchCacheOptions = {},
  ) {
    this.accept = options.accept ?? tracked;
  }

  /** Starts watching a kind (idempotent); resolves when its first list is in the cache. */
  watchKind(apiVersion: string, kind: string, signal?: AbortSignal): Promise<void> {
    const key = `${apiVersion}|${kind}`;
    const existing = this.kinds.get(key);
    if (existing) return existing.synced;
    // A watch asked for after stop() or with a signal already aborted would never be ended by either.
    if (this.stopped || signal?.aborted)
      return Promise.reject(new Error(`watch of ${kind} not started: the cache is stopped or the caller aborted`));
    const controller = new AbortController();
    signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
    let markSynced: () => void = () => undefined;
    let failSynced: (err: unknown) => void = () => undefined;
    const synced = new Promise<void>((resolve, reject) => {
      markSynced = resolve;
      failSynced = reject;
    });
    this.kinds.set(key, { synced, controller });
    void this.informer(apiVersion, kind, controller.signal, markSynced).catch((err: unknown) => {
      this.kinds.delete(key);
      failSynced(err);
    });
    return synced;
  }

  get(ref: ObjectRef): KubeObject | undefined {
    return this.objects.get(refKey(ref));
  }

  list(filter?: (obj: KubeObject) => boolean): KubeObject[] {
    const all = [...this.objects.values()];
    return filter ? all.filter(filter) : all;
  }

  stop(): void {
    this.stopped = true;
    for (const { controller } of this.kinds.values()) controller.abort();
    this.kinds.clear();
  }

  private async informer(apiVersion: string, kind: string, signal: AbortSignal, markSynced: () => void): Promise<void> {
    let failures = 0;
    let synced = false;
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await this.relist(apiVersion, kind, signal);
          synced = true;
          markSynced();
        }
        resourceVersion = await this.watchOnce(apiVersion, kind, resourceVersion, signal);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && err.isGone) {
          this.stats.expired++;
          resourceVersion = undefined;
          continue;
        }
        // Until the first list succeeds, errors are the caller's (unknown kind, no permission, no server);
        // after that the cache keeps serving what it has and retries with backoff.
        if (!synced) throw err;
        this.options.onError?.(err instanceof Error ? err : new Error(String(err)), kind);
        // Re-watch from where we were; if the server no longer has that history it answers 410 and we relist.
        await abortableSleep(backoffDelay(failures++, DEFAULT_BACKOFF), signal).catch(() => undefined);
      }
    }
  }

  /** Lists the kind, replaces its cached objects and emits what changed since the last view. */
  private async relist(apiVersion: string, kind: string, signal: AbortSignal): Promise<string> {
    this.stats.lists++;
    const { items, resourceVersion } = await this.client.list(apiVersion, kind, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      signal,
    });
    const seen = new Set<string>();
    for (const item of items) {
      if (!this.accept(item)) continue;
      seen.add(refKey(refOf(item)));
      this.upsert(item);
    }
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    for (const [key, obj] of this.objects) {
      if (obj.kind === kind && refOf(obj).group === group && !seen.has(key)) this.remove(obj);
    }
    return resourceVersion;
  }

  /** One watch request; returns the last resourceVersion seen when the server ends the stream. */
  private async watchOnce(apiVersion: string, kind: string, fromVersion: string, signal: AbortSignal): Promise<string> {
    const info = await this.client.discovery.lookup(apiVersion, kind, signal);
    if (!info) throw new Error(`the server no longer serves ${kind} in ${apiVersion}`);
    this.stats.watches++;
    const res = await this.client.rest.stream({
      path: resourcePath(info, this.options.namespace),
      query: {
        watch: true,
        resourceVersion: fromVersion,
        allowWatchBookmarks: true,
        labelSelector: this.options.labelSelector,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
      },
      signal,
    });
    let version = fromVersion;
    const lines = createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as WatchLine;
        if (event.type === "ERROR") {
          const status = event.object as { code?: number; message?: string; reason?: string };
          throw new ApiError(status.code ?? 500, status.reason ?? "", "GET", "watch", status.message ?? "watch error");
        }
        const obj = event.object as KubeObject;
        version = obj.metadata.resourceVersion ?? version;
        if (event.type === "BOOKMARK") continue;
        const full = { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? kind };
        if (event.type === "DELETED" || !this.accept(full)) this.remove(full);
        else this.upsert(full);
      }
    } finally {
      lines.close();
      res.destroy();
    }
    return version;
  }

  private upsert(obj: KubeObject): void {
    const key = refKey(refOf(obj));
    const previous = this.objects.get(key);
    if (previous?.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.objects.set(key, obj);
    this.emit({ type: previous ? "MODIFIED" : "ADDED", object: obj, previous });
  }

  private remove(obj: KubeObject): void {
    const key = refKey(refOf(obj));
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    this.emit({ type: "DELETED", object: obj, previous });
  }

  private emit(event: CacheEvent): void {
    this.stats.events++;
    this.options.onEvent?.(event);
  }
}
