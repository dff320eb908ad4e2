// One object of the resource tree: its live manifest, the one Git asks for, and their diff. The server masks
// Secret values and only answers for the Application's own objects and their descendants; an object the
// cluster made (a Pod, a ReplicaSet) has a live manifest only.
import { useEffect, useRef, useState } from "preact/hooks";
import { appPath } from "./api-client.js";
import { parseDiff } from "./diff-model.js";
import { type Mode, ModeSwitch, Section } from "./diff-tab.js";
import { appHref } from "./hash-route.js";
import type { Session } from "./session.js";
import { decodeManifests, objectName, type ResourceManifestsView, type TreeRef } from "./tree-model.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote } from "./widgets.js";

type View = "live" | "desired" | "diff";

const VIEW_NAMES: Record<View, string> = { live: "Live", desired: "Desired", diff: "Diff" };

function Manifest({ text, what, absent }: { text: string | undefined; what: string; absent: string }) {
  if (text === undefined) return <p class="muted">{absent}</p>;
  return (
    <figure class="manifest-figure" aria-label={what}>
      <pre class="manifest">{text}</pre>
    </figure>
  );
}

function DiffView({ answer }: { answer: ResourceManifestsView }) {
  const [mode, setMode] = useState<Mode>("unified");
  if (answer.diff === undefined) return <p class="muted">Not compared{answer.note ? `: ${answer.note}` : "."}</p>;
  if (answer.diff === "") return <p class="no-diff">No differences: the cluster matches Git.</p>;
  return (
    <>
      <ModeSwitch mode={mode} setMode={setMode} />
      {parseDiff(answer.diff).sections.map((s) => (
        <Section key={s.title} section={s} mode={mode} />
      ))}
    </>
  );
}

function ViewBody({ view, answer, name }: { view: View; answer: ResourceManifestsView; name: string }) {
  if (view === "live")
    return <Manifest text={answer.live} what={`Live manifest of ${name}`} absent="Not in the cluster." />;
  if (view === "desired")
    return <Manifest text={answer.desired} what={`Desired manifest of ${name}`} absent="Not in Git." />;
  return <DiffView answer={answer} />;
}

export function ResourcePanel(props: {
  session: Session;
  app: { namespace: string; name: string };
  resource: TreeRef;
  /** Made by the cluster (a descendant in the tree): live only, even before the answer says so. */
  descendant: boolean;
  health?: string;
}) {
  const { session, app, resource } = props;
  const [view, setView] = useState<View>("live");
  // Desired and diff render from Git and dry-run: read on opening and on request, not on every event.
  const [asked, setAsked] = useState(0);
  const query = new URLSearchParams({
    group: resource.group,
    kind: resource.kind,
    namespace: resource.namespace,
    name: resource.name,
  }).toString();
  const answer = useApiGet(session.api, `${appPath(app)}/resource?${query}`, decodeManifests, String(asked));
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.scrollIntoView?.({ block: "nearest" }), []);
  const name = objectName(resource);
  const descendant = answer.data ? answer.data.status === "Child" : props.descendant;
  const views: View[] = descendant ? ["live"] : ["live", "desired", "diff"];
  const shown = views.includes(view) ? view : "live";
  return (
    <section class="resource-panel" aria-label={`Resource ${name}`} ref={panel}>
      <header class="resource-panel-head">
        <h3>
          {resource.kind} <span class="name">{resource.name}</span>
          {resource.namespace ? <span class="muted small"> in {resource.namespace}</span> : null}
        </h3>
        <div class="badges">
          {answer.data && !descendant ? <Badge status={answer.data.status} label="Sync" /> : null}
          {props.health ? <Badge status={props.health} label="Health" /> : null}
        </div>
        <div class="toolbar">
          <button type="button" disabled={answer.loading} onClick={() => setAsked((n) => n + 1)}>
            {answer.loading ? "Reading…" : "Read again"}
          </button>
          <a href={appHref(app)}>Close</a>
        </div>
      </header>
      <div class="manifest-tabs" role="tablist" aria-label={`Views of ${name}`}>
        {views.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            id={`manifest-tab-${v}`}
            aria-selected={v === shown}
            aria-controls="manifest-view"
            onClick={() => setView(v)}
          >
            {VIEW_NAMES[v]}
          </button>
        ))}
      </div>
      <div class="manifest-view" id="manifest-view" role="tabpanel" aria-labelledby={`manifest-tab-${shown}`}>
        <ErrorNote error={answer.error} />
        {answer.loading && !answer.data ? <p class="muted">Reading the cluster and rendering from Git…</p> : null}
        {answer.data ? (
          <>
            {answer.data.note && shown !== "diff" ? <p class="muted small">{answer.data.note}</p> : null}
            <ViewBody view={shown} answer={answer.data} name={name} />
          </>
        ) : null}
      </div>
    </section>
  );
}
