// Every Application: sync and health, cluster, revision, last sync; filtered by status, cluster (kept in the
// location hash, so a link can name it) and name; live.
import { useState } from "preact/hooks";
import { type AppStore, clusterChoices, filterApps, type ListFilter } from "./app-store.js";
import { appHref, listHref } from "./hash-route.js";
import type { AppSummary } from "./model.js";
import { Badge, Revision, Time } from "./widgets.js";

const SYNC_CHOICES = ["Synced", "OutOfSync", "Unknown"];
const HEALTH_CHOICES = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"];

function Choice(props: {
  label: string;
  value: string;
  choices: string[];
  onChange: (value: string) => void;
  /** What "" reads as; "any" when not given. */
  all?: string;
}) {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.all ?? "any"}</option>
        {props.choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

function Row({ app, now }: { app: AppSummary; now: number }) {
  const op = app.operation;
  return (
    <tr aria-label={`Application ${app.namespace}/${app.name}`}>
      <td data-label="Application">
        <a class="app-link" href={appHref(app)}>
          {app.name}
        </a>
        <div class="muted small">{app.namespace}</div>
      </td>
      <td data-label="Status">
        <span class="badges">
          <Badge status={app.sync} label="Sync" />
          <Badge status={app.health} label="Health" />
          {op?.phase === "Running" ? (
            <span class="badge tone-busy">syncing{op.wave !== undefined ? ` wave ${op.wave}` : ""}</span>
          ) : null}
          {app.rolledBackTo !== undefined ? <span class="tag">rolled back</span> : null}
          {app.suspended && app.rolledBackTo === undefined ? <span class="tag">suspended</span> : null}
        </span>
      </td>
      <td data-label="Cluster" class="wrap cluster">
        {app.cluster}
      </td>
      <td data-label="Revision" class="wrap">
        <Revision sha={app.revision} message={app.revisionMessage} />
      </td>
      <td data-label="Last sync">
        {app.lastSync ? (
          <>
            <Time iso={app.lastSync.at} now={now} />
            {app.lastSync.result !== "Succeeded" ? (
              <>
                {" "}
                <Badge status={app.lastSync.result} label="Last sync" />
              </>
            ) : null}
          </>
        ) : (
          <span class="muted">never</span>
        )}
      </td>
    </tr>
  );
}

export function AppList({ store, now, cluster = "" }: { store: AppStore; now: number; cluster?: string }) {
  const [own, setFilter] = useState<Omit<ListFilter, "cluster">>({ text: "", sync: "", health: "" });
  const filter = { ...own, cluster };
  const shown = filterApps(store.apps.values(), filter);
  const total = store.apps.size;
  return (
    <main class="page">
      <h1>Applications</h1>
      <search class="filters">
        <label class="filter grow">
          <span>Name</span>
          <input
            type="search"
            placeholder="filter by namespace/name"
            value={filter.text}
            onInput={(e) => setFilter({ ...own, text: e.currentTarget.value })}
          />
        </label>
        <Choice
          label="Sync"
          value={filter.sync}
          choices={SYNC_CHOICES}
          onChange={(sync) => setFilter({ ...own, sync })}
        />
        <Choice
          label="Health"
          value={filter.health}
          choices={HEALTH_CHOICES}
          onChange={(health) => setFilter({ ...own, health })}
        />
        <Choice
          label="Cluster"
          value={cluster}
          choices={clusterChoices(store.apps.values(), cluster)}
          all="all clusters"
          onChange={(value) => {
            location.hash = listHref({ cluster: value });
          }}
        />
      </search>
      {!store.loaded ? <p class="muted">Loading…</p> : null}
      {store.loaded && total === 0 ? <p class="muted">No Applications yet (bosun app create …).</p> : null}
      {store.loaded && total > 0 && shown.length === 0 ? (
        <p class="muted">No Application matches the filter ({total} in all).</p>
      ) : null}
      {shown.length > 0 ? (
        <table class="grid apps">
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Status</th>
              <th scope="col">Cluster</th>
              <th scope="col">Revision</th>
              <th scope="col">Last sync</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <Row key={`${a.namespace}/${a.name}`} app={a} now={now} />
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
