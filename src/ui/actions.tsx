// The Application's action bar: Sync (optionally to a revision), Sync options (prune, dry run, chosen objects),
// Refresh, Suspend, and Resume after a rollback or a suspension. Disabled, with the reason, for a read-only
// token; the server checks the role again.
import { useState } from "preact/hooks";
import type { AppDetail, ResourceView } from "./model.js";
import { mayAct, READ_ONLY_HINT, type Session } from "./session.js";
import type { ActionState } from "./use-action.js";
import { Badge } from "./widgets.js";

const refName = (r: ResourceView) =>
  `${r.group ? `${r.kind}.${r.group}` : r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
const refKey = (r: ResourceView) => `${r.group}/${r.kind}/${r.namespace}/${r.name}`;

/** What a sync with these options is called in the outcome line ("a dry run of 2 chosen objects with prune"). */
export function describeSync(options: { revision?: string; prune: boolean; dryRun: boolean; chosen: number }): string {
  return [
    options.dryRun ? "a dry run" : "a sync",
    ...(options.chosen > 0 ? [`of ${options.chosen} chosen object${options.chosen === 1 ? "" : "s"}`] : []),
    ...(options.revision ? [`to ${options.revision}`] : []),
    ...(options.prune ? ["with prune"] : []),
  ].join(" ");
}

function SyncOptions(props: {
  app: AppDetail;
  revision: string;
  busy: boolean;
  actions: ActionState;
  onDone: () => void;
}) {
  const objects = props.app.waves.flatMap((w) => w.resources).filter((r) => !r.hook);
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChosen(next);
  };
  const start = async () => {
    const revision = props.revision.trim();
    const resources = objects
      .filter((r) => chosen.has(refKey(r)))
      .map(({ group, kind, namespace, name }) => ({ group, kind, namespace, name }));
    const body = { ...(revision ? { revision } : {}), prune, dryRun, ...(resources.length ? { resources } : {}) };
    const what = describeSync({ revision, prune, dryRun, chosen: resources.length });
    if (await props.actions.run("sync", body, what)) props.onDone();
  };
  return (
    <section class="sync-options" aria-label="Sync options">
      <label class="check">
        <input type="checkbox" checked={prune} onChange={(e) => setPrune(e.currentTarget.checked)} />
        Prune: delete objects no longer in Git
      </label>
      <label class="check">
        <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
        Dry run: check every object with the API server, change nothing
      </label>
      {objects.length > 0 ? (
        <fieldset>
          <legend>Objects to sync ({chosen.size === 0 ? "all" : `${chosen.size} chosen`})</legend>
          <ul class="choose-objects">
            {objects.map((r) => (
              <li key={refKey(r)}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(refKey(r))}
                    aria-label={`Sync only ${refName(r)}`}
                    onChange={() => toggle(refKey(r))}
                  />
                  <span class="wrap">{refName(r)}</span> <Badge status={r.status} label="Sync" />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <button type="button" class="primary" disabled={props.busy} onClick={() => void start()}>
        {dryRun ? "Start dry run" : "Start sync"}
      </button>
    </section>
  );
}

export function ActionBar({ session, app, actions }: { session: Session; app: AppDetail; actions: ActionState }) {
  const [revision, setRevision] = useState("");
  const [options, setOptions] = useState(false);
  const allowed = mayAct(session);
  const busy = actions.pending !== undefined;
  const hint = allowed ? undefined : READ_ONLY_HINT;
  const sync = () => {
    const target = revision.trim();
    void actions.run("sync", target ? { revision: target } : {}, target ? `a sync to ${target}` : "a sync");
  };
  const halted = app.suspended || app.rolledBackTo !== undefined;
  return (
    <section class="actions" aria-label="Actions">
      <div class="action-row">
        <button type="button" class="primary" disabled={!allowed || busy} title={hint} onClick={sync}>
          {actions.pending === "sync" ? "Syncing…" : "Sync"}
        </button>
        <input
          class="revision-input"
          type="text"
          placeholder={`revision (default ${app.source.revision ?? "HEAD"})`}
          aria-label="Revision to sync (optional)"
          value={revision}
          disabled={!allowed}
          onInput={(e) => setRevision(e.currentTarget.value)}
        />
        <button
          type="button"
          disabled={!allowed}
          title={hint ?? "Prune, dry run, or only some objects"}
          aria-expanded={options}
          onClick={() => setOptions(!options)}
        >
          Sync options…
        </button>
        <button
          type="button"
          disabled={!allowed || busy}
          title={hint ?? "Fetch from Git now and compare again"}
          onClick={() => void actions.run("refresh", {}, "a refresh")}
        >
          {actions.pending === "refresh" ? "Refreshing…" : "Refresh"}
        </button>
        {halted ? (
          <button
            type="button"
            disabled={!allowed || busy}
            title={hint ?? "Follow Git again"}
            onClick={() => void actions.run("resume", {}, "resuming")}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            disabled={!allowed || busy}
            title={hint ?? "Stop automated sync until resumed (a sync by hand still works)"}
            onClick={() => void actions.run("suspend", {}, "suspending")}
          >
            Suspend
          </button>
        )}
      </div>
      {options && allowed ? (
        <SyncOptions app={app} revision={revision} busy={busy} actions={actions} onDone={() => setOptions(false)} />
      ) : null}
      {allowed ? null : <p class="muted small">Read-only token: Sync, Refresh and Rollback are disabled.</p>}
      <p class={`outcome ${actions.outcome?.ok === false ? "error" : ""}`} role="status" aria-live="polite">
        {actions.outcome?.text ?? ""}
      </p>
    </section>
  );
}
