// The Application form as data: its fields as typed, what GET …/form answers (decoded), what is missing
// before anything is sent, and the body POST /api/applications and PUT …/NAME take. Pure.
import { DecodeError, type Fields, fields } from "./model.js";

export type SourceKind = "git" | "chart";

/** The form as the person fills it in: text as typed, value files one per line. */
export interface FormState {
  name: string;
  namespace: string;
  project: string;
  repoURL: string;
  kind: SourceKind;
  path: string;
  chart: string;
  revision: string;
  destinationCluster: string;
  destinationNamespace: string;
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  interval: string;
  createNamespace: boolean;
  helmValueFiles: string;
}

export type FormFieldName = Exclude<keyof FormState, "kind">;

export const EMPTY_FORM: FormState = {
  name: "",
  namespace: "",
  project: "default",
  repoURL: "",
  kind: "git",
  path: "",
  chart: "",
  revision: "",
  destinationCluster: "",
  destinationNamespace: "",
  automated: true,
  prune: false,
  selfHeal: false,
  interval: "1m",
  createNamespace: true,
  helmValueFiles: "",
};

function text(o: Fields, key: string, what: string, required = false): string {
  const v = o[key];
  if (v === undefined && !required) return "";
  if (typeof v !== "string") throw new DecodeError(`${what}.${key} is not a string`);
  return v;
}

function flag(o: Fields, key: string, what: string): boolean {
  const v = o[key];
  if (typeof v !== "boolean") throw new DecodeError(`${what}.${key} is not true or false`);
  return v;
}

/** GET /api/applications/NS/NAME/form: the form filled from the Application. */
export function decodeFormAnswer(value: unknown): FormState {
  const what = "form";
  const o = fields(value, what);
  const files = o.helmValueFiles ?? [];
  if (!Array.isArray(files) || !files.every((f) => typeof f === "string"))
    throw new DecodeError("form.helmValueFiles is not a list of strings");
  const chart = text(o, "chart", what);
  return {
    name: text(o, "name", what, true),
    namespace: text(o, "namespace", what),
    project: text(o, "project", what),
    repoURL: text(o, "repoURL", what, true),
    kind: o.chart !== undefined ? "chart" : "git",
    path: text(o, "path", what),
    chart,
    revision: text(o, "revision", what),
    destinationCluster: text(o, "destinationCluster", what),
    destinationNamespace: text(o, "destinationNamespace", what),
    automated: flag(o, "automated", what),
    prune: flag(o, "prune", what),
    selfHeal: flag(o, "selfHeal", what),
    interval: text(o, "interval", what),
    createNamespace: flag(o, "createNamespace", what),
    helmValueFiles: files.join("\n"),
  };
}

/** What POST and PUT answer: the Application's key. */
export function decodeSaved(value: unknown): { namespace: string; name: string } {
  const o = fields(value, "answer");
  return { namespace: text(o, "namespace", "answer", true), name: text(o, "name", "answer", true) };
}

/** What is missing before the form can be sent, by field; {} when nothing is. */
export function missingFields(form: FormState, creating: boolean): Partial<Record<FormFieldName, string>> {
  const out: Partial<Record<FormFieldName, string>> = {};
  if (creating && form.name.trim() === "") out.name = "A name is required.";
  if (form.repoURL.trim() === "") out.repoURL = "A repository URL is required.";
  if (form.kind === "chart" && form.chart.trim() === "") out.chart = "A chart name is required.";
  if (form.project.trim() === "") out.project = "A project is required.";
  return out;
}

/** The request body: text trimmed, the other kind of source left out, prune and self-heal only with automated. */
export function formBody(form: FormState): Record<string, unknown> {
  const chart = form.kind === "chart";
  return {
    name: form.name.trim(),
    namespace: form.namespace.trim(),
    project: form.project.trim(),
    repoURL: form.repoURL.trim(),
    ...(chart ? { chart: form.chart.trim() } : { path: form.path.trim() }),
    revision: form.revision.trim(),
    destinationCluster: form.destinationCluster.trim(),
    destinationNamespace: form.destinationNamespace.trim(),
    automated: form.automated,
    prune: form.automated && form.prune,
    selfHeal: form.automated && form.selfHeal,
    interval: form.interval.trim(),
    createNamespace: form.createNamespace,
    helmValueFiles: form.helmValueFiles
      .split(/[\n,]/)
      .map((f) => f.trim())
      .filter((f) => f !== ""),
  };
}
