// The Application's action bar: Sync (optionally to a revision), Refresh, and Resume after a rollback or
// a suspension. Disabled, with the reason, for a read-only token; the server checks the role again.
import { useState } from "preact/hooks";
import type { AppDetail } from "./model.js";
import { mayAct, READ_ONLY_HINT, type Session } from "./session.js";
import type { ActionState } from "./use-action.js";

export function ActionBar({ session, app, actions }: { session: Session; app: AppDetail; actions: ActionState }) {
  const [revision, setRevision] = useState("");
  const allowed = mayAct(session);
  const busy = actions.pending !== undefined;
  const hint = allowed ? undefined : READ_ONLY_HINT;
  const sync = () => {
    const target = revision.trim();
    void actions.run("sync", target ? { revision: target } : {}, target ? `a sync to ${target}` : "a sync");
  };
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
          disabled={!allowed || busy}
          title={hint ?? "Fetch from Git now and compare again"}
          onClick={() => void actions.run("refresh", {}, "a refresh")}
        >
          {actions.pending === "refresh" ? "Refreshing…" : "Refresh"}
        </button>
        {app.suspended || app.rolledBackTo !== undefined ? (
          <button
            type="button"
            disabled={!allowed || busy}
            title={hint ?? "Follow Git again"}
            onClick={() => void actions.run("resume", {}, "resuming")}
          >
            Resume
          </button>
        ) : null}
      </div>
      {allowed ? null : <p class="muted small">Read-only token: Sync, Refresh and Rollback are disabled.</p>}
      <p class={`outcome ${actions.outcome?.ok === false ? "error" : ""}`} role="status" aria-live="polite">
        {actions.outcome?.text ?? ""}
      </p>
    </section>
  );
}
