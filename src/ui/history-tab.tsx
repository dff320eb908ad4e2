// Every sync of the Application, newest first, with a rollback to any earlier successful one, and what
// changed between two of them (the source rendered at both revisions, compared by the server).
import { useState } from "preact/hooks";
import { appPath } from "./api-client.js";
import { type ComparePair, decodeHistoryCompare, pairOf, previousEntry, toggleEntry } from "./compare-model.js";
import { ConfirmButton } from "./confirm-button.js";
import { parseDiff } from "./diff-model.js";
import { type Mode, ModeSwitch, Section } from "./diff-tab.js";
import { shortSha } from "./format.js";
import { type AppDetail, decodeHistoryEntry, decodeItems, type HistoryEntry } from "./model.js";
import type { Session } from "./session.js";
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
  const { entry, current, actions } = props;
  if (current) return <span class="tag">deployed</span>;
  if (entry.result !== "Succeeded") return <span class="muted small">failed sync</span>;
  const revision = shortSha(entry.revision);
  return (
    <ConfirmButton
      session={props.session}
      actions={actions}
      confirming={props.confirming}
      setConfirming={(on) => props.setConfirming(on ? entry.id : undefined)}
      label="Roll back"
      title={`Sync ${revision} again and pause automated sync`}
      confirmLabel={`Confirm rollback to ${revision}`}
      run={() => actions.run("rollback", { id: entry.id }, `a rollback to #${entry.id} (${revision})`)}
    />
  );
}

/** Two entries compared: the manifests rendered at both revisions, unified or side by side. */
function Comparison(props: { session: Session; app: AppDetail; pair: ComparePair; onClose: () => void }) {
  const { session, app, pair } = props;
  const [mode, setMode] = useState<Mode>("unified");
  const query = new URLSearchParams({ from: String(pair.from), to: String(pair.to) }).toString();
  const answer = useApiGet(session.api, `${appPath(app)}/history/compare?${query}`, decodeHistoryCompare, "");
  const data = answer.data;
  const sections = data ? parseDiff(data.diff).sections : [];
  const sides = [`#${pair.from}`, `#${pair.to}`] as const;
  return (
    <section class="history-compare" aria-label={`Compare history ${pair.from} and ${pair.to}`}>
      <div class="toolbar">
        <h2>
          Changes from #{pair.from} to #{pair.to}
        </h2>
        <ModeSwitch mode={mode} setMode={setMode} />
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p class="muted small">
        Both revisions rendered with the Application's current spec (path, values); Secret values are masked by the
        server.
      </p>
      <ErrorNote error={answer.error} />
      {answer.loading && !data ? <p class="muted">Rendering both revisions…</p> : null}
      {data ? (
        <>
          <p class="compare-summary">
            <Revision sha={data.from.revision} /> → <Revision sha={data.to.revision} />: {data.changed} changed,{" "}
            {data.added.length} added, {data.removed.length} removed
          </p>
          {sections.length === 0 ? <p class="no-diff">No differences in the rendered manifests.</p> : null}
          {sections.map((s) => (
            <Section key={s.title} section={s} mode={mode} sides={sides} />
          ))}
        </>
      ) : null}
    </section>
  );
}

/** Picking entries to compare: a tick per entry (two at most), and "Changes" since the entry before. */
function CompareCell(props: {
  entry: HistoryEntry;
  items: readonly HistoryEntry[];
  picked: readonly number[];
  setPicked: (ids: number[]) => void;
  show: (pair: ComparePair | undefined) => void;
}) {
  const { entry, items, picked, setPicked, show } = props;
  const previous = previousEntry(items, entry.id);
  return (
    <span class="compare-cell">
      <label class="pick">
        <input
          type="checkbox"
          checked={picked.includes(entry.id)}
          onChange={() => setPicked(toggleEntry(picked, entry.id))}
        />
        <span class="visually-hidden">Pick #{entry.id} to compare</span>
      </label>
      <button
        type="button"
        disabled={!previous}
        title={previous ? `What changed from #${previous.id} to #${entry.id}` : "The first sync: nothing before it"}
        onClick={() => previous && show(pairOf(previous.id, entry.id))}
      >
        Changes
      </button>
    </span>
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
  const [picked, setPicked] = useState<number[]>([]);
  const [shown, setShown] = useState<ComparePair | undefined>();
  const items = history.data ?? [];
  const [first, second] = picked;
  const pickedPair = first !== undefined && second !== undefined ? pairOf(first, second) : undefined;
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
      {items.length > 1 ? (
        <p class="compare-bar">
          <button type="button" disabled={!pickedPair} onClick={() => setShown(pickedPair)}>
            {pickedPair ? `Compare #${pickedPair.from} and #${pickedPair.to}` : "Compare"}
          </button>{" "}
          <span class="muted small">
            {pickedPair ? "" : "Tick two syncs to compare them, or press Changes on one."}
          </span>
        </p>
      ) : null}
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
              <th scope="col">
                <span class="visually-hidden">Compare</span>
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
                <td data-label="">
                  <CompareCell entry={h} items={items} picked={picked} setPicked={setPicked} show={setShown} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {shown ? (
        <Comparison
          key={`${shown.from}-${shown.to}`}
          session={session}
          app={app}
          pair={shown}
          onClose={() => setShown(undefined)}
        />
      ) : null}
    </div>
  );
}
