// The Applications the dashboard knows, kept current by the server's event stream. Pure.
import type { ServerEvent } from "./event-stream.js";
import { type AppSummary, appKey, decodeAppKey, decodeItems, decodeSummary } from "./model.js";

export interface AppStore {
  /** False until a first list (the stream's snapshot or GET /api/applications) arrived. */
  loaded: boolean;
  apps: ReadonlyMap<string, AppSummary>;
  /** How often each Application changed since the page loaded: a page showing one re-reads it when this moves. */
  changes: ReadonlyMap<string, number>;
  /** Moves at each snapshot (a new connection): everything shown may be stale. */
  epoch: number;
  /** Moves at every list and every change of any Application: a page showing many re-reads them when it moves. */
  version: number;
}

export const EMPTY_STORE: AppStore = { loaded: false, apps: new Map(), changes: new Map(), epoch: 0, version: 0 };

function bump(changes: ReadonlyMap<string, number>, key: string): Map<string, number> {
  const next = new Map(changes);
  next.set(key, (changes.get(key) ?? 0) + 1);
  return next;
}

/** The store with a full list in place of what it had. */
export function withList(store: AppStore, items: readonly AppSummary[]): AppStore {
  return {
    loaded: true,
    apps: new Map(items.map((a) => [appKey(a), a])),
    changes: store.changes,
    epoch: store.epoch + 1,
    version: store.version + 1,
  };
}

/** The store after one stream event; an event it cannot read leaves it as it was. */
export function applyServerEvent(store: AppStore, event: ServerEvent): AppStore {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return store;
  }
  try {
    if (event.event === "snapshot") return withList(store, decodeItems(data, decodeSummary));
    if (event.event === "application") {
      const app = decodeSummary(data);
      const key = appKey(app);
      const apps = new Map(store.apps);
      apps.set(key, app);
      return { ...store, apps, changes: bump(store.changes, key), version: store.version + 1 };
    }
    if (event.event === "deleted") {
      const key = appKey(decodeAppKey(data));
      const apps = new Map(store.apps);
      apps.delete(key);
      return { ...store, apps, changes: bump(store.changes, key), version: store.version + 1 };
    }
  } catch {
    // A payload of an unexpected shape: keep what is shown rather than show half of it.
  }
  return store;
}

/** Moves whenever one of these Applications changes: a page showing their state re-reads it then. */
export function changesOf(
  store: Pick<AppStore, "changes">,
  keys: readonly { namespace: string; name: string }[],
): string {
  return keys.map((k) => store.changes.get(appKey(k)) ?? 0).join(",");
}
