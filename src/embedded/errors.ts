// Errors in the Kubernetes `Status` format: what the server answers, and what clients (kubectl,
// client-go, bosun's own cluster/) parse reasons and causes from.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request the server refuses; becomes a Status body with this code and reason. */
export class ApiStatusError extends Error {
  override readonly name = "ApiStatusError";
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toStatus(): KubeStatusBody {
    return statusBody(this.code, this.reason, this.message, this.details);
  }
}

/** A Status; an empty reason is left out, as the API server leaves out StatusReasonUnknown. */
export function statusBody(code: number, reason: string, message: string, details?: StatusDetails): KubeStatusBody {
  if (!reason)
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code } as KubeStatusBody;
  if (details)
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code };
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

/** How errors name a resource: "configmaps" or "deployments.apps". */
export interface ResourceName {
  group: string;
  resource: string;
}

function qualified(r: ResourceName): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function details(r: ResourceName, name: string): StatusDetails {
  return r.group ? { name, group: r.group, kind: r.resource } : { name, kind: r.resource };
}

export function notFound(r: ResourceName, name: string): ApiStatusError {
  return new ApiStatusError(404, "NotFound", `${qualified(r)} "${name}" not found`, details(r, name));
}

export function alreadyExists(r: ResourceName, name: string): ApiStatusError {
  return new ApiStatusError(409, "AlreadyExists", `${qualified(r)} "${name}" already exists`, details(r, name));
}

export function conflict(r: ResourceName, name: string, why: string): ApiStatusError {
  return new ApiStatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`,
    details(r, name),
  );
}

export const STALE_OBJECT =
  "the object has been modified; please apply your changes to the latest version and try again";

export function forbidden(r: ResourceName, name: string, why: string): ApiStatusError {
  return new ApiStatusError(403, "Forbidden", `${qualified(r)} "${name}" is forbidden: ${why}`, details(r, name));
}

/** The most kube-apiserver's etcd client sends (2 MiB): a larger object fails before etcd sees it. */
const ETCD_CLIENT_SEND_LIMIT_BYTES = 2 * 1024 * 1024;

/** What kube-apiserver answers when etcd refuses an object this large (an empty reason: StatusReasonUnknown). */
export function tooLargeForEtcd(bytes: number): ApiStatusError {
  return new ApiStatusError(
    500,
    "",
    bytes > ETCD_CLIENT_SEND_LIMIT_BYTES
      ? `rpc error: code = ResourceExhausted desc = trying to send message larger than max (${bytes} vs. ${ETCD_CLIENT_SEND_LIMIT_BYTES})`
      : "etcdserver: request is too large",
  );
}

export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(400, "BadRequest", message);
}

export function gone(message: string): ApiStatusError {
  return new ApiStatusError(410, "Expired", message);
}

export function methodNotAllowed(message: string): ApiStatusError {
  return new ApiStatusError(405, "MethodNotAllowed", message);
}

/** 415, with the media types the resource reads (the API server's own wording). */
export function unsupportedMediaType(accepted: readonly string[]): ApiStatusError {
  return new ApiStatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );
}

export function unauthorized(): ApiStatusError {
  return new ApiStatusError(401, "Unauthorized", "Unauthorized");
}

/** One invalid field, as the validators report it. */
export interface FieldError {
  field: string;
  /** "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported", "FieldValueForbidden", … */
  reason: string;
  /** The detail after the field, e.g. `Required value` or `Invalid value: "x": must be …`. */
  detail: string;
}

/** 422 Invalid: `Kind.group "name" is invalid: field: detail, field: detail`. */
export function invalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): ApiStatusError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const listed = errors.map((e) => `${e.field}: ${e.detail}`);
  const summary = listed.length === 1 ? listed[0] : `[${listed.join(", ")}]`;
  const d: StatusDetails = { name, kind: kind.kind };
  if (kind.group) d.group = kind.group;
  d.causes = errors.map((e) => ({ reason: e.reason, message: e.detail, field: e.field }));
  return new ApiStatusError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${summary}`, d);
}
