// A new Application, or an Application's source, destination and sync policy edited, from a form. The
// server checks the form as the agent checks a spec and answers which field is wrong; this page checks only
// that the required fields are there, and shows the server's refusal beside the form.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type ApiClient, appPath } from "./api-client.js";
import {
  decodeFormAnswer,
  decodeSaved,
  EMPTY_FORM,
  type FormFieldName,
  type FormState,
  formBody,
  missingFields,
} from "./form-model.js";
import { appHref, editHref, NEW_APP_HREF } from "./hash-route.js";
import { mayAct, READ_ONLY_HINT, type Session } from "./session.js";
import { useApiGet } from "./use-api.js";
import { ErrorNote, errorText } from "./widgets.js";

/** The server's refusal: its message, and the field it names when it names one. */
class FormRefused extends Error {
  override readonly name = "FormRefused";
  constructor(
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

/** POST or PUT the form with the session's token; the server's `{error, field}` becomes a FormRefused. */
async function send(api: ApiClient, method: "POST" | "PUT", path: string, body: unknown) {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      accept: "application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
    cache: "no-store",
    signal: AbortSignal.timeout(60_000),
  });
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    answer = undefined;
  }
  if (!res.ok) {
    const o = (typeof answer === "object" && answer !== null ? answer : {}) as { error?: unknown; field?: unknown };
    const message = typeof o.error === "string" ? o.error : `${res.status} ${res.statusText}`.trim();
    throw new FormRefused(message, typeof o.field === "string" ? o.field : undefined);
  }
  return decodeSaved(answer);
}

interface FieldProps {
  id: FormFieldName;
  label: string;
  hint?: string;
  problem?: string;
  children: ComponentChildren;
}

function Field({ id, label, hint, problem, children }: FieldProps) {
  return (
    <div class={`form-field${problem ? " invalid" : ""}`}>
      <label for={`app-form-${id}`}>{label}</label>
      {children}
      {problem ? (
        <span class="field-problem" id={`app-form-${id}-problem`}>
          {problem}
        </span>
      ) : hint ? (
        <span class="muted small">{hint}</span>
      ) : null}
    </div>
  );
}

type Problems = Partial<Record<FormFieldName, string>>;

function TextInput(props: {
  form: FormState;
  set: (patch: Partial<FormState>) => void;
  field: Exclude<FormFieldName, "automated" | "prune" | "selfHeal" | "createNamespace">;
  problems: Problems;
  disabled?: boolean;
  placeholder?: string;
  required?: boolean;
}) {
  const { form, set, field, problems } = props;
  return (
    <input
      id={`app-form-${field}`}
      name={field}
      type="text"
      value={form[field]}
      disabled={props.disabled}
      placeholder={props.placeholder}
      required={props.required}
      aria-invalid={problems[field] ? "true" : undefined}
      aria-describedby={problems[field] ? `app-form-${field}-problem` : undefined}
      onInput={(e) => set({ [field]: e.currentTarget.value })}
    />
  );
}

function Check(props: {
  form: FormState;
  set: (patch: Partial<FormState>) => void;
  field: "automated" | "prune" | "selfHeal" | "createNamespace";
  label: string;
  disabled?: boolean;
}) {
  const { form, set, field } = props;
  return (
    <label class="check">
      <input
        type="checkbox"
        name={field}
        checked={form[field]}
        disabled={props.disabled}
        onChange={(e) => set({ [field]: e.currentTarget.checked })}
      />{" "}
      {props.label}
    </label>
  );
}

function SourceFields(props: { form: FormState; set: (p: Partial<FormState>) => void; problems: Problems }) {
  const { form, set, problems } = props;
  const chart = form.kind === "chart";
  return (
    <fieldset class="form-group">
      <legend>Source</legend>
      <Field
        id="repoURL"
        label="Repository URL"
        problem={problems.repoURL}
        hint="Git (https, ssh, file) or, for a chart, a Helm repository or oci:// registry"
      >
        <TextInput form={form} set={set} field="repoURL" problems={problems} required />
      </Field>
      <div class="form-field" role="radiogroup" aria-label="Source kind">
        <label class="check">
          <input type="radio" name="kind" checked={!chart} onChange={() => set({ kind: "git" })} /> Path in a Git
          repository
        </label>
        <label class="check">
          <input type="radio" name="kind" checked={chart} onChange={() => set({ kind: "chart" })} /> Helm chart
        </label>
      </div>
      {chart ? (
        <Field id="chart" label="Chart" problem={problems.chart}>
          <TextInput form={form} set={set} field="chart" problems={problems} required />
        </Field>
      ) : (
        <Field id="path" label="Path" problem={problems.path} hint="Inside the repository; empty for its root">
          <TextInput form={form} set={set} field="path" problems={problems} />
        </Field>
      )}
      <Field
        id="revision"
        label={chart ? "Chart version" : "Revision"}
        problem={problems.revision}
        hint={
          chart ? "A version or range; the newest when empty" : "Branch, tag, commit or semver range; HEAD when empty"
        }
      >
        <TextInput form={form} set={set} field="revision" problems={problems} />
      </Field>
      <Field id="helmValueFiles" label="Helm value files" problem={problems.helmValueFiles} hint="One per line">
        <textarea
          id="app-form-helmValueFiles"
          name="helmValueFiles"
          rows={2}
          value={form.helmValueFiles}
          onInput={(e) => set({ helmValueFiles: e.currentTarget.value })}
        />
      </Field>
    </fieldset>
  );
}

function FormFields(props: {
  form: FormState;
  set: (p: Partial<FormState>) => void;
  problems: Problems;
  creating: boolean;
}) {
  const { form, set, problems, creating } = props;
  const common = { form, set, problems };
  return (
    <>
      <fieldset class="form-group">
        <legend>Application</legend>
        <Field id="name" label="Name" problem={problems.name}>
          <TextInput {...common} field="name" disabled={!creating} required={creating} />
        </Field>
        <Field
          id="namespace"
          label="Namespace"
          problem={problems.namespace}
          hint="Where it lives; the agent's namespace when empty"
        >
          <TextInput {...common} field="namespace" disabled={!creating} />
        </Field>
        <Field id="project" label="Project" problem={problems.project}>
          <TextInput {...common} field="project" required />
        </Field>
      </fieldset>
      <SourceFields {...common} />
      <fieldset class="form-group">
        <legend>Destination</legend>
        <Field
          id="destinationCluster"
          label="Cluster"
          problem={problems.destinationCluster}
          hint="Its name; this cluster when empty"
        >
          <TextInput {...common} field="destinationCluster" placeholder="in-cluster" />
        </Field>
        <Field id="destinationNamespace" label="Destination namespace" problem={problems.destinationNamespace}>
          <TextInput {...common} field="destinationNamespace" />
        </Field>
        <Check {...common} field="createNamespace" label="Create the namespace" />
      </fieldset>
      <fieldset class="form-group">
        <legend>Sync policy</legend>
        <Check {...common} field="automated" label="Automated sync" />
        <Check {...common} field="prune" label="Prune what is removed from Git" disabled={!form.automated} />
        <Check
          {...common}
          field="selfHeal"
          label="Self-heal changes made behind Git's back"
          disabled={!form.automated}
        />
        <Field id="interval" label="Interval" problem={problems.interval} hint="How often to poll the source, e.g. 1m">
          <TextInput {...common} field="interval" />
        </Field>
      </fieldset>
    </>
  );
}

/** The form itself, filled with `initial`: checked, sent, and on success the Application's page. */
function ApplicationForm(props: {
  session: Session;
  initial: FormState;
  editing?: { namespace: string; name: string };
}) {
  const { session, editing } = props;
  const [form, setForm] = useState<FormState>(props.initial);
  const [problems, setProblems] = useState<Problems>({});
  const [refusal, setRefusal] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const allowed = mayAct(session);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = missingFields(form, !editing);
    setProblems(missing);
    setRefusal(undefined);
    if (Object.keys(missing).length > 0) return;
    setSending(true);
    try {
      const body = formBody(form);
      const saved = editing
        ? await send(session.api, "PUT", appPath(editing), body)
        : await send(session.api, "POST", "/api/applications", body);
      location.hash = appHref(saved);
    } catch (err) {
      setRefusal(errorText(err));
      const field = err instanceof FormRefused ? err.field : undefined;
      if (field && field in EMPTY_FORM) setProblems({ [field]: errorText(err) });
    } finally {
      setSending(false);
    }
  };
  const title = editing ? `Edit Application ${editing.name}` : "New Application";
  return (
    <form class="app-form" aria-label={title} onSubmit={submit} noValidate>
      <FormFields form={form} set={set} problems={problems} creating={!editing} />
      <div class="form-actions">
        <button
          type="submit"
          class="primary"
          disabled={!allowed || sending}
          title={allowed ? undefined : READ_ONLY_HINT}
        >
          {sending ? "Saving…" : editing ? "Save" : "Create"}
        </button>
        <a class="button" href={editing ? appHref(editing) : "#/"}>
          Cancel
        </a>
        {allowed ? null : <span class="muted small">{READ_ONLY_HINT}</span>}
      </div>
      <ErrorNote error={refusal} />
    </form>
  );
}

/** `#/new`. */
export function NewAppPage({ session }: { session: Session }) {
  return (
    <main class="page form-page">
      <p class="crumbs">
        <a href="#/">Applications</a> / new
      </p>
      <h1>New Application</h1>
      <ApplicationForm session={session} initial={EMPTY_FORM} />
    </main>
  );
}

/** `#/apps/NS/NAME/edit`: the form filled from the Application as the server has it. */
export function EditAppPage(props: { session: Session; namespace: string; name: string }) {
  const { session } = props;
  const key = { namespace: props.namespace, name: props.name };
  const loaded = useApiGet(session.api, `${appPath(key)}/form`, decodeFormAnswer, "");
  const [ready, setReady] = useState<FormState | undefined>();
  // Filled once: later changes of the Application do not overwrite what is being typed.
  useEffect(() => {
    if (loaded.data && !ready) setReady(loaded.data);
  }, [loaded.data, ready]);
  return (
    <main class="page form-page">
      <p class="crumbs">
        <a href="#/">Applications</a> / {props.namespace} / <a href={appHref(key)}>{props.name}</a> / edit
      </p>
      <h1>Edit {props.name}</h1>
      <ErrorNote error={loaded.error} />
      {ready ? <ApplicationForm session={session} initial={ready} editing={key} /> : null}
      {!ready && loaded.loading ? <p class="muted">Loading…</p> : null}
    </main>
  );
}

/** The Application page's way to the form: a link, or for a read-only token a disabled button saying why. */
export function EditLink({ session, app }: { session: Session; app: { namespace: string; name: string } }) {
  if (!mayAct(session))
    return (
      <button type="button" class="edit-link" disabled title={READ_ONLY_HINT}>
        Edit
      </button>
    );
  return (
    <a class="button edit-link" href={editHref(app)}>
      Edit
    </a>
  );
}

/** The list's way to the form for a new Application; for a read-only token a disabled button saying why. */
export function NewAppLink({ session }: { session: Session }) {
  if (!mayAct(session))
    return (
      <button type="button" disabled title={READ_ONLY_HINT}>
        New Application
      </button>
    );
  return (
    <a class="button primary" href={NEW_APP_HREF}>
      New Application
    </a>
  );
}
