// Changes made behind Git's back: which fields, from what to what, by which field manager, when, and whether
// self-heal took them back.
import { appPath } from "./api-client.js";
import { type DriftRecord, decodeDriftRecord, decodeItems } from "./model.js";
import type { Session } from "./session.js";
import { useApiGet } from "./use-api.js";
import { ErrorNote, Time } from "./widgets.js";

const decodeDrift = (value: unknown) => decodeItems(value, decodeDriftRecord);

/** A value as the agent rendered it (one line, cut short); a field that is not set says so. */
function Value(props: { value: string | undefined; side: "old" | "new" }) {
  return props.value === undefined ? (
    <span class={`drift-value ${props.side} muted`}>(not set)</span>
  ) : (
    <code class={`drift-value ${props.side}`}>{props.value}</code>
  );
}

/** Each field with its old → new value where the agent recorded one; the other fields by name only. */
function Changes(props: { record: DriftRecord }) {
  const { fields, changes } = props.record;
  const withValues = new Set(changes.map((c) => c.path));
  const rest = fields.filter((f) => !withValues.has(f));
  return (
    <ul class="drift-changes">
      {changes.map((c) => (
        <li key={c.path}>
          <code class="field">{c.path}</code> <Value value={c.from} side="old" />
          {" → "}
          <Value value={c.to} side="new" />
        </li>
      ))}
      {rest.map((f) => (
        <li key={f}>
          <code class="field">{f}</code>
        </li>
      ))}
    </ul>
  );
}

/** What the agent did about it (reverted, allowed, detected only) and the driftPolicy rule that said so. */
function Outcome(props: { record: DriftRecord }) {
  const d = props.record;
  const [label, tone] = d.corrected
    ? ["reverted", "tone-ok"]
    : d.action === "allow"
      ? ["allowed", "tone-ok"]
      : d.action === "detect"
        ? ["detected only", "tone-warn"]
        : ["not corrected", "tone-warn"];
  return (
    <>
      <span class={`badge ${tone}`}>{label}</span>
      {d.rule === undefined ? null : <span class="muted small"> driftPolicy[{d.rule}]</span>}
    </>
  );
}

export function DriftTab(props: {
  session: Session;
  app: { namespace: string; name: string };
  selfHeal: boolean;
  version: string;
  now: number;
}) {
  const { session, app, selfHeal, version, now } = props;
  const drift = useApiGet(session.api, `${appPath(app)}/drift`, decodeDrift, version);
  const items = drift.data ?? [];
  return (
    <div>
      <ErrorNote error={drift.error} />
      <p class="muted small">
        {selfHeal
          ? "Self-heal is on: drift is reverted to what Git says."
          : "Self-heal is off: drift stays until the next sync."}{" "}
        The diff shows the values as they are now.
      </p>
      {items.length === 0 && !drift.loading ? <p class="muted">No drift recorded.</p> : null}
      {items.length > 0 ? (
        <table class="grid drift">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Resource</th>
              <th scope="col">Changes (Git → live)</th>
              <th scope="col">Changed by</th>
              <th scope="col">Corrected</th>
            </tr>
          </thead>
          <tbody>
            {[...items].reverse().map((d, i) => (
              <tr key={`${d.at}-${d.resource}-${d.manager}-${i}`} aria-label={`Drift of ${d.resource}`}>
                <td data-label="When">
                  <Time iso={d.at} now={now} />
                </td>
                <td data-label="Resource">
                  <code>{d.resource}</code>
                </td>
                <td data-label="Changes">
                  <Changes record={d} />
                </td>
                <td data-label="Changed by" class="manager">
                  {d.manager}
                  {d.operation ? <span class="muted small"> ({d.operation})</span> : null}
                </td>
                <td data-label="Corrected">
                  <Outcome record={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
