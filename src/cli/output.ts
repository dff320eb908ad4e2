import { stringify } from "yaml";

export type OutputFormat = "table" | "json" | "yaml";

export function parseFormat(value: string): OutputFormat {
  if (value === "table" || value === "json" || value === "yaml") return value;
  throw new UsageError(`unknown output format "${value}": use table, json or yaml`);
}

/** Wrong use of a command: exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A command that ran and failed (a failed sync, a timeout): exit code 1. */
export class CommandFailedError extends Error {
  override readonly name = "CommandFailedError";
}

/** A command that ran and found changes (`bosun plan`): exit code 3, its message a note, not an error. */
export class ChangesFoundError extends Error {
  override readonly name = "ChangesFoundError";
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

export function formatData(data: unknown, format: "json" | "yaml"): string {
  // No anchors: built objects share sub-objects (a schema used twice), which kubectl users never see as aliases.
  return format === "json"
    ? `${JSON.stringify(data, null, 2)}\n`
    : stringify(data, { aliasDuplicateObjects: false, lineWidth: 0 });
}

export function age(since: string | undefined, now: number = Date.now()): string {
  if (!since) return "";
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
