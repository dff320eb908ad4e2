import { describeRef, type ObjectRef } from "../api/index.js";

/** The Kubernetes `Status` object an API server returns with an error. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ field?: string; message?: string; reason?: string }>;
  };
}

/** A request the API server answered with an error status. */
export class ApiError extends Error {
  override readonly name: string = "ApiError";
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly method: string,
    readonly path: string,
    message: string,
    readonly status?: KubeStatus,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get isNotFound(): boolean {
    return this.code === 404;
  }
  get isConflict(): boolean {
    return this.code === 409;
  }
  get isGone(): boolean {
    return this.code === 410;
  }
}

/** The API server could not be reached (connection refused, reset, timed out) after the retries. */
export class ConnectionError extends Error {
  override readonly name: string = "ConnectionError";
  constructor(
    message: string,
    /** The API server that could not be reached. */
    readonly server: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The ConnectionError behind an error (an ObjectError or AggregateError may wrap it), if there is one. */
export function connectionErrorOf(err: unknown): ConnectionError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof ConnectionError) return e;
    if (e instanceof AggregateError) {
      const inner = e.errors.map(connectionErrorOf).find((c) => c !== undefined);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** An operation on one object failed; names the object and carries the server's message. */
export class ObjectError extends Error {
  override readonly name: string = "ObjectError";
  constructor(
    readonly ref: ObjectRef,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${describeRef(ref)}: ${message}`, options);
  }
}

/** An object that cannot even be sent: no kind, no apiVersion, an unknown kind, no namespace. */
export class InvalidObjectError extends ObjectError {
  override readonly name: string = "InvalidObjectError";
}

/** The API server's answer behind an error, also when an ObjectError wraps it. */
export function apiErrorOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof Error && err.cause instanceof ApiError) return err.cause;
  return undefined;
}

/**
 * The API server refused a request for the object's sake (a 4xx other than 429: RBAC, admission, schema,
 * an immutable field), or the object cannot even be sent; as opposed to a server or network failure.
 */
export function isRefusal(err: unknown): err is ObjectError {
  if (err instanceof InvalidObjectError) return true;
  if (!(err instanceof ObjectError) || !(err.cause instanceof ApiError)) return false;
  const { code } = err.cause;
  return code >= 400 && code < 500 && code !== 429;
}
