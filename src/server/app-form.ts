// The dashboard's Application form as data: what a request body may say, the Application it makes (as
// `bosun app create` makes one), the form filled from an Application, and an edit merged into one so that
// what the form does not cover stays. Every refusal names the form's field. Pure.
import {
  type Application,
  type ApplicationSource,
  buildApplication,
  chartSource,
  DEFAULT_PROJECT,
  errorMessage,
  gitSource,
  isRecord,
  jsonEqual,
} from "../api/index.js";
import { specProblems } from "../controller/index.js";
import { parseRepoUrl } from "../source/index.js";

/** The form's fields, as the request body carries them and GET …/form answers. */
export interface AppForm {
  name: string;
  /** Where the Application lives; the agent's namespace when absent. */
  namespace?: string;
  project: string;
  repoURL: string;
  /** A path in a Git repository ("" the root); absent with a chart. */
  path?: string;
  /** A chart of the Helm repository or OCI registry repoURL names. */
  chart?: string;
  /** Git: branch, tag, SHA or semver range; a chart: its version or range. */
  revision?: string;
  /** The destination cluster's name; the agent's own cluster when absent. */
  destinationCluster?: string;
  destinationNamespace?: string;
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  interval?: string;
  createNamespace: boolean;
  helmValueFiles: string[];
}

export type FormField = keyof AppForm;

/** A refusal of the form, naming the field it is about. */
export interface FormProblem {
  field?: FormField;
  error: string;
}

const OPTIONAL_TEXT = [
  "namespace",
  "path",
  "chart",
  "revision",
  "destinationCluster",
  "destinationNamespace",
  "interval",
] as const;
const FLAGS = ["automated", "prune", "selfHeal", "createNamespace"] as const;

function text(body: Record<string, unknown>, field: FormField): string | undefined | FormProblem {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return { field, error: `${field}: must be a string` };
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

const isProblem = (v: unknown): v is FormProblem => isRecord(v) && typeof v.error === "string";

function flags(body: Record<string, unknown>): Pick<AppForm, (typeof FLAGS)[number]> | FormProblem {
  const out: Partial<Record<(typeof FLAGS)[number], boolean>> = {};
  for (const field of FLAGS) {
    const value = body[field] ?? field === "createNamespace";
    if (typeof value !== "boolean") return { field, error: `${field}: must be true or false` };
    out[field] = value;
  }
  return out as Pick<AppForm, (typeof FLAGS)[number]>;
}

function valueFiles(body: Record<string, unknown>): string[] | FormProblem {
  const value = body.helmValueFiles ?? [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    return { field: "helmValueFiles", error: "helmValueFiles: must be a list of file names" };
  return value.map((v: string) => v.trim()).filter((v) => v !== "");
}

/** Checks of the source the agent would only find at its first fetch: the URL, a path or a chart. */
function sourceProblem(form: AppForm): FormProblem | undefined {
  if (form.path !== undefined && form.chart !== undefined)
    return { field: "chart", error: "chart: give a path in a Git repository or a chart, not both" };
  if (form.chart !== undefined) {
    if (!/^(https?|oci):\/\/[^/]/i.test(form.repoURL))
      return {
        field: "repoURL",
        error: "repoURL: a chart comes from an https:// Helm repository or an oci:// registry",
      };
    return undefined;
  }
  try {
    parseRepoUrl(form.repoURL);
  } catch (err) {
    return { field: "repoURL", error: `repoURL: ${errorMessage(err)}` };
  }
  return undefined;
}

/**
 * The form a request body fills in, or the first problem with it. Text is trimmed; "" is absent (the name is
 * then "", for the caller to require: an edit takes it from the path). No project is `defaultProject`.
 */
export function decodeForm(body: unknown, defaultProject: string = DEFAULT_PROJECT): AppForm | FormProblem {
  if (!isRecord(body)) return { error: "the body must be a JSON object of the form's fields" };
  const name = text(body, "name");
  const repoURL = text(body, "repoURL");
  const project = text(body, "project");
  for (const v of [name, repoURL, project]) if (isProblem(v)) return v;
  const optional: Partial<Record<(typeof OPTIONAL_TEXT)[number], string>> = {};
  for (const field of OPTIONAL_TEXT) {
    const v = text(body, field);
    if (isProblem(v)) return v;
    if (v !== undefined) optional[field] = v;
  }
  const switches = flags(body);
  if (isProblem(switches)) return switches;
  const files = valueFiles(body);
  if (isProblem(files)) return files;
  if (repoURL === undefined) return { field: "repoURL", error: "repoURL: required" };
  if ((switches.prune || switches.selfHeal) && !switches.automated)
    return { field: switches.prune ? "prune" : "selfHeal", error: "prune and self-heal need automated sync" };
  const form: AppForm = {
    name: (name as string | undefined) ?? "",
    project: (project as string | undefined) ?? defaultProject,
    repoURL: repoURL as string,
    ...optional,
    ...switches,
    helmValueFiles: files,
  };
  return sourceProblem(form) ?? form;
}

function sourceOf(form: AppForm): ApplicationSource {
  const common = { repoURL: form.repoURL, helmValueFiles: form.helmValueFiles };
  return form.chart !== undefined
    ? chartSource({ ...common, chart: form.chart, ...(form.revision !== undefined ? { revision: form.revision } : {}) })
    : gitSource({ ...common, path: form.path ?? "", revision: form.revision ?? "HEAD" });
}

/** The Application a create makes of the form, in `namespace`, as `bosun app create` makes one. */
export function applicationOf(form: AppForm, namespace: string): Application {
  return buildApplication({
    name: form.name,
    namespace,
    project: form.project,
    source: sourceOf(form),
    destination: {
      ...(form.destinationNamespace !== undefined ? { namespace: form.destinationNamespace } : {}),
      ...(form.destinationCluster !== undefined ? { name: form.destinationCluster } : {}),
    },
    ...(form.automated ? { automated: { prune: form.prune, selfHeal: form.selfHeal } } : {}),
    ...(form.interval !== undefined ? { interval: form.interval } : {}),
    createNamespace: form.createNamespace,
  });
}

const CREATE_NAMESPACE = /^CreateNamespace=/;

/** The form filled from an Application (one source only: the form edits no other). */
export function formOf(app: Application): AppForm {
  const { source, destination, syncPolicy } = app.spec;
  const automated = syncPolicy?.automated;
  return {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    project: app.spec.project || DEFAULT_PROJECT,
    repoURL: source.repoURL,
    ...(source.chart !== undefined ? { chart: source.chart } : { path: source.path ?? "" }),
    ...(source.revision !== undefined ? { revision: source.revision } : {}),
    ...(destination.name !== undefined ? { destinationCluster: destination.name } : {}),
    ...(destination.namespace !== undefined ? { destinationNamespace: destination.namespace } : {}),
    automated: automated !== undefined,
    prune: automated?.prune === true,
    selfHeal: automated?.selfHeal === true,
    ...(syncPolicy?.interval !== undefined ? { interval: syncPolicy.interval } : {}),
    createNamespace: (syncPolicy?.syncOptions ?? []).includes("CreateNamespace=true"),
    helmValueFiles: [...(source.helm?.valueFiles ?? [])],
  };
}

/** Why the form cannot edit this Application (it has several sources), or undefined. */
export function notEditable(app: Application): string | undefined {
  return (app.spec.sources?.length ?? 0) > 0
    ? "this Application has several sources (spec.sources); the form edits one source only"
    : undefined;
}

function mergedSource(old: ApplicationSource, form: AppForm): ApplicationSource {
  const { chart: _chart, path: _path, revision: _revision, helm, ...kept } = old;
  const source: ApplicationSource = { ...kept, repoURL: form.repoURL };
  if (form.chart !== undefined) source.chart = form.chart;
  else source.path = form.path ?? "";
  if (form.revision !== undefined) source.revision = form.revision;
  const { valueFiles: _files, ...helmKept } = helm ?? {};
  const newHelm = { ...helmKept, ...(form.helmValueFiles.length > 0 ? { valueFiles: form.helmValueFiles } : {}) };
  if (Object.keys(newHelm).length > 0) source.helm = newHelm;
  return source;
}

function mergedSyncPolicy(old: Application["spec"]["syncPolicy"], form: AppForm): Application["spec"]["syncPolicy"] {
  const { automated, interval: _interval, syncOptions, ...kept } = old ?? {};
  const others = (syncOptions ?? []).filter((o) => !CREATE_NAMESPACE.test(o));
  const unchanged = form.createNamespace === (syncOptions ?? []).includes("CreateNamespace=true");
  const options = unchanged ? syncOptions : form.createNamespace ? ["CreateNamespace=true", ...others] : others;
  return {
    ...kept,
    ...(form.automated ? { automated: { ...automated, prune: form.prune, selfHeal: form.selfHeal } } : {}),
    ...(form.interval !== undefined ? { interval: form.interval } : {}),
    ...(options !== undefined ? { syncOptions: options } : {}),
  };
}

/**
 * The Application with the form's fields in its spec and everything else as it was: other source fields
 * (directory, kustomize, helm values, credentials), other sync options, retry, ignoreDifferences, dependsOn.
 * A destination cluster named replaces a server URL; none keeps the server the spec names.
 */
export function mergeForm(app: Application, form: AppForm): Application {
  const { destination } = app.spec;
  const { name: _name, namespace: _ns, ...destKept } = destination;
  const named = form.destinationCluster !== undefined;
  const { server: _server, ...withoutServer } = destKept;
  return {
    ...app,
    spec: {
      ...app.spec,
      project: form.project,
      source: mergedSource(app.spec.source, form),
      destination: {
        ...(named ? withoutServer : destKept),
        ...(form.destinationNamespace !== undefined ? { namespace: form.destinationNamespace } : {}),
        ...(named ? { name: form.destinationCluster } : {}),
      },
      syncPolicy: mergedSyncPolicy(app.spec.syncPolicy, form),
    },
  };
}

/** The form's fields an edit changes, in the form's order. */
export function changedFields(before: AppForm, after: AppForm): FormField[] {
  const fields = Object.keys({ ...before, ...after }) as FormField[];
  return fields.filter((f) => f !== "name" && f !== "namespace" && !jsonEqual(before[f] ?? null, after[f] ?? null));
}

const PROBLEM_FIELDS: ReadonlyArray<[RegExp, FormField]> = [
  [/^spec\.source\.chart\b/, "chart"],
  [/^spec\.source\.path\b/, "path"],
  [/^spec\.source\b/, "repoURL"],
  [/^spec\.syncPolicy\.interval\b/, "interval"],
  [/^spec\.syncPolicy\.syncOptions\b/, "createNamespace"],
  [/^spec\.destination\.namespace\b/, "destinationNamespace"],
];

/** The first problem the agent would find with the Application's spec (spec-check), naming the form's field. */
export function specProblem(app: Application): FormProblem | undefined {
  const [problem] = specProblems(app);
  if (problem === undefined) return undefined;
  const field = PROBLEM_FIELDS.find(([pattern]) => pattern.test(problem))?.[1];
  return { ...(field ? { field } : {}), error: problem };
}

/**
 * A JSON merge patch (RFC 7386) turning `before` into `after`: changed keys set, removed keys null, objects
 * patched key by key, anything else (lists included) replaced whole.
 */
export function mergePatch(before: unknown, after: unknown): unknown {
  if (!isRecord(before) || !isRecord(after)) return after;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (!(key in before)) patch[key] = value;
    else if (!jsonEqual(before[key], value)) patch[key] = mergePatch(before[key], value);
  }
  return patch;
}
