// Every Application: an overview of counts by sync, health, project and cluster (a click filters), and the
// list with sync and health, cluster, revision, last sync. The server filters (name, sync, health, project,
// cluster: the cluster kept in the location hash, so a link can name it) and counts; the list is read once
// per filter and again, at a bounded pace, as the event stream reports changes. Only the rows near the
// viewport are in the DOM.
import { useState } from "preact/hooks";
import { NewAppLink } from "./app-form.js";
import type { AppStore } from "./app-store.js";
import { appHref, listHref } from "./hash-route.js";
import type { AppSummary } from "./model.js";
import {
  type Counts,
  choicesOf,
  HEALTH_ORDER,
  type ListFilter,
  listPath,
  orderedCounts,
  SYNC_ORDER,
} from "./overview-model.js";
import type { Session } from "./session.js";
import { useAppList, useSettled } from "./use-app-list.js";
import { VirtualRows } from "./virtual-list.js";
import { Badge, ErrorNote, Revision, Time } from "./widgets.js";

/** Typing in the name filter asks the server once it pauses this long. */
const TYPING_MS = 250;
const COLUMNS = 5;

/** 1,000 rather than 1000. */
const format = (n: number) => n.toLocaleString("en-US");

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

/** One kind of count (Sync, Health, …): a button per value; pressing one filters by it, again clears it. */
function CountGroup(props: {
  label: string;
  counts: Counts;
  order?: readonly string[];
  value: string;
  toned?: boolean;
  onPick: (value: string) => void;
}) {
  return (
    <fieldset class="count-group" aria-label={props.label}>
      <span class="count-label" aria-hidden="true">
        {props.label}
      </span>
      {orderedCounts(props.counts, props.order).map(([key, n]) => {
        const pressed = props.value === key;
        return (
          <button
            key={key}
            type="button"
            class={`count${props.toned ? ` count-${toneClass(key)}` : ""}`}
            aria-pressed={pressed}
            title={pressed ? `Show every ${props.label.toLowerCase()} again` : `Show only ${key}`}
            onClick={() => props.onPick(pressed ? "" : key)}
          >
            {key} <span class="count-n">{format(n)}</span>
          </button>
        );
      })}
    </fieldset>
  );
}

function toneClass(status: string): string {
  return status.replace(/[^A-Za-z]/g, "").toLowerCase() || "other";
}

function Overview(props: {
  counts: { sync: Counts; health: Counts; project: Counts; cluster: Counts };
  filter: ListFilter;
  set: (change: Partial<ListFilter>) => void;
}) {
  const { counts, filter, set } = props;
  return (
    <section class="overview" aria-label="Overview">
      <CountGroup
        label="Sync"
        counts={counts.sync}
        order={SYNC_ORDER}
        value={filter.sync}
        toned
        onPick={(sync) => set({ sync })}
      />
      <CountGroup
        label="Health"
        counts={counts.health}
        order={HEALTH_ORDER}
        value={filter.health}
        toned
        onPick={(health) => set({ health })}
      />
      {counts.project.size > 1 ? (
        <CountGroup
          label="Project"
          counts={counts.project}
          value={filter.project}
          onPick={(project) => set({ project })}
        />
      ) : null}
      {counts.cluster.size > 1 ? (
        <CountGroup
          label="Cluster"
          counts={counts.cluster}
          value={filter.cluster}
          onPick={(cluster) => set({ cluster })}
        />
      ) : null}
    </section>
  );
}

function Row({ app, index, now }: { app: AppSummary; index: number; now: number }) {
  const op = app.operation;
  return (
    <tr class="app-row" aria-label={`Application ${app.namespace}/${app.name}`} aria-rowindex={index + 2}>
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
      <td data-label="Cluster" class="cluster">
        {app.cluster}
      </td>
      <td data-label="Revision">
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

export function AppList(props: { session: Session; store: AppStore; now: number; cluster?: string }) {
  const { session, store, now, cluster = "" } = props;
  const [own, setOwn] = useState<Omit<ListFilter, "cluster">>({ text: "", sync: "", health: "", project: "" });
  const filter: ListFilter = { ...own, cluster };
  const text = useSettled(own.text, TYPING_MS);
  const { answer, error, loading } = useAppList(session.api, listPath({ ...filter, text }), store.version);
  const set = (change: Partial<ListFilter>) => {
    const { cluster: next, ...rest } = change;
    if (next !== undefined) location.hash = listHref({ cluster: next });
    if (Object.keys(rest).length > 0) setOwn((f) => ({ ...f, ...rest }));
  };
  const counts = answer?.counts;
  const items = answer?.items ?? [];
  return (
    <main class="page">
      <header class="list-header">
        <h1>Applications</h1>
        <NewAppLink session={session} />
      </header>
      {counts ? <Overview counts={counts} filter={filter} set={set} /> : null}
      <search class="filters">
        <label class="filter grow">
          <span>Name</span>
          <input
            type="search"
            placeholder="filter by namespace/name"
            value={own.text}
            onInput={(e) => set({ text: e.currentTarget.value })}
          />
        </label>
        <Choice
          label="Sync"
          value={filter.sync}
          choices={choicesOf(counts?.sync ?? new Map(), filter.sync, SYNC_ORDER)}
          onChange={(sync) => set({ sync })}
        />
        <Choice
          label="Health"
          value={filter.health}
          choices={choicesOf(counts?.health ?? new Map(), filter.health, HEALTH_ORDER)}
          onChange={(health) => set({ health })}
        />
        {(counts?.project.size ?? 0) > 1 || filter.project !== "" ? (
          <Choice
            label="Project"
            value={filter.project}
            choices={choicesOf(counts?.project ?? new Map(), filter.project)}
            all="all projects"
            onChange={(project) => set({ project })}
          />
        ) : null}
        <Choice
          label="Cluster"
          value={cluster}
          choices={choicesOf(counts?.cluster ?? new Map(), cluster)}
          all="all clusters"
          onChange={(value) => set({ cluster: value })}
        />
      </search>
      <ErrorNote error={error} />
      {!answer && !error ? <p class="muted">Loading…</p> : null}
      {answer && answer.total === 0 ? <p class="muted">No Applications yet (bosun app create …).</p> : null}
      {answer && answer.total > 0 && answer.matched === 0 ? (
        <p class="muted">No Application matches the filter ({format(answer.total)} in all).</p>
      ) : null}
      {answer && answer.matched > 0 ? (
        <p class="muted small list-count" aria-live="polite">
          {answer.matched === answer.total
            ? `${format(answer.total)} Applications`
            : `${format(answer.matched)} of ${format(answer.total)} Applications match`}
        </p>
      ) : null}
      {items.length > 0 ? (
        <table class="grid apps" aria-rowcount={items.length + 1} aria-busy={loading}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Application</th>
              <th scope="col">Status</th>
              <th scope="col">Cluster</th>
              <th scope="col">Revision</th>
              <th scope="col">Last sync</th>
            </tr>
          </thead>
          <VirtualRows
            items={items}
            columns={COLUMNS}
            row={(app, index) => <Row key={`${app.namespace}/${app.name}`} app={app} index={index} now={now} />}
          />
        </table>
      ) : null}
    </main>
  );
}
