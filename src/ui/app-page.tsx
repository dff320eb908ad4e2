// One Application: its state, what a running sync waits for, and tabs for resources, diff, history,
// drift and Events. Re-read whenever the event stream says it changed.

import { ActionBar } from "./actions.js";
import { appPath } from "./api-client.js";
import { DiffTab } from "./diff-tab.js";
import { DriftTab } from "./drift-tab.js";
import { EventsTab } from "./events-tab.js";
import { appHref, TABS, type Tab } from "./hash-route.js";
import { HistoryTab } from "./history-tab.js";
import { type AppDetail, decodeDetail } from "./model.js";
import { OperationPanel, ResourcesTab } from "./resources-tab.js";
import type { Session } from "./session.js";
import { useAction } from "./use-action.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote, Revision, Time } from "./widgets.js";

const TAB_NAMES: Record<Tab, string> = {
  resources: "Resources",
  diff: "Diff",
  history: "History",
  drift: "Drift",
  events: "Events",
};

function Facts({ app, now }: { app: AppDetail; now: number }) {
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
      <dd>
        <code>{app.destinationNamespace ?? "(as in the manifests)"}</code>
      </dd>
      <dt>Policy</dt>
      <dd>
        {automation}
        {policy.interval ? `, every ${policy.interval}` : ""}
        {app.suspended ? <span class="tag">suspended</span> : null}
      </dd>
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
  now: number;
}) {
  const { session, tab, version, now } = props;
  const key = { namespace: props.namespace, name: props.name };
  const detail = useApiGet(session.api, appPath(key), decodeDetail, version);
  const actions = useAction(session, key);
  const app = detail.data;
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
          </header>
          {app.healthMessage && app.health !== "Healthy" ? <p class="muted">{app.healthMessage}</p> : null}
          <ErrorNote error={detail.error} />
          <ActionBar session={session} app={app} actions={actions} />
          <OperationPanel app={app} />
          <Conditions app={app} />
          <Denied app={app} />
          <Facts app={app} now={now} />
          <Tabs app={app} tab={tab} />
          <div class="tab-body">
            {tab === "resources" ? <ResourcesTab app={app} /> : null}
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
