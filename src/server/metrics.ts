// bosun's Prometheus metrics, in a registry of their own (several servers may share one process in tests).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Application } from "../api/index.js";
import type { CacheEvent, RequestObserver } from "../controller/index.js";

export type ReconcileOutcome = "success" | "source_failed" | "render_failed" | "invalid" | "error";

/**
 * Wired: reconciles and their duration and outcome (from the agent's log lines, see metrics-logger.ts),
 * git errors (reconciles that failed at the source), sync results and drift corrections (from the
 * Applications' status history and drift records), Applications by sync and health status, the agent's
 * Kubernetes API requests, and this server's HTTP requests.
 */
export class BosunMetrics {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({
    name: "bosun_reconciles_total",
    help: "Reconciles of an Application, by outcome",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  private readonly reconcileDuration = new Histogram({
    name: "bosun_reconcile_duration_seconds",
    help: "How long a successful reconcile of one Application took",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly gitErrors = new Counter({
    name: "bosun_git_fetch_errors_total",
    help: "Reconciles that failed to fetch or resolve their source",
    registers: [this.registry],
  });
  private readonly syncResults = new Counter({
    name: "bosun_sync_results_total",
    help: "Finished syncs, by result (Succeeded, Failed)",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  private readonly driftCorrections = new Counter({
    name: "bosun_drift_corrections_total",
    help: "Drift records that self-heal corrected",
    registers: [this.registry],
  });
  private readonly kubeRequests = new Counter({
    name: "bosun_kube_api_requests_total",
    help: "Requests the agent made to the Kubernetes API, by verb and status code (0: no answer)",
    labelNames: ["verb", "code"],
    registers: [this.registry],
  });
  private readonly httpRequests = new Counter({
    name: "bosun_http_requests_total",
    help: "Requests to bosun's HTTP API, by verb, route and status code",
    labelNames: ["verb", "route", "code"],
    registers: [this.registry],
  });
  private listApps: () => readonly Application[] = () => [];

  constructor(options: { defaultMetrics?: boolean } = {}) {
    new Gauge({
      name: "bosun_applications",
      help: "Applications, by sync and health status",
      labelNames: ["sync", "health"],
      registers: [this.registry],
      collect: () => this.collectApplications(),
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "bosun_" });
  }

  /** For startAgent's `observeRequests`. */
  readonly observeKubeRequest: RequestObserver = ({ method, code }) => {
    this.kubeRequests.inc({ verb: method, code: String(code) });
  };

  observeReconcile(outcome: ReconcileOutcome, durationMs?: number): void {
    this.reconciles.inc({ outcome });
    if (outcome === "source_failed") this.gitErrors.inc();
    if (durationMs !== undefined && Number.isFinite(durationMs)) this.reconcileDuration.observe(durationMs / 1000);
  }

  observeHttp(verb: string, route: string, code: number): void {
    this.httpRequests.inc({ verb, route, code: String(code) });
  }

  /** Where the Applications gauge reads from (the server's Application watch). */
  readApplicationsFrom(list: () => readonly Application[]): void {
    this.listApps = list;
  }

  /** Counts the syncs and drift corrections an Application's change records. */
  observeApplication(event: CacheEvent): void {
    if (event.type !== "MODIFIED" || !event.previous) return;
    const before = event.previous as unknown as Application;
    const after = event.object as unknown as Application;
    const lastId = before.status?.history?.at(-1)?.id ?? 0;
    for (const h of after.status?.history ?? []) if (h.id > lastId) this.syncResults.inc({ outcome: h.result });
    const corrected = new Set((before.status?.drift ?? []).filter((d) => d.corrected).map(driftKey));
    for (const d of after.status?.drift ?? [])
      if (d.corrected && !corrected.has(driftKey(d))) this.driftCorrections.inc();
  }

  async text(): Promise<string> {
    return await this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private collectApplications(): void {
    const gauge = this.registry.getSingleMetric("bosun_applications") as Gauge<"sync" | "health"> | undefined;
    if (!gauge) return;
    gauge.reset();
    for (const app of this.listApps())
      gauge.inc({ sync: app.status?.sync?.status ?? "Unknown", health: app.status?.health?.status ?? "Unknown" });
  }
}

const driftKey = (d: { resource: string; at: string; fields: string[] }) =>
  `${d.resource}|${d.at}|${d.fields.join(",")}`;
