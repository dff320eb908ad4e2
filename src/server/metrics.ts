// bosun's Prometheus metrics, in a registry of their own (several servers may share one process in tests).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Application } from "../api/index.js";
import type { RequestObserver } from "../cluster/index.js";
import type {
  AgentObserver,
  GitFetchedEvent,
  NotifiedEvent,
  ReconciledEvent,
  RenderedEvent,
  SyncedEvent,
} from "../controller/index.js";
import { redactUrl } from "../source/index.js";

/**
 * The agent's metrics come from its observer calls (BosunMetrics is the agent's `observe`): reconciles
 * and their duration by outcome, sync results, drift corrections, git fetches (duration, errors), renders
 * (duration) and notifications' deliveries (by Notifier and result). The Applications gauge reads the
 * server's Application watch; the agent's Kubernetes API requests come from `observeKubeRequest`, and this server's HTTP requests from its hook.
 */
export class BosunMetrics implements AgentObserver {
  readonly registry = new Registry();
  private readonly reconciles = new Counter({
    name: "bosun_reconciles_total",
    help: "Reconciles of an Application, by outcome",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  private readonly reconcileDuration = new Histogram({
    name: "bosun_reconcile_duration_seconds",
    help: "How long a reconcile of one Application took, by outcome",
    labelNames: ["outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
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
  private readonly gitFetchDuration = new Histogram({
    name: "bosun_git_fetch_duration_seconds",
    help: "How long fetching a repository (and resolving the revision) took, failures included, by repository",
    labelNames: ["repo"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });
  private readonly gitFetchErrors = new Counter({
    name: "bosun_git_fetch_errors_total",
    help: "Fetches of a repository that failed, by repository and reason",
    labelNames: ["repo", "reason"],
    registers: [this.registry],
  });
  private readonly renderDuration = new Histogram({
    name: "bosun_render_duration_seconds",
    help: "How long rendering an Application's manifests took, by tool and whether the render cache answered",
    labelNames: ["tool", "cache"],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
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
  private readonly notifications = new Counter({
    name: "bosun_notifications_total",
    help: "Notifications' deliveries that ended, by Notifier, its type and result (delivered, failed, interrupted)",
    labelNames: ["notifier", "type", "result"],
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

  reconciled(event: ReconciledEvent): void {
    this.reconciles.inc({ outcome: event.outcome });
    this.reconcileDuration.observe({ outcome: event.outcome }, seconds(event.durationMs));
  }

  synced(event: SyncedEvent): void {
    this.syncResults.inc({ outcome: event.result });
  }

  driftCorrected(): void {
    this.driftCorrections.inc();
  }

  gitFetched(event: GitFetchedEvent): void {
    // The controller strips credentials already; a label is no place to trust that.
    const repo = redactUrl(event.repo);
    this.gitFetchDuration.observe({ repo }, seconds(event.durationMs));
    if (event.error) this.gitFetchErrors.inc({ repo, reason: event.error });
  }

  rendered(event: RenderedEvent): void {
    this.renderDuration.observe(
      { tool: event.tool, cache: event.fromCache ? "hit" : "miss" },
      seconds(event.durationMs),
    );
  }

  notified(event: NotifiedEvent): void {
    this.notifications.inc({ notifier: event.notifier, type: event.type, result: event.result });
  }

  observeHttp(verb: string, route: string, code: number): void {
    this.httpRequests.inc({ verb, route, code: String(code) });
  }

  /** Where the Applications gauge reads from (the server's Application watch). */
  readApplicationsFrom(list: () => readonly Application[]): void {
    this.listApps = list;
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

/** Milliseconds as seconds; a negative or unreadable duration (a clock that stepped back) as 0. */
const seconds = (ms: number) => (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0);
