// What kube-apiserver checks when an Event is created through events.k8s.io/v1: the checks every Event gets
// (legacy: which ones depends on whether eventTime is set), then the strict ones of the new API. Errors name
// the stored (core) fields, in kube-apiserver's order.
import { isRecord, type KubeObject } from "../../api/index.js";
import type { FieldError } from "../errors.js";
import type { ResourceType } from "../resources/resource-type.js";
import { invalidValue, QUALIFIED_NAME, required, validateName } from "./validate.js";

const LIMITS = { reportingInstance: 128, action: 128, reason: 128 } as const;
const NOTE_LIMIT = 1024;
const QUALIFIED_NAME_HELP =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const text = (obj: Record<string, unknown>, field: string): string =>
  typeof obj[field] === "string" ? (obj[field] as string) : "";
/** Go's zero time: absent or null (a MicroTime or Time field is never the empty string once decoded). */
const unset = (value: unknown): boolean => value === undefined || value === null || value === "";
const unsetValue = (field: string, why: string): FieldError => invalidValue(field, "", why);

function qualifiedNameErrors(field: string, value: string): FieldError[] {
  if (value === "")
    return [invalidValue(field, value, "name part must be non-empty"), invalidValue(field, value, QUALIFIED_NAME_HELP)];
  return QUALIFIED_NAME.test(value) ? [] : [invalidValue(field, value, QUALIFIED_NAME_HELP)];
}

/**
 * The checks of every Event: the namespaces agree; an Event with eventTime names who reported it, and how.
 * `controllerField`: the reporter's name in the request's group (core/v1 calls it reportingComponent).
 */
function legacyErrors(event: Record<string, unknown>, namespace: string, controllerField: string): FieldError[] {
  const involved = isRecord(event.involvedObject) ? text(event.involvedObject, "namespace") : "";
  const mismatch = invalidValue("involvedObject.namespace", involved, "does not match event.namespace");
  if (unset(event.eventTime)) {
    // An old client's Event may leave the reference's namespace out in `default` (or name none at all).
    const agrees = involved === "" ? namespace === "" || namespace === "default" : involved === namespace;
    return agrees ? [] : [mismatch];
  }
  const errors: FieldError[] = [];
  if (involved === "" && namespace !== "default" && namespace !== "kube-system") errors.push(mismatch);
  const controller = text(event, "reportingComponent");
  if (controller === "") errors.push(required(controllerField));
  errors.push(...qualifiedNameErrors(controllerField, controller));
  for (const [field, limit] of Object.entries(LIMITS)) {
    const value = text(event, field);
    if (value === "") errors.push(required(field));
    if (value.length > limit) errors.push(unsetValue(field, `can have at most ${limit} characters`));
  }
  if (text(event, "message").length > NOTE_LIMIT)
    errors.push(unsetValue("message", `can have at most ${NOTE_LIMIT} characters`));
  return errors;
}

/** The strict checks of events.k8s.io/v1: a series, eventTime and type; none of the deprecated fields. */
function strictErrors(type: ResourceType, event: KubeObject): FieldError[] {
  const fields = event as unknown as Record<string, unknown>;
  const errors: FieldError[] = [];
  validateName(type, event, errors);
  if (isRecord(fields.series)) {
    const count = typeof fields.series.count === "number" ? fields.series.count : 0;
    if (count < 2) errors.push(unsetValue("series.count", "should be at least 2"));
    if (unset(fields.series.lastObservedTime)) errors.push(required("series.lastObservedTime"));
  }
  if (unset(fields.eventTime)) errors.push(required("eventTime"));
  const eventType = text(fields, "type");
  if (eventType !== "Normal" && eventType !== "Warning")
    errors.push(unsetValue("type", `has invalid value: ${eventType}`));
  if (!unset(fields.firstTimestamp)) errors.push(unsetValue("firstTimestamp", "needs to be unset"));
  if (!unset(fields.lastTimestamp)) errors.push(unsetValue("lastTimestamp", "needs to be unset"));
  if (typeof fields.count === "number" && fields.count !== 0) errors.push(unsetValue("count", "needs to be unset"));
  const source = isRecord(fields.source) ? fields.source : {};
  if (text(source, "component") !== "" || text(source, "host") !== "")
    errors.push(unsetValue("source", "needs to be unset"));
  return errors;
}

/**
 * The errors of an Event being created, given as stored (core/v1, its namespace set): through events.k8s.io/v1
 * (`group`) the legacy checks and the strict ones, through core/v1 only the legacy ones.
 */
export function eventCreateErrors(type: ResourceType, stored: KubeObject, group: string): FieldError[] {
  const event = stored as unknown as Record<string, unknown>;
  const namespace = stored.metadata.namespace ?? "";
  if (group !== "events.k8s.io") return legacyErrors(event, namespace, "reportingComponent");
  return [...legacyErrors(event, namespace, "reportingController"), ...strictErrors(type, stored)];
}
