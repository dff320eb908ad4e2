// The field selectors kube-apiserver 1.36 accepts for each kind (the field label conversions in
// pkg/apis/*/v1/conversion.go), the values it matches them against (ToSelectableFields in pkg/registry),
// and the message it refuses any other label with. Kinds not listed take the default: metadata.name and
// metadata.namespace. Custom resources add their CRD version's selectableFields.

import type { KubeObject } from "../../api/index.js";

/** How a field label's value is read from an object, as the registry renders it (a string). */
export type FieldReader = (obj: KubeObject) => string;

export interface SelectableFields {
  /** Field label → its value on an object (an alias reads the field it stands for). */
  readonly fields: Readonly<Record<string, FieldReader>>;
  /** The message a label not in `fields` is refused with (a 400). */
  unsupported(label: string): string;
}

function raw(obj: unknown, path: string): unknown {
  let node: unknown = obj;
  for (const part of path.split(".")) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    else node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const text =
  (path: string): FieldReader =>
  (obj) => {
    const value = raw(obj, path);
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
  };
/** Go's strconv.FormatBool of a bool field that defaults to false. */
const flag =
  (path: string): FieldReader =>
  (obj) =>
    String(raw(obj, path) === true);
/** Go's strconv.Itoa of an int32 field that defaults to 0. */
const count =
  (path: string): FieldReader =>
  (obj) => {
    const value = raw(obj, path);
    return String(typeof value === "number" ? value : 0);
  };

const name = { "metadata.name": text("metadata.name") };
const nameAndNamespace = { ...name, "metadata.namespace": text("metadata.namespace") };

/** Go's %q of a label, as fmt prints it in the messages below. */
const quoted = (label: string) => JSON.stringify(label);

const notSupported = (label: string) => `field label not supported: ${label}`;

export const DEFAULT_SELECTABLE_FIELDS: SelectableFields = {
  fields: nameAndNamespace,
  unsupported: (label) => `${quoted(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/** An Event's object reference (core `involvedObject`, events.k8s.io `regarding`): each of its fields. */
const referenceFields = (prefix: string) =>
  Object.fromEntries(
    ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"].map((f) => [
      `${prefix}.${f}`,
      text(`${prefix}.${f}`),
    ]),
  );

const coreEvent: SelectableFields = {
  fields: {
    ...nameAndNamespace,
    ...referenceFields("involvedObject"),
    reason: text("reason"),
    reportingComponent: text("reportingComponent"),
    // The registry matches source against source.component, else the reporting controller.
    source: (obj) => text("source.component")(obj) || text("reportingComponent")(obj),
    type: text("type"),
  },
  unsupported: notSupported,
};

/** Built-in kinds with fields of their own, by "group/Kind" ("" is the core group). */
const BUILTIN: Readonly<Record<string, SelectableFields>> = {
  "/Pod": {
    fields: {
      ...nameAndNamespace,
      "spec.nodeName": text("spec.nodeName"),
      // An old client's name for spec.nodeName.
      "spec.host": text("spec.nodeName"),
      "spec.restartPolicy": text("spec.restartPolicy"),
      "spec.schedulerName": text("spec.schedulerName"),
      "spec.serviceAccountName": text("spec.serviceAccountName"),
      "spec.hostNetwork": flag("spec.hostNetwork"),
      "status.phase": text("status.phase"),
      // The first of status.podIPs, as the registry takes it (status.podIP when a writer set only that).
      "status.podIP": (obj) => text("status.podIPs.0.ip")(obj) || text("status.podIP")(obj),
      // Accepted, but the registry's field set has no such entry: it matches only the empty value.
      "status.podIPs": () => "",
      "status.nominatedNodeName": text("status.nominatedNodeName"),
    },
    unsupported: notSupported,
  },
  "/Node": { fields: { ...name, "spec.unschedulable": flag("spec.unschedulable") }, unsupported: notSupported },
  "/ReplicationController": {
    fields: { ...nameAndNamespace, "status.replicas": count("status.replicas") },
    unsupported: notSupported,
  },
  "/Event": coreEvent,
  "/Namespace": { fields: { ...name, "status.phase": text("status.phase") }, unsupported: notSupported },
  "/Secret": { fields: { ...nameAndNamespace, type: text("type") }, unsupported: notSupported },
  "/Service": {
    fields: { ...nameAndNamespace, "spec.clusterIP": text("spec.clusterIP"), "spec.type": text("spec.type") },
    unsupported: notSupported,
  },
  "batch/Job": {
    fields: { ...nameAndNamespace, "status.successful": count("status.succeeded") },
    unsupported: (label) => `field label ${quoted(label)} not supported for Job`,
  },
  "certificates.k8s.io/CertificateSigningRequest": {
    fields: { ...name, "spec.signerName": text("spec.signerName") },
    unsupported: notSupported,
  },
  "events.k8s.io/Event": {
    fields: {
      ...nameAndNamespace,
      ...referenceFields("regarding"),
      reason: text("reason"),
      reportingController: text("reportingController"),
      type: text("type"),
    },
    unsupported: notSupported,
  },
};

/** What a built-in kind may be selected by. */
export function builtinSelectableFields(group: string, kind: string): SelectableFields {
  return BUILTIN[`${group}/${kind}`] ?? DEFAULT_SELECTABLE_FIELDS;
}

/**
 * What a custom resource may be selected by: metadata.name, metadata.namespace when namespaced, and the
 * CRD version's selectableFields (their jsonPath without the leading dot, e.g. `spec.color`).
 */
export function customSelectableFields(namespaced: boolean, jsonPaths: readonly string[]): SelectableFields {
  const own = Object.fromEntries(jsonPaths.map((p) => p.replace(/^\./, "")).map((p) => [p, text(p)]));
  return { fields: { ...(namespaced ? nameAndNamespace : name), ...own }, unsupported: notSupported };
}
