// The dashboard's root: log in (or reuse this tab's token), follow the event stream, route by hash.
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { ApiClient, ApiError } from "./api-client.js";
import { EditAppPage, NewAppPage } from "./app-form.js";
import { AppList } from "./app-list.js";
import { AppPage } from "./app-page.js";
import { type AppStore, applyServerEvent, EMPTY_STORE, withList } from "./app-store.js";
import { ClustersPage } from "./clusters-page.js";
import { followEventStream, type StreamState } from "./event-stream.js";
import { CLUSTERS_HREF, parseRoute, type Route } from "./hash-route.js";
import { Login } from "./login.js";
import { decodeItems, decodeSummary, decodeWhoAmI, type WhoAmI } from "./model.js";
import { type Session, TOKEN_KEY } from "./session.js";
import { errorText } from "./widgets.js";

const CLOCK_MS = 10_000;
const STREAM_LABEL: Record<StreamState, string> = {
  connecting: "connecting…",
  live: "live",
  retrying: "reconnecting…",
};

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Applications, kept by the event stream (and a first GET, so the list shows even while the stream connects). */
function useAppStore(session: Session, onUnauthorized: () => void): { store: AppStore; stream: StreamState } {
  const [store, setStore] = useState<AppStore>(EMPTY_STORE);
  const [stream, setStream] = useState<StreamState>("connecting");
  useEffect(() => {
    const controller = new AbortController();
    session.api
      .get("/api/applications", (v) => decodeItems(v, decodeSummary), controller.signal)
      .then(
        (items) => setStore((s) => (s.loaded ? s : withList(s, items))),
        () => {}, // the stream's snapshot brings the list too
      );
    void followEventStream({
      url: "/api/events/stream",
      token: session.api.token,
      signal: controller.signal,
      onEvent: (event) => setStore((s) => applyServerEvent(s, event)),
      onState: setStream,
      onUnauthorized,
    });
    return () => controller.abort();
  }, [session, onUnauthorized]);
  return { store, stream };
}

function useClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

const TITLES: Record<Route["page"], string> = {
  list: "Applications",
  clusters: "Clusters",
  app: "",
  new: "New Application",
  edit: "Edit Application",
};

function Page({ session, route, store, now }: { session: Session; route: Route; store: AppStore; now: number }) {
  if (route.page === "clusters") return <ClustersPage session={session} now={now} version={`${store.epoch}:${now}`} />;
  if (route.page === "list") return <AppList session={session} store={store} now={now} cluster={route.cluster} />;
  if (route.page === "new") return <NewAppPage session={session} />;
  if (route.page === "edit") return <EditAppPage session={session} namespace={route.namespace} name={route.name} />;
  return (
    <AppPage
      session={session}
      namespace={route.namespace}
      name={route.name}
      tab={route.tab}
      version={`${store.epoch}:${store.changes.get(`${route.namespace}/${route.name}`) ?? 0}`}
      store={store}
      now={now}
    />
  );
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const route = useHashRoute();
  const { store, stream } = useAppStore(session, onLogout);
  const now = useClock();
  useEffect(() => {
    document.title = `${route.page === "app" ? route.name : TITLES[route.page]} · bosun`;
  }, [route]);
  return (
    <>
      <header class="topbar">
        <a class="brand" href="#/">
          bosun
        </a>
        <span class={`stream stream-${stream}`} role="status" title="Updates from the server's event stream">
          {STREAM_LABEL[stream]}
        </span>
        <a class="nav" href={CLUSTERS_HREF} aria-current={route.page === "clusters" ? "page" : undefined}>
          Clusters
        </a>
        <span class="spacer" />
        <span class="role" title={`logged in as ${session.me.name}`}>
          {session.me.role === "admin" ? "admin" : "read-only"}
        </span>
        <button type="button" class="link" onClick={onLogout}>
          Log out
        </button>
      </header>
      <Page session={session} route={route} store={store} now={now} />
    </>
  );
}

export function Dashboard() {
  const [token, setToken] = useState<string | undefined>(() => sessionStorage.getItem(TOKEN_KEY) ?? undefined);
  const [me, setMe] = useState<WhoAmI | undefined>();
  const [checkError, setCheckError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const logout = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(undefined);
    setMe(undefined);
  }, []);
  const api = useMemo(() => (token ? new ApiClient(token, logout) : undefined), [token, logout]);
  // A token kept from before a reload: ask again who it is (it may have been rotated since; a 401 logs out).
  useEffect(() => {
    if (!api || me) return;
    const controller = new AbortController();
    setCheckError(undefined);
    api.get("/api/whoami", decodeWhoAmI, controller.signal).then(setMe, (err: unknown) => {
      if (!controller.signal.aborted && !(err instanceof ApiError && err.status === 401)) setCheckError(errorText(err));
    });
    return () => controller.abort();
  }, [api, me, logout, attempt]);
  const session = useMemo(() => (api && me ? { api, me } : undefined), [api, me]);
  if (session) return <Shell session={session} onLogout={logout} />;
  if (api)
    return (
      <main class="page">
        {checkError ? (
          <>
            <p class="error" role="alert">
              Could not reach bosun to check the saved token: {checkError}
            </p>
            <button type="button" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>{" "}
            <button type="button" onClick={logout}>
              Log out
            </button>
          </>
        ) : (
          <p class="muted">Checking the saved token…</p>
        )}
      </main>
    );
  return (
    <Login
      onLogin={(value, who) => {
        sessionStorage.setItem(TOKEN_KEY, value);
        setMe(who);
        setToken(value);
      }}
    />
  );
}
