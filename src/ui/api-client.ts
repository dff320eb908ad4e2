// Requests to bosun's HTTP API with the session's token in the Authorization header (never in a URL).

export type Action = "sync" | "refresh" | "rollback" | "suspend" | "resume" | "unquarantine";

/** An answer other than 2xx, with the server's own words when it gave some. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body: unknown = await res.json();
    if (typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string")
      message = (body as { error: string }).error;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new ApiError(message, res.status);
}

export class ApiClient {
  constructor(
    readonly token: string,
    /** Called when the server refuses the token (it was rotated, or the session is stale). */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private async request(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal,
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await errorOf(res);
    return (await res.json()) as unknown;
  }

  /** GET path, decoded by `decode` (which throws on a shape it does not expect). */
  async get<T>(path: string, decode: (value: unknown) => T, signal?: AbortSignal): Promise<T> {
    return decode(await this.request("GET", path, undefined, signal));
  }

  /** Requests an action on an Application (admin role); resolves when the server accepted it. */
  async act(
    app: { namespace: string; name: string },
    action: Action,
    body: Record<string, unknown> = {},
    signal?: AbortSignal,
  ): Promise<void> {
    await this.request("POST", `${appPath(app)}/${action}`, body, signal);
  }
}

export function appPath(app: { namespace: string; name: string }): string {
  return `/api/applications/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
}
