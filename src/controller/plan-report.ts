// `bosun plan`'s report: what a change in Git (base..head) would do to each Application using the repository,
// as data, as Markdown (a pull-request comment) and as JSON (a stable shape, `version: 1`). Pure: plan.ts
// gathers the facts; this decides the counts and the exit code and writes them out, Secret values masked.

import { describeRef, type ObjectRef, shortRevision } from "../api/index.js";
import { maskedJson, maskSensitive } from "./values-from.js";

/** new: the Application does not exist yet (an app-of-apps renders it at head); unchanged: same render at base and head. */
export type AppPlanStatus = "new" | "changed" | "unchanged" | "failed";

/** What plan.ts found for one Application. Diffs are already masked (compareDesired's); `sensitive` masks the rest. */
export interface AppPlanInput {
  name: string;
  namespace: string;
  status: AppPlanStatus;
  /** The commits rendered (a new Application has no base). */
  revisions: { base?: string; head?: string };
  created: ObjectRef[];
  changed: Array<{ ref: ObjectRef; diff: string }>;
  pruned: ObjectRef[];
  /** Objects whose comparison could not be made or needs a word (a refused dry run, a kind not served). */
  notes: string[];
  /** Why the Application could not be planned (status failed). */
  error?: string;
  /** Some objects were compared without a server-side dry run (the account may not dry-run). */
  withoutDryRun?: boolean;
  /** Values from Secrets (helm.valuesFrom) to mask wherever they appear. */
  sensitive?: readonly string[];
}

/** The JSON object `bosun plan -o json` prints (version 1; fields are only ever added). */
export interface PlanReport {
  version: 1;
  repo: string;
  base: string;
  head: string;
  /** false when at least one object was compared without a server-side dry run (see `note`). */
  serverSideDryRun: boolean;
  note?: string;
  summary: {
    applications: { new: number; changed: number; unchanged: number; failed: number };
    objects: { created: number; changed: number; pruned: number };
  };
  /** 0 nothing would change, 3 something would, 1 an Application could not be planned. */
  exitCode: 0 | 1 | 3;
  applications: AppPlan[];
}

export interface PlanObject {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface AppPlan {
  name: string;
  namespace: string;
  status: AppPlanStatus;
  revisions: { base?: string; head?: string };
  created: PlanObject[];
  changed: Array<PlanObject & { diff: string }>;
  pruned: PlanObject[];
  notes: string[];
  error?: string;
  serverSideDryRun: boolean;
}

export const EXIT_NO_CHANGES = 0;
export const EXIT_PLAN_FAILED = 1;
export const EXIT_CHANGES = 3;

export const NO_DRY_RUN_NOTE =
  "Compared without a server-side dry run: the account may not dry-run (403), so the rendered objects were compared with the live ones as they are, and fields the API server defaults may show as changes.";

const objectOf = (ref: ObjectRef): PlanObject => ({
  group: ref.group,
  kind: ref.kind,
  ...(ref.namespace ? { namespace: ref.namespace } : {}),
  name: ref.name,
});

/** Whether applying the Application's head would change the cluster. */
function changes(app: AppPlan): boolean {
  if (app.status === "new") return true;
  return app.status === "changed" && app.created.length + app.changed.length + app.pruned.length > 0;
}

function appPlan(input: AppPlanInput): AppPlan {
  const plan: AppPlan = {
    name: input.name,
    namespace: input.namespace,
    status: input.status,
    revisions: input.revisions,
    created: input.created.map(objectOf),
    changed: input.changed.map((c) => ({ ...objectOf(c.ref), diff: c.diff })),
    pruned: input.pruned.map(objectOf),
    notes: [...input.notes],
    ...(input.error !== undefined ? { error: input.error } : {}),
    serverSideDryRun: !input.withoutDryRun,
  };
  return maskedJson(plan, longestFirst(input.sensitive ?? []));
}

/** Distinct values, longest first: a value inside a longer one must not break the longer one's mask. */
const longestFirst = (values: readonly string[]) => [...new Set(values)].sort((a, b) => b.length - a.length);

const byName = (a: AppPlan, b: AppPlan) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

/** The report of a plan: Applications in name order, counts, and the exit code (failed beats changes). */
export function buildPlanReport(input: {
  repo: string;
  base: string;
  head: string;
  applications: readonly AppPlanInput[];
}): PlanReport {
  const applications = input.applications.map(appPlan).sort(byName);
  const count = (status: AppPlanStatus) => applications.filter((a) => a.status === status).length;
  const sum = (f: (a: AppPlan) => number) => applications.reduce((n, a) => n + f(a), 0);
  const failed = count("failed");
  const serverSideDryRun = applications.every((a) => a.serverSideDryRun);
  return {
    version: 1,
    repo: input.repo,
    base: input.base,
    head: input.head,
    serverSideDryRun,
    ...(serverSideDryRun ? {} : { note: NO_DRY_RUN_NOTE }),
    summary: {
      applications: { new: count("new"), changed: count("changed"), unchanged: count("unchanged"), failed },
      objects: {
        created: sum((a) => a.created.length),
        changed: sum((a) => a.changed.length),
        pruned: sum((a) => a.pruned.length),
      },
    },
    exitCode: failed > 0 ? EXIT_PLAN_FAILED : applications.some(changes) ? EXIT_CHANGES : EXIT_NO_CHANGES,
    applications,
  };
}

const refText = (o: PlanObject) =>
  describeRef({ group: o.group, kind: o.kind, namespace: o.namespace ?? "", name: o.name });

const rev = (r: string | undefined) => (r && /^[0-9a-f]{40}$/.test(r) ? shortRevision(r) : (r ?? ""));

/** A table cell: no pipes or line breaks. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** A fence longer than any run of backticks inside the text. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text.endsWith("\n") ? text : `${text}\n`}${fence}\n`;
}

const STATUS_TEXT: Record<AppPlanStatus, string> = {
  new: "new",
  changed: "changed",
  unchanged: "unchanged",
  failed: "**failed**",
};

function appSection(app: AppPlan): string {
  const lines = [`### ${app.namespace}/${app.name}${app.status === "new" ? " (new Application)" : ""}`, ""];
  if (app.error !== undefined) lines.push(`The plan failed: ${cell(app.error)}`, "");
  if (!app.serverSideDryRun) lines.push(`> ${NO_DRY_RUN_NOTE}`, "");
  if (app.created.length > 0) lines.push("Would be created:", "", ...app.created.map((o) => `- \`${refText(o)}\``), "");
  if (app.pruned.length > 0) lines.push("Would be pruned:", "", ...app.pruned.map((o) => `- \`${refText(o)}\``), "");
  if (app.changed.length > 0) {
    lines.push("Would be changed:", "");
    for (const o of app.changed) lines.push(`\`${refText(o)}\``, "", fenced("diff", o.diff));
  }
  if (app.notes.length > 0) lines.push("Notes:", "", ...app.notes.map((n) => `- ${cell(n)}`), "");
  if (app.status === "changed" && !changes(app) && app.notes.length === 0)
    lines.push("The render changed, but the cluster already matches it.", "");
  return lines.join("\n");
}

/** The Markdown of a report: heading, summary table, then a section per Application this change touches. */
export function planMarkdown(report: PlanReport): string {
  const { summary } = report;
  const out = [
    `## bosun plan: ${rev(report.base)}..${rev(report.head)}`,
    "",
    `Repository \`${report.repo}\`: ${summary.applications.changed} changed, ${summary.applications.new} new, ${summary.applications.unchanged} not changed by this change, ${summary.applications.failed} failed; objects: ${summary.objects.created} to create, ${summary.objects.changed} to change, ${summary.objects.pruned} to prune.`,
    "",
  ];
  if (report.note) out.push(`> ${report.note}`, "");
  if (report.applications.length === 0) out.push("No Application uses this repository.", "");
  else {
    out.push("| Application | Status | Created | Changed | Pruned |", "|---|---|---:|---:|---:|");
    for (const a of report.applications) {
      const status = a.status === "unchanged" ? "unchanged (not changed by this change)" : STATUS_TEXT[a.status];
      out.push(
        `| ${cell(`${a.namespace}/${a.name}`)} | ${status} | ${a.created.length} | ${a.changed.length} | ${a.pruned.length} |`,
      );
    }
    out.push("");
  }
  for (const a of report.applications) if (a.status !== "unchanged") out.push(appSection(a));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The JSON text of a report (see PlanReport). */
export function planJson(report: PlanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One Application that could not be planned, its error masked by what is known to be secret. */
export function failedApp(
  app: { name: string; namespace: string },
  error: string,
  sensitive: readonly string[] = [],
): AppPlanInput {
  return {
    name: app.name,
    namespace: app.namespace,
    status: "failed",
    revisions: {},
    created: [],
    changed: [],
    pruned: [],
    notes: [],
    error: maskSensitive(error, longestFirst(sensitive)),
  };
}
