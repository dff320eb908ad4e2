// Typed access to Application objects: the only place that builds their URLs. Reads come from the watch
// cache; these are the writes the agent, the HTTP API and the CLI make.
import {
  APPLICATION_API_VERSION,
  APPLICATION_PLURAL,
  type AppKey,
  type Application,
  type ApplicationStatus,
  appKeyOf,
} from "../api/index.js";
import { CONTENT_TYPES, type RestClient } from "./rest.js";

function applicationPath(app: AppKey, subresource?: "status"): string {
  const base = `/apis/${APPLICATION_API_VERSION}/namespaces/${encodeURIComponent(app.namespace)}/${APPLICATION_PLURAL}/${encodeURIComponent(app.name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

export class ApplicationClient {
  constructor(private readonly rest: RestClient) {}

  async get(app: AppKey, signal?: AbortSignal): Promise<Application> {
    return (await this.rest.request<Application>({ method: "GET", path: applicationPath(app), signal })).body;
  }

  async create(app: Application, signal?: AbortSignal): Promise<Application> {
    const path = `/apis/${APPLICATION_API_VERSION}/namespaces/${encodeURIComponent(app.metadata.namespace)}/${APPLICATION_PLURAL}`;
    return (await this.rest.request<Application>({ method: "POST", path, body: app, signal })).body;
  }

  /**
   * Replaces the status, conditional on the resourceVersion `app` carries (a conflict is an ApiError with
   * isConflict). Returns the new resourceVersion.
   */
  async writeStatus(app: Application, status: ApplicationStatus, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.rest.request<Application>({
      method: "PUT",
      path: applicationPath(appKeyOf(app), "status"),
      body: { ...app, status },
      signal,
    });
    return res.body.metadata.resourceVersion;
  }

  /** A JSON merge patch of the Application (annotations, spec); `null` removes a key. */
  async patch(app: AppKey, patch: Record<string, unknown>, signal?: AbortSignal): Promise<Application> {
    const res = await this.rest.request<Application>({
      method: "PATCH",
      path: applicationPath(app),
      body: patch,
      contentType: CONTENT_TYPES.merge,
      signal,
    });
    return res.body;
  }

  /** Drops one finalizer, conditional on the resourceVersion `app` carries. */
  async removeFinalizer(app: Application, finalizer: string, signal?: AbortSignal): Promise<void> {
    await this.patch(
      appKeyOf(app),
      {
        metadata: {
          finalizers: (app.metadata.finalizers ?? []).filter((f) => f !== finalizer),
          resourceVersion: app.metadata.resourceVersion,
        },
      },
      signal,
    );
  }
}
