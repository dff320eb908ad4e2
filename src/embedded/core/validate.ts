// Admission-like validation of the fields clients most often get wrong, with the API server's messages.

import type { KubeObject } from "../../api/index.js";
import { isRecord, jsonEqual, recordAt } from "../../api/index.js";
import type { FieldError } from "../errors.js";
import type { ResourceType } from "../resources/resource-type.js";
import { fromLabelSelectorObject, matchesLabels, SelectorParseError } from "../select/label-selector.js";

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const SUBDOMAIN_HELP =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_HELP =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** The most bytes an object's annotations may hold, keys and values together (256 KiB). */
const ANNOTATIONS_LIMIT_BYTES = 256 * 1024;

/** Kinds whose names must be DNS labels rather than subdomains. */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

export function invalidValue(field: string, value: unknown, why: string): FieldError {
  return { field, reason: "FieldValueInvalid", detail: `Invalid value: ${JSON.stringify(value)}: ${why}` };
}

export function required(field: string, why?: string): FieldError {
  return { field, reason: "FieldValueRequired", detail: why ? `Required value: ${why}` : "Required value" };
}

/**
 * RBAC objects are named as path segments (`system:aggregated-metrics-reader` is valid), as apimachinery's
 * IsPathSegmentName says: not `.` or `..`, no `/` or `%`.
 */
function pathSegmentProblems(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  return ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

export function validateName(type: ResourceType, obj: KubeObject, errors: FieldError[]): void {
  const name = obj.metadata.name;
  if (!name) {
    errors.push(required("metadata.name", "name or generateName is required"));
    return;
  }
  if (type.builtin && type.group === "rbac.authorization.k8s.io") {
    for (const why of pathSegmentProblems(name)) errors.push(invalidValue("metadata.name", name, why));
    return;
  }
  const asLabel = LABEL_NAMED.has(type.kind) && type.builtin;
  if (asLabel ? !LABEL.test(name) || name.length > 63 : !SUBDOMAIN.test(name) || name.length > 253) {
    errors.push(invalidValue("metadata.name", name, asLabel ? LABEL_HELP : SUBDOMAIN_HELP));
  }
}

function validateLabels(obj: KubeObject, errors: FieldError[]): void {
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (!QUALIFIED_NAME.test(k))
      errors.push(
        invalidValue("metadata.labels", k, "name part must consist of alphanumeric characters, '-', '_' or '.'"),
      );
    if (typeof v !== "string" || !LABEL_VALUE.test(v) || v.length > 63)
      errors.push(
        invalidValue(
          "metadata.labels",
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
  }
  let annotationBytes = 0;
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (typeof v !== "string")
      errors.push(invalidValue(`metadata.annotations`, k, "annotation values must be strings"));
    else annotationBytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  // apimachinery's TotalAnnotationSizeLimitB: keys and values together (a large last-applied annotation).
  if (annotationBytes > ANNOTATIONS_LIMIT_BYTES)
    errors.push({
      field: "metadata.annotations",
      reason: "FieldValueTooLong",
      detail: `Too long: may not be more than ${ANNOTATIONS_LIMIT_BYTES} bytes`,
    });
}

function validateContainers(spec: unknown, path: string, errors: FieldError[]): void {
  const containers = isRecord(spec) ? spec.containers : undefined;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push(required(`${path}.containers`));
    return;
  }
  containers.forEach((c, i) => {
    if (!isRecord(c) || typeof c.name !== "string" || c.name === "")
      errors.push(required(`${path}.containers[${i}].name`));
    if (!isRecord(c) || typeof c.image !== "string" || c.image === "")
      errors.push(required(`${path}.containers[${i}].image`));
  });
}

function validateWorkload(obj: KubeObject, errors: FieldError[]): void {
  const spec = recordAt(obj, "spec");
  const selector = recordAt(spec, "selector");
  const template = recordAt(spec, "template");
  if (!selector) errors.push(required("spec.selector"));
  const labels = recordAt(recordAt(template, "metadata"), "labels") as Record<string, string> | undefined;
  if (selector) {
    try {
      const reqs = fromLabelSelectorObject(selector);
      if (reqs.length === 0)
        errors.push(invalidValue("spec.selector", selector, "empty selector is invalid for deployment"));
      else if (!matchesLabels(reqs, labels ?? {}))
        errors.push(
          invalidValue("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"),
        );
    } catch (err) {
      if (!(err instanceof SelectorParseError)) throw err;
      errors.push(invalidValue("spec.selector", selector, err.message));
    }
  }
  validateContainers(recordAt(template, "spec"), "spec.template.spec", errors);
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_HELP =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
/** ConfigMaps and Secrets hold at most 1 MiB of data. */
const CONFIG_DATA_LIMIT = 1024 * 1024;
const IMMUTABLE_WHEN_SET = "Forbidden: field is immutable when `immutable` is set";

function validateKeys(map: Record<string, unknown> | undefined, field: string, errors: FieldError[]): void {
  for (const key of Object.keys(map ?? {})) {
    if (key.length > 253)
      errors.push({
        field: `${field}[${key}]`,
        reason: "FieldValueTooLong",
        detail: "Too long: may not be more than 253 bytes",
      });
    else if (!CONFIG_KEY.test(key)) errors.push(invalidValue(`${field}[${key}]`, key, CONFIG_KEY_HELP));
  }
}

const base64Size = (v: unknown) => (typeof v === "string" ? Buffer.from(v, "base64").length : 0);
const textSize = (v: unknown) => (typeof v === "string" ? Buffer.byteLength(v) : 0);
const total = (map: Record<string, unknown> | undefined, size: (v: unknown) => number) =>
  Object.values(map ?? {}).reduce<number>((sum, v) => sum + size(v), 0);

/** ConfigMaps and Secrets: key names, the 1 MiB limit, and what `immutable: true` freezes. */
function validateConfigData(kind: string, obj: KubeObject, before: KubeObject | undefined, errors: FieldError[]): void {
  const data = recordAt(obj, "data");
  const binary = recordAt(obj, "binaryData");
  validateKeys(data, "data", errors);
  validateKeys(binary, "binaryData", errors);
  const tooLong = { reason: "FieldValueTooLong", detail: `Too long: may not be more than ${CONFIG_DATA_LIMIT} bytes` };
  if (kind === "ConfigMap" && total(data, textSize) + total(binary, base64Size) > CONFIG_DATA_LIMIT)
    errors.push({ field: "[]", ...tooLong });
  if (kind === "Secret" && total(data, base64Size) > CONFIG_DATA_LIMIT) errors.push({ field: "data", ...tooLong });
  if (before?.immutable !== true) return;
  for (const field of ["data", "binaryData"] as const)
    if (!jsonEqual(before[field] ?? {}, obj[field] ?? {}))
      errors.push({ field, reason: "FieldValueForbidden", detail: IMMUTABLE_WHEN_SET });
  if (obj.immutable !== true)
    errors.push({ field: "immutable", reason: "FieldValueForbidden", detail: IMMUTABLE_WHEN_SET });
}

/** A Service's cluster IP, once set, stays. */
function validateServiceUpdate(obj: KubeObject, before: KubeObject | undefined, errors: FieldError[]): void {
  const was = recordAt(before, "spec");
  const now = recordAt(obj, "spec");
  const old = (Array.isArray(was?.clusterIPs) ? was.clusterIPs[0] : undefined) ?? was?.clusterIP;
  if (typeof old !== "string" || old === "") return;
  const ips = Array.isArray(now?.clusterIPs)
    ? now.clusterIPs
    : typeof now?.clusterIP === "string"
      ? [now.clusterIP]
      : [];
  if (ips.length > 0 && ips[0] !== old) errors.push(invalidValue("spec.clusterIPs[0]", ips, "may not change once set"));
}

/** A Job's selector and pod template do not change once it exists. */
function validateJobUpdate(obj: KubeObject, before: KubeObject | undefined, errors: FieldError[]): void {
  if (!before) return;
  for (const field of ["selector", "template"] as const) {
    const was = recordAt(before, "spec")?.[field];
    const now = recordAt(obj, "spec")?.[field];
    if (was !== undefined && !jsonEqual(was, now))
      errors.push(invalidValue(`spec.${field}`, now, "field is immutable"));
  }
}

const WORKLOADS = new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet"]);

/** Field errors of an object about to be stored (empty when valid). `before` is set for updates. */
export function validateObject(type: ResourceType, obj: KubeObject, before: KubeObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  validateName(type, obj, errors);
  validateLabels(obj, errors);
  if (!type.builtin) return errors;
  const id = `${type.group}/${type.kind}`;
  if (WORKLOADS.has(id)) {
    validateWorkload(obj, errors);
    const was = recordAt(before, "spec")?.selector;
    const now = recordAt(obj, "spec")?.selector;
    if (before && was !== undefined && !jsonEqual(was, now))
      errors.push(invalidValue("spec.selector", now, "field is immutable"));
  } else if (id === "/Pod") {
    validateContainers(recordAt(obj, "spec"), "spec", errors);
  } else if (id === "batch/Job") {
    validateContainers(recordAt(recordAt(recordAt(obj, "spec"), "template"), "spec"), "spec.template.spec", errors);
    validateJobUpdate(obj, before, errors);
  } else if (id === "/ConfigMap" || id === "/Secret") {
    validateConfigData(type.kind, obj, before, errors);
  } else if (id === "/Service") {
    validateServiceUpdate(obj, before, errors);
  }
  return errors;
}
