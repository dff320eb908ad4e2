// An Application's sources: `spec.source`, or `spec.sources` (Argo CD's multi-source Applications).
import type { Application, ApplicationSource } from "./application.js";

/** Every source of the Application, in order. */
export function applicationSources(app: Pick<Application, "spec">): ApplicationSource[] {
  const many = app.spec.sources;
  return many !== undefined && many.length > 0 ? many : app.spec.source ? [app.spec.source] : [];
}

/** Whether a source is rendered (a source with only a `ref` just lends its files to the others). */
export function rendersObjects(source: ApplicationSource): boolean {
  return source.ref === undefined || source.chart !== undefined || (source.path !== undefined && source.path !== "");
}

/**
 * The Application with `spec.source` filled in from `spec.sources` (the first source that renders) when only
 * `sources` is given, so what shows or matches one source keeps working. Returns the same object.
 */
export function withPrimarySource<T extends Pick<Application, "spec">>(app: T): T {
  const many = app.spec.sources;
  if (app.spec.source === undefined && many !== undefined && many.length > 0) {
    app.spec.source = many.find(rendersObjects) ?? (many[0] as ApplicationSource);
  }
  return app;
}
