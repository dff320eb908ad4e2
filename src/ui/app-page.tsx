// One Application: its state, what a running sync waits for, the Applications it depends on, and tabs for
// resources, diff, history, drift and Events. Re-read whenever the event stream says it, or one it depends
// on, changed.

import { useRef, useState } from "preact/hooks";
import { ActionBar } from "./actions.js";
import { appPath } from "./api-client.js";
import { EditLink } from "./app-form.js";
import { type AppStore, changesOf } from "./app-store.js";
import { ConfirmButton } from "./confirm-button.js";
import { DiffTab } from "./diff-tab.js";
import { DriftTab } from "./drift-tab.js";
import { EventsTab } from "./events-tab.js";
import { shortSha } from "./format.js";
import { appHref, listHref, TABS, type Tab } from "./hash-route.js";
import { HistoryTab } from "./history-tab.js";
import { type AppDetail, decodeDetail, type QuarantinedView } from "./model.js";
import { OperationPanel, ResourcesTab } from "./resources-tab.js";
import type { Session } from "./session.js";
import { type ActionState, useAction } from "./use-action.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote, Revision, Time } from "./widgets.js";

type AppKeyView = { namespace: string; name: string };

function sameKeys(a: readonly AppKeyView[], b: readonly AppKeyView[]): boolean {
  return a.length === b.length && a.every((k, i) => k.namespace === b[i]?.namespace && k.name === b[i]?.name);
}

const TAB_NAMES: Record<Tab, string> = {
  resources: "Resources",
  diff: "Diff",
  history: "History",
  drift: "Drift",
  events: "Events",
};

/** A revision an automatic rollback quarantined, and a button that lets automated sync sync it again. */
function Quarantined(props: { quarantined: QuarantinedView; session: Session; actions: ActionState }) {
  const { quarantined: q, actions } = props;
  // Lifting lets automated sync take a revision that failed its health gate: asked twice, as a rollback is.
  const [confirming, setConfirming] = useState(false);
  const revision = shortSha(q.revision);
  return (
    <div>
      <code>{revision}</code>{" "}
      <span class="muted small">
        rolled back to <code>{shortSha(q.rolledBackTo)}</code>: {q.reason}
      </span>{" "}
      <ConfirmButton
        session={props.session}
        actions={actions}
        confirming={confirming}
        setConfirming={setConfirming}
        class="small"
        label={`Lift quarantine of ${revision}`}
        title={`Let automated sync sync ${revision} again`}
        confirmLabel={`Confirm: automated sync may take ${revision} again`}
        run={() => actions.run("unquarantine", { revision: q.revision }, `lifting the quarantine of ${revision}`)}
      />
    </div>
  );
}

function Facts(props: { app: AppDetail; now: number; session: Session; actions: ActionState }) {
  const { app, now, session, actions } = props;
  const policy = app.policy;
  const automation = policy.automated
    ? `automated${policy.prune ? ", prune" : ""}${policy.selfHeal ? ", self-heal" : ""}`
    : "manual sync";
  return (
    <dl class="facts">
      <dt>Revision</dt>
      <dd>
        <Revision sha={app.revision} message={app.revisionMessage} />
      </dd>
      <dt>Source</dt>
      <dd class="wrap">
        <code>{app.source.repoURL}</code>{" "}
        {app.source.chart ? (
          <>
            <span class="muted">chart</span> <code>{app.source.chart}</code>
          </>
        ) : (
          <>
            <span class="muted">path</span> <code>{app.source.path || "."}</code>
          </>
        )}{" "}
        <span class="muted">at</span> <code>{app.source.revision ?? (app.source.chart ? "*" : "HEAD")}</code>
      </dd>
      <dt>Destination</dt>
      <dd class="wrap">
        <span class="muted">cluster</span>{" "}
        <a href={listHref({ cluster: app.cluster })} title={`Applications deploying to ${app.cluster}`}>
          <code>{app.cluster}</code>
        </a>{" "}
        <span class="muted">namespace</span> <code>{app.destinationNamespace ?? "(as in the manifests)"}</code>
      </dd>
      <dt>Policy</dt>
      <dd>
        {automation}
        {policy.interval ? `, every ${policy.interval}` : ""}
        {app.suspended ? <span class="tag">suspended</span> : null}
      </dd>
      {app.syncWindow ? (
        <>
          <dt>Sync window</dt>
          <dd class="wrap">
            <Badge status={app.syncWindow.state} label="Sync window" />{" "}
            {app.syncWindow.nextChange ? <span class="muted small">until {app.syncWindow.nextChange}</span> : null}
            {app.syncWindow.message ? <div class="muted small">{app.syncWindow.message}</div> : null}
          </dd>
        </>
      ) : null}
      {app.quarantined.length > 0 ? (
        <>
          <dt>Quarantined</dt>
          <dd class="wrap">
            {app.quarantined.map((q) => (
              <Quarantined key={q.revision} quarantined={q} session={session} actions={actions} />
            ))}
          </dd>
        </>
      ) : null}
      <dt>Last sync</dt>
      <dd>
        {app.lastSync ? (
          <>
            <Time iso={app.lastSync.at} now={now} /> <Badge status={app.lastSync.result} label="Last sync" />{" "}
            <span class="muted small">by {app.lastSync.initiatedBy}</span>
          </>
        ) : (
          <span class="muted">never</span>
        )}
      </dd>
    </dl>
  );
}

/** What the project or ownership refused: nothing of the render was applied. */
function Denied({ app }: { app: AppDetail }) {
  if (app.denied.length === 0) return null;
  return (
    <div class="denied">
      <strong>Not permitted in project {app.project}; nothing applied:</strong>
      <ul>
        {app.denied.map((d) => (
          <li key={d.resource}>
            <code>{d.resource}</code>: {d.rule}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** spec.dependsOn: each Application (a link to it), whether it is ready, and why not. */
function DependsOn({ app }: { app: AppDetail }) {
  if (app.dependsOn.length === 0) return null;
  return (
    <section class="depends-on" aria-label="Depends on">
      <h2>Depends on</h2>
      <ul>
        {app.dependsOn.map((d) => {
          const key = `${d.namespace}/${d.name}`;
          return (
            <li key={key} aria-label={`Dependency ${key}`}>
              <a href={appHref(d)}>{d.namespace === app.namespace ? d.name : key}</a>{" "}
              <Badge status={d.ready ? "Ready" : "Waiting"} label={`Dependency ${key}`} />
              {d.why ? <span class="why">{d.why}</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Conditions({ app }: { app: AppDetail }) {
  const shown = app.conditions.filter((c) => c.message && !(c.type === "Ready" && c.status === "True"));
  if (shown.length === 0) return null;
  return (
    <ul class="conditions">
      {shown.map((c) => (
        <li key={c.type} class={c.type === "Stalled" && c.status === "True" ? "error" : ""}>
          <strong>{c.type}</strong> {c.reason ? <span class="muted">({c.reason})</span> : null}: {c.message}
        </li>
      ))}
    </ul>
  );
}

function Tabs({ app, tab }: { app: { namespace: string; name: string }; tab: Tab }) {
  return (
    <nav class="tabs" aria-label="Application views">
      {TABS.map((t) => (
        <a key={t} href={appHref(app, t)} aria-current={t === tab ? "page" : undefined}>
          {TAB_NAMES[t]}
        </a>
      ))}
    </nav>
  );
}

export function AppPage(props: {
  session: Session;
  namespace: string;
  name: string;
  tab: Tab;
  /** Moves whenever the event stream reports a change of this Application. */
  version: string;
  /** The Applications the stream keeps: the detail is re-read when one this one depends on changes. */
  store: Pick<AppStore, "changes">;
  now: number;
}) {
  const { session, tab, version, now } = props;
  const key = { namespace: props.namespace, name: props.name };
  // The Applications it depends on, as the last answer named them, and their change counts then: when one
  // moves, the detail is read again (their readiness is part of it).
  const watched = useRef<{ keys: readonly AppKeyView[]; seen: string }>({ keys: [], seen: "" });
  const depsNow = changesOf(props.store, watched.current.keys);
  const depsVersion = depsNow === watched.current.seen ? "" : depsNow;
  const detail = useApiGet(session.api, appPath(key), decodeDetail, `${version}/${depsVersion}`);
  const actions = useAction(session, key);
  const app = detail.data;
  const keys = app?.dependsOn ?? [];
  if (!sameKeys(watched.current.keys, keys)) watched.current = { keys, seen: changesOf(props.store, keys) };
  return (
    <main class="page app-page">
      <p class="crumbs">
        <a href="#/">Applications</a> / {props.namespace}
      </p>
      {!app ? (
        <>
          <h1>{props.name}</h1>
          <ErrorNote error={detail.error} />
          {detail.loading ? <p class="muted">Loading…</p> : null}
        </>
      ) : (
        <>
          <header class="app-header">
            <h1>{app.name}</h1>
            <div class="badges">
              <Badge status={app.sync} label="Sync" />
              <Badge status={app.health} label="Health" />
              {app.rolledBackTo !== undefined ? <span class="tag">rolled back to #{app.rolledBackTo}</span> : null}
            </div>
            <EditLink session={session} app={app} />
          </header>
          {app.healthMessage && app.health !== "Healthy" ? <p class="muted">{app.healthMessage}</p> : null}
          <ErrorNote error={detail.error} />
          <ActionBar session={session} app={app} actions={actions} />
          <OperationPanel app={app} />
          <Conditions app={app} />
          <DependsOn app={app} />
          <Denied app={app} />
          <Facts app={app} now={now} session={session} actions={actions} />
          <Tabs app={app} tab={tab} />
          <div class="tab-body">
            {tab === "resources" ? <ResourcesTab session={session} app={app} version={version} /> : null}
            {tab === "diff" ? <DiffTab session={session} app={key} /> : null}
            {tab === "history" ? (
              <HistoryTab session={session} app={app} version={version} now={now} actions={actions} />
            ) : null}
            {tab === "drift" ? (
              <DriftTab session={session} app={key} selfHeal={app.policy.selfHeal} version={version} now={now} />
            ) : null}
            {tab === "events" ? <EventsTab session={session} app={key} version={version} now={now} /> : null}
          </div>
        </>
      )}
    </main>
  );
}
