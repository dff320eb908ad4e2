// How the cluster differs from Git, per object: unified or side by side. The server masks Secret values;
// this view shows what it is sent and never asks for a Secret itself.
import { useState } from "preact/hooks";
import { appPath } from "./api-client.js";
import { type DiffHunk, type DiffLine, type DiffSection, parseDiff, sideBySide } from "./diff-model.js";
import { decodeDiff } from "./model.js";
import type { Session } from "./session.js";
import { useApiGet } from "./use-api.js";
import { ErrorNote, Revision } from "./widgets.js";

export type Mode = "unified" | "split";

const MARK: Record<DiffLine["kind"], string> = { added: "+", removed: "-", context: " " };

function UnifiedHunk({ hunk }: { hunk: DiffHunk }) {
  return (
    <tbody>
      <tr>
        <td class="hunk" colSpan={3}>
          {hunk.header}
        </td>
      </tr>
      {hunk.lines.map((l, i) => (
        <tr key={i} class={`line ${l.kind}`}>
          <td class="ln">{l.oldNo ?? ""}</td>
          <td class="ln">{l.newNo ?? ""}</td>
          <td class="code">
            {MARK[l.kind]}
            {l.text}
          </td>
        </tr>
      ))}
    </tbody>
  );
}

function SplitCell({ line, side }: { line: DiffLine | undefined; side: "old" | "new" }) {
  if (!line) return <td class="code empty" colSpan={2} />;
  const n = side === "old" ? line.oldNo : line.newNo;
  return (
    <>
      <td class="ln">{n ?? ""}</td>
      <td class={`code ${line.kind}`}>{line.text}</td>
    </>
  );
}

function SplitHunk({ hunk }: { hunk: DiffHunk }) {
  return (
    <tbody>
      <tr>
        <td class="hunk" colSpan={4}>
          {hunk.header}
        </td>
      </tr>
      {sideBySide(hunk).map((row, i) => (
        <tr key={i} class="line">
          <SplitCell line={row.left} side="old" />
          <SplitCell line={row.right} side="new" />
        </tr>
      ))}
    </tbody>
  );
}

/** One object of a diff, unified or side by side (the Diff tab, and one resource's Diff in the Resources tab). */
export function Section({
  section,
  mode,
  sides = ["live", "desired (Git)"],
}: {
  section: DiffSection;
  mode: Mode;
  /** What the left (−) and right (+) sides are, over the side-by-side columns. */
  sides?: readonly [string, string];
}) {
  return (
    <section class="diff-section">
      <h3>
        <code>{section.title}</code>
        {section.note ? <span class="muted"> — {section.note}</span> : null}
      </h3>
      {section.hunks.length > 0 ? (
        <div class="diff-scroll">
          <table class={`diff diff-${mode}`} aria-label={`Diff of ${section.title}`}>
            {mode === "split" ? (
              <colgroup>
                <col class="ln-col" />
                <col />
                <col class="ln-col" />
                <col />
              </colgroup>
            ) : null}
            {mode === "split" ? (
              <thead>
                <tr>
                  <th colSpan={2}>{sides[0]}</th>
                  <th colSpan={2}>{sides[1]}</th>
                </tr>
              </thead>
            ) : null}
            {section.hunks.map((h, i) =>
              mode === "split" ? <SplitHunk key={i} hunk={h} /> : <UnifiedHunk key={i} hunk={h} />,
            )}
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Unified or side by side. */
export function ModeSwitch({ mode, setMode }: { mode: Mode; setMode: (mode: Mode) => void }) {
  return (
    <fieldset class="segmented">
      <legend class="visually-hidden">Diff layout</legend>
      <button type="button" aria-pressed={mode === "unified"} onClick={() => setMode("unified")}>
        Unified
      </button>
      <button type="button" aria-pressed={mode === "split"} onClick={() => setMode("split")}>
        Side by side
      </button>
    </fieldset>
  );
}

export function DiffTab({ session, app }: { session: Session; app: { namespace: string; name: string } }) {
  const [mode, setMode] = useState<Mode>("unified");
  // A diff renders from Git and dry-runs every object: read on opening and on request, not on every event.
  const [asked, setAsked] = useState(0);
  const diff = useApiGet(session.api, `${appPath(app)}/diff`, decodeDiff, String(asked));
  const parsed = diff.data ? parseDiff(diff.data.diff) : undefined;
  return (
    <div class="diff-tab">
      <div class="toolbar">
        <ModeSwitch mode={mode} setMode={setMode} />
        <button type="button" disabled={diff.loading} onClick={() => setAsked((n) => n + 1)}>
          {diff.loading ? "Comparing…" : "Compare again"}
        </button>
      </div>
      <p class="muted small">Live state (left, −) against Git (right, +). Secret values are masked by the server.</p>
      <ErrorNote error={diff.error} />
      {diff.loading && !diff.data ? <p class="muted">Rendering from Git and comparing with the cluster…</p> : null}
      {diff.data && parsed ? (
        <>
          <p>
            Against <Revision sha={diff.data.revision} message={diff.data.revisionMessage.split("\n")[0]} />
          </p>
          {diff.data.differs ? (
            parsed.sections.map((s) => <Section key={s.title} section={s} mode={mode} />)
          ) : (
            <p class="no-diff">No differences: the cluster matches Git.</p>
          )}
        </>
      ) : null}
    </div>
  );
}
