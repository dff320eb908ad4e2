// How times and revisions read on the dashboard. Pure: the current time is passed in.

/** A commit SHA as people quote it; a chart's `VERSION@sha256:…` as its version and the digest's start. */
export function shortSha(sha: string | undefined): string {
  if (!sha) return "—";
  if (sha.includes(",")) return sha.split(",").map(shortSha).join(",");
  const at = sha.indexOf("@sha256:");
  return at >= 0 ? `${sha.slice(0, at)}@${sha.slice(at + 8, at + 15)}` : sha.slice(0, 7);
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "" for a time that does not parse. */
export function timeAgo(iso: string | undefined, nowMs: number): string {
  if (!iso) return "";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.max(0, Math.round((nowMs - then) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** An ISO time as "2024-03-01 12:00:00 UTC", for tooltips and tables. */
export function exactTime(iso: string | undefined): string {
  if (!iso) return "";
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return iso;
  return `${then.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The tone a status word is shown in. */
export type Tone = "ok" | "warn" | "bad" | "busy" | "muted";

const TONES: Record<string, Tone> = {
  Synced: "ok",
  Healthy: "ok",
  Succeeded: "ok",
  OutOfSync: "warn",
  Missing: "warn",
  Extraneous: "warn",
  Progressing: "busy",
  Running: "busy",
  Degraded: "bad",
  Failed: "bad",
  Error: "bad",
  Suspended: "muted",
  Unknown: "muted",
  Reachable: "ok",
  Unreachable: "bad",
  Ready: "ok",
  Waiting: "warn",
};

export function toneOf(status: string | undefined): Tone {
  return (status && TONES[status]) || "muted";
}
