// The sync and compare options bosun knows (Argo CD's names), where each may be set, and their parsing
// into typed settings. The one place that lists them: errors name them from here, the README mirrors it.
// Pure.

const BOOL = ["true", "false"] as const;

interface OptionSpec {
  /** Every value it takes. */
  readonly values: readonly string[];
  /** What applies when nothing sets it. */
  readonly default: string;
  /** "app": only in the Application's spec.syncPolicy.syncOptions; "any": there and on an object. */
  readonly scope: "app" | "any";
  /** Values Argo CD knows that bosun refuses, and why. */
  readonly refused?: Readonly<Record<string, string>>;
}

export const SYNC_OPTIONS = {
  Prune: {
    values: BOOL,
    default: "true",
    scope: "any",
    refused: { confirm: "bosun has no prune confirmation; use Prune=false and delete it by hand" },
  },
  Delete: {
    values: BOOL,
    default: "true",
    scope: "any",
    refused: { confirm: "bosun has no delete confirmation; use Delete=false and delete it by hand" },
  },
  Replace: { values: BOOL, default: "false", scope: "any" },
  ServerSideApply: { values: BOOL, default: "true", scope: "any" },
  PruneLast: { values: BOOL, default: "false", scope: "any" },
  FailOnSharedResource: {
    values: ["true"],
    default: "true",
    scope: "app",
    refused: { false: "bosun never writes an object another Application tracks, whatever this option says" },
  },
  SkipDryRunOnMissingResource: { values: BOOL, default: "false", scope: "any" },
  Validate: { values: BOOL, default: "true", scope: "any" },
  CreateNamespace: { values: BOOL, default: "false", scope: "app" },
  ApplyOutOfSyncOnly: { values: BOOL, default: "false", scope: "app" },
  RespectIgnoreDifferences: { values: BOOL, default: "false", scope: "any" },
  PrunePropagationPolicy: { values: ["background", "foreground", "orphan"], default: "background", scope: "app" },
} as const satisfies Record<string, OptionSpec>;

/** Argo CD sync options bosun does not implement, and what to do instead. */
const UNSUPPORTED_SYNC_OPTIONS: Readonly<Record<string, string>> = {
  Force: "bosun never deletes and recreates an object to sync it; delete it by hand, or change its name",
  ClientSideApplyMigration:
    "bosun moves its own ownership between server-side and client-side apply itself; leave the option out",
};

export const COMPARE_OPTIONS = {
  /** A flag: an extraneous object carrying it does not make the Application OutOfSync. */
  IgnoreExtraneous: { values: [""], default: "", scope: "any" },
  /** bosun always compares through a server-side dry run: accepted, changes nothing. */
  ServerSideDiff: { values: BOOL, default: "true", scope: "any" },
  /** bosun's dry runs always go through admission (mutating webhooks included): accepted, changes nothing. */
  IncludeMutationWebhook: { values: BOOL, default: "true", scope: "any" },
} as const satisfies Record<string, OptionSpec>;

export type SyncOptionName = keyof typeof SYNC_OPTIONS;
export type PrunePropagationPolicy = (typeof SYNC_OPTIONS)["PrunePropagationPolicy"]["values"][number];

/** Options as some place set them (validated): what the Application sets, or what one object's annotation sets. */
export type SyncOptionSettings = { -readonly [N in SyncOptionName]?: (typeof SYNC_OPTIONS)[N]["values"][number] };

/** The options in force for one object: its annotation over the Application's, over the defaults. */
export interface SyncOptions {
  prune: boolean;
  delete: boolean;
  replace: boolean;
  serverSideApply: boolean;
  pruneLast: boolean;
  failOnSharedResource: boolean;
  skipDryRunOnMissingResource: boolean;
  validate: boolean;
  createNamespace: boolean;
  applyOutOfSyncOnly: boolean;
  respectIgnoreDifferences: boolean;
  prunePropagationPolicy: PrunePropagationPolicy;
}

export interface CompareOptions {
  ignoreExtraneous: boolean;
}

/** One item of an option list that cannot be used, and why. */
export interface OptionProblem {
  index: number;
  item: string;
  problem: string;
}

type Table = Readonly<Record<string, OptionSpec>>;

const knownNames = (table: Table) => Object.keys(table).join(", ");

function itemProblem(
  table: Table,
  kind: "sync" | "compare",
  name: string,
  value: string | undefined,
  where: "app" | "object",
): string | undefined {
  if (!Object.hasOwn(table, name)) {
    const instead = kind === "sync" ? UNSUPPORTED_SYNC_OPTIONS[name] : undefined;
    if (instead) return `${name} is an Argo CD option bosun does not support: ${instead}`;
    return `unknown ${kind} option "${name}" (known: ${knownNames(table)})`;
  }
  const spec = table[name] as OptionSpec;
  if (where === "object" && spec.scope === "app")
    return `${name} can be set only in the Application's spec.syncPolicy.syncOptions, not on an object`;
  const flag = spec.values.length === 1 && spec.values[0] === "";
  if (flag) return value === undefined ? undefined : `${name} takes no value`;
  if (value === undefined) return `"${name}" is not Key=value (${name}=${spec.values.join("|")})`;
  if (spec.values.includes(value)) return undefined;
  const why = spec.refused?.[value];
  return why ? `${name}=${value}: ${why}` : `${name}=${value}: the value is one of ${spec.values.join(", ")}`;
}

function parseList(
  table: Table,
  kind: "sync" | "compare",
  items: readonly string[],
  where: "app" | "object",
): { settings: Record<string, string>; problems: OptionProblem[] } {
  const settings: Record<string, string> = {};
  const problems: OptionProblem[] = [];
  items.forEach((raw, index) => {
    const item = raw.trim();
    if (item === "") return;
    const eq = item.indexOf("=");
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : item.slice(eq + 1).trim();
    const problem = itemProblem(table, kind, name, value, where);
    if (problem) problems.push({ index, item, problem });
    else settings[name] = value ?? "";
  });
  return { settings, problems };
}

/** Splits an annotation's value: comma-separated, blanks trimmed (as Argo CD reads it). */
export function optionItems(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses sync options (`Replace=true`, …) set on an object or by the Application; every problem is returned. */
export function parseSyncOptions(
  items: readonly string[],
  where: "app" | "object",
): { settings: SyncOptionSettings; problems: OptionProblem[] } {
  const { settings, problems } = parseList(SYNC_OPTIONS, "sync", items, where);
  return { settings: settings as SyncOptionSettings, problems };
}

/** Parses compare options (`IgnoreExtraneous`, `ServerSideDiff=true`, …); every problem is returned. */
export function parseCompareOptions(items: readonly string[]): { options: CompareOptions; problems: OptionProblem[] } {
  const { settings, problems } = parseList(COMPARE_OPTIONS, "compare", items, "object");
  return { options: { ignoreExtraneous: Object.hasOwn(settings, "IgnoreExtraneous") }, problems };
}

/** The Application's own settings (spec.syncPolicy.syncOptions); throws naming every bad item. */
export function appSyncOptions(items: readonly string[] | undefined): SyncOptionSettings {
  const { settings, problems } = parseSyncOptions(items ?? [], "app");
  if (problems.length > 0) throw new Error(appOptionProblems(problems).join("; "));
  return settings;
}

/** Problems as spec checks word them: the field and index of each bad item. */
export function appOptionProblems(problems: readonly OptionProblem[]): string[] {
  return problems.map((p) => `spec.syncPolicy.syncOptions[${p.index}] "${p.item}": ${p.problem}`);
}

/** What applies to one object: what it sets, else what the Application sets, else the default. */
export function resolveSyncOptions(app: SyncOptionSettings, object: SyncOptionSettings = {}): SyncOptions {
  const merged: SyncOptionSettings = { ...app, ...object };
  const on = (name: SyncOptionName) => (merged[name] ?? SYNC_OPTIONS[name].default) === "true";
  return {
    prune: on("Prune"),
    delete: on("Delete"),
    replace: on("Replace"),
    serverSideApply: on("ServerSideApply"),
    pruneLast: on("PruneLast"),
    failOnSharedResource: on("FailOnSharedResource"),
    skipDryRunOnMissingResource: on("SkipDryRunOnMissingResource"),
    validate: on("Validate"),
    createNamespace: on("CreateNamespace"),
    applyOutOfSyncOnly: on("ApplyOutOfSyncOnly"),
    respectIgnoreDifferences: on("RespectIgnoreDifferences"),
    prunePropagationPolicy: merged.PrunePropagationPolicy ?? SYNC_OPTIONS.PrunePropagationPolicy.default,
  };
}
