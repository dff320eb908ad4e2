// Small pieces every page uses: status badges, times, revisions.
import { exactTime, shortSha, timeAgo, toneOf } from "./format.js";

/** A status word in its tone; `label` says what it is the status of (read by screen readers, shown as a tooltip). */
export function Badge({ status, label }: { status: string | undefined; label: string }) {
  const text = status ?? "Unknown";
  return (
    <span class={`badge tone-${toneOf(status)}`} title={`${label}: ${text}`}>
      <span class="visually-hidden">{label}: </span>
      {text}
    </span>
  );
}

/** A time as "5 min ago", the exact time as a tooltip. */
export function Time({ iso, now }: { iso: string | undefined; now: number }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {timeAgo(iso, now) || exactTime(iso)}
    </time>
  );
}

/** A commit as its short SHA (the full one as a tooltip) and, when known, the first line of its message. */
export function Revision({ sha, message }: { sha: string | undefined; message?: string }) {
  return (
    <span class="revision">
      <code class="sha" title={sha}>
        {shortSha(sha)}
      </code>
      {message ? <span class="commit-message"> {message}</span> : null}
    </span>
  );
}

export function ErrorNote({ error }: { error: string | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
