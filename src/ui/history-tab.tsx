// Every sync of the Application, newest first, with a rollback to any earlier successful one.
import { useState } from "preact/hooks";
import { appPath } from "./api-client.js";
import { shortSha } from "./format.js";
import { type AppDetail, decodeHistoryEntry, decodeItems, type HistoryEntry } from "./model.js";
import { mayAct, READ_ONLY_HINT, type Session } from "./session.js";
import type { ActionState } from "./use-action.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote, Revision, Time } from "./widgets.js";

const decodeHistory = (value: unknown) => decodeItems(value, decodeHistoryEntry);

/** The entry whose revision is deployed now: the newest successful one with the Application's revision. */
function currentEntry(items: readonly HistoryEntry[], app: AppDetail): number | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const h = items[i];
    if (h && h.result === "Succeeded") return h.revision === app.revision ? h.id : undefined;
  }
  return undefined;
}

function RollbackCell(props: {
  entry: HistoryEntry;
  current: boolean;
  session: Session;
  actions: ActionState;
  confirming: boolean;
  setConfirming: (id: number | undefined) => void;
}) {
  const { entry, current, session, actions, confirming, setConfirming } = props;
  if (current) return <span class="tag">deployed</span>;
  if (entry.result !== "Succeeded") return <span class="muted small">failed sync</span>;
  const allowed = mayAct(session);
  if (confirming)
    return (
      <span class="confirm">
        <button
          type="button"
          class="danger"
          disabled={actions.pending !== undefined}
          onClick={async () => {
            await actions.run("rollback", { id: entry.id }, `a rollback to #${entry.id} (${shortSha(entry.revision)})`);
            setConfirming(undefined);
          }}
        >
          Confirm rollback to {shortSha(entry.revision)}
        </button>
        <button type="button" onClick={() => setConfirming(undefined)}>
          Cancel
        </button>
      </span>
    );
  return (
    <button
      type="button"
      disabled={!allowed || actions.pending !== undefined}
      title={allowed ? `Sync ${shortSha(entry.revision)} again and pause automated sync` : READ_ONLY_HINT}
      onClick={() => setConfirming(entry.id)}
    >
      Roll back
    </button>
  );
}

export function HistoryTab(props: {
  session: Session;
  app: AppDetail;
  version: string;
  now: number;
  actions: ActionState;
}) {
  const { session, app, version, now, actions } = props;
  const history = useApiGet(session.api, `${appPath(app)}/history`, decodeHistory, version);
  const [confirming, setConfirming] = useState<number | undefined>();
  const items = history.data ?? [];
  const current = currentEntry(items, app);
  return (
    <div>
      <ErrorNote error={history.error} />
      {app.rolledBackTo !== undefined ? (
        <p class="notice">
          Rolled back to #{app.rolledBackTo}: automated sync is paused until Resume. The lasting fix is a
          <code> git revert</code>.
        </p>
      ) : null}
      {items.length === 0 && !history.loading ? <p class="muted">No syncs yet.</p> : null}
      {items.length > 0 ? (
        <table class="grid history">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Revision</th>
              <th scope="col">Deployed</th>
              <th scope="col">By</th>
              <th scope="col">Result</th>
              <th scope="col">
                <span class="visually-hidden">Rollback</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...items].reverse().map((h) => (
              <tr key={h.id} aria-label={`History ${h.id}`}>
                <td data-label="#">{h.id}</td>
                <td data-label="Revision">
                  <Revision sha={h.revision} />
                  {h.message ? <div class="muted small">{h.message}</div> : null}
                </td>
                <td data-label="Deployed">
                  <Time iso={h.deployedAt} now={now} />
                </td>
                <td data-label="By">{h.initiatedBy}</td>
                <td data-label="Result">
                  <Badge status={h.result} label="Result" />
                </td>
                <td data-label="">
                  <RollbackCell
                    entry={h}
                    current={h.id === current}
                    session={session}
                    actions={actions}
                    confirming={confirming === h.id}
                    setConfirming={setConfirming}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
