// The Application's resources as a tree, by sync wave: each of its objects with its sync status and health,
// and below it what the cluster made of it (ReplicaSets, Pods, claims, EndpointSlices), each with its health.
// A row opens the object's live and desired manifests and their diff; the location names the open one.
import { useEffect, useState } from "preact/hooks";
import { appPath } from "./api-client.js";
import { parseRoute, type ResourceKey, resourceHref } from "./hash-route.js";
import type { AppDetail } from "./model.js";
import { describeOperation, waitingFor } from "./operation-view.js";
import { ResourcePanel } from "./resource-panel.js";
import type { Session } from "./session.js";
import {
  decodeTree,
  isDescendant,
  objectName,
  refKey,
  type TreeRow,
  type TreeSection,
  treeSections,
} from "./tree-model.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote } from "./widgets.js";

/** The tree is read again this often while the tab is open, besides whenever the Application changes. */
const TREE_REFRESH_MS = 10_000;

/** Indentation classes go this deep; deeper rows are indented as much. */
const MAX_DEPTH_CLASS = 5;

function selectedResource(): ResourceKey | undefined {
  const route = parseRoute(location.hash);
  return route.page === "app" ? route.resource : undefined;
}

/** The object the location names (`…/resources?resource=G/K/NS/N`), following the back button. */
function useSelectedResource(): ResourceKey | undefined {
  const [selected, setSelected] = useState(selectedResource);
  useEffect(() => {
    const onChange = () => setSelected(selectedResource());
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return selected;
}

function Row(props: {
  row: TreeRow;
  app: { namespace: string; name: string };
  selected: boolean;
  onFold: (key: string) => void;
}) {
  const { row, app } = props;
  const r = row.resource;
  const name = objectName(row.ref);
  const health = row.node?.health?.status ?? r?.health;
  const healthMessage = row.node?.health?.message || r?.healthMessage;
  const sync = r?.status ?? row.node?.sync;
  const depth = Math.min(row.depth, MAX_DEPTH_CLASS);
  return (
    <tr aria-label={name} class={`depth-${depth}${props.selected ? " selected" : ""}`}>
      <td data-label="Name" class="tree-name">
        {row.hasChildren ? (
          <button
            type="button"
            class="fold"
            aria-expanded={!row.folded}
            aria-label={`${row.folded ? "Show" : "Hide"} what ${name} made`}
            onClick={() => props.onFold(refKey(row.ref))}
          >
            {row.folded ? "▸" : "▾"}
          </button>
        ) : (
          <span class="fold-space" />
        )}
        <a class="name" href={resourceHref(app, row.ref)} aria-current={props.selected ? "true" : undefined}>
          {row.ref.name}
        </a>
        {row.ref.namespace && row.depth === 0 ? <span class="muted small"> in {row.ref.namespace}</span> : null}
      </td>
      <td data-label="Kind">
        {row.ref.kind}
        {r?.hook ? <span class="tag">{r.hook} hook</span> : null}
      </td>
      <td data-label="Sync">{sync ? <Badge status={sync} label="Sync" /> : <span class="muted">—</span>}</td>
      <td data-label="Health">
        {health ? <Badge status={health} label="Health" /> : <span class="muted">no health check</span>}
        {healthMessage && health !== "Healthy" ? <div class="muted small">{healthMessage}</div> : null}
        {r?.message ? <div class="error small">{r.message}</div> : null}
      </td>
      <td data-label="Details">
        {(row.node?.info ?? []).map((i) => (
          <span key={i} class="tag info">
            {i}
          </span>
        ))}
      </td>
    </tr>
  );
}

function SectionTable(props: {
  section: TreeSection;
  running: boolean;
  app: { namespace: string; name: string };
  selectedKey: string | undefined;
  onFold: (key: string) => void;
}) {
  const { section, running } = props;
  return (
    <section class={`wave ${running ? "wave-running" : ""}`}>
      <h3>
        {section.wave === undefined ? "Not listed by wave" : `Wave ${section.wave}`}
        {running ? <span class="badge tone-busy">syncing</span> : null}
      </h3>
      <table class="grid resources resource-tree">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Sync</th>
            <th scope="col">Health</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {section.rows.map((row) => (
            <Row
              key={refKey(row.ref)}
              row={row}
              app={props.app}
              selected={refKey(row.ref) === props.selectedKey}
              onFold={props.onFold}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Counts up every `ms`: what the cluster makes (a new Pod) changes no Application, so nothing else says so. */
function useTicks(ms: number): number {
  const [ticks, setTicks] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTicks((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return ticks;
}

export function ResourcesTab({ session, app, version }: { session: Session; app: AppDetail; version: string }) {
  const key = { namespace: app.namespace, name: app.name };
  const ticks = useTicks(TREE_REFRESH_MS);
  const tree = useApiGet(session.api, `${appPath(key)}/tree`, decodeTree, `${version}/${ticks}`);
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const selected = useSelectedResource();
  const sections = treeSections(app.waves, tree.data, folded);
  const runningWave = app.operation?.phase === "Running" ? app.operation.wave : undefined;
  const fold = (k: string) =>
    setFolded((s) => {
      const next = new Set(s);
      if (!next.delete(k)) next.add(k);
      return next;
    });
  const selectedKey = selected ? refKey(selected) : undefined;
  const selectedHealth = sections.flatMap((s) => s.rows).find((r) => refKey(r.ref) === selectedKey)?.node
    ?.health?.status;
  return (
    <div class="waves">
      {sections.length === 0 && !tree.loading ? (
        <p class="muted">No resources yet: the agent has not compared this Application.</p>
      ) : null}
      {tree.error ? <ErrorNote error={`The resource tree could not be read: ${tree.error}`} /> : null}
      {sections.map((section) => (
        <SectionTable
          key={section.wave ?? "other"}
          section={section}
          running={section.wave !== undefined && section.wave === runningWave}
          app={key}
          selectedKey={selectedKey}
          onFold={fold}
        />
      ))}
      {tree.data && tree.data.omitted > 0 ? <p class="muted not-listed">{tree.data.omitted} more not shown</p> : null}
      {app.notListed && !tree.data ? (
        <p class="muted not-listed">
          {app.notListed.count} more resources not listed
          {app.notListed.allSyncedAndHealthy ? ", all Synced and Healthy" : ""} (the full list:{" "}
          <code>bosun app resources {app.name}</code>)
        </p>
      ) : null}
      {selected ? (
        <ResourcePanel
          key={selectedKey}
          session={session}
          app={key}
          resource={selected}
          descendant={isDescendant(tree.data, selected)}
          health={selectedHealth}
        />
      ) : null}
    </div>
  );
}

export function OperationPanel({ app }: { app: AppDetail }) {
  const op = app.operation;
  if (!op) return null;
  const running = op.phase === "Running";
  const waiting = waitingFor(app);
  return (
    <section class={`operation ${running ? "operation-running" : ""}`} aria-label="Operation">
      <h2>
        {running ? "Sync in progress" : "Last operation"} <Badge status={op.phase} label="Operation" />
      </h2>
      <p>{describeOperation(op)}</p>
      {waiting.length > 0 ? (
        <p>
          Waiting for:{" "}
          {waiting.map((r) => (
            <span key={`${r.kind}/${r.name}`} class="tag">
              {r.kind}/{r.name} ({r.health})
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
