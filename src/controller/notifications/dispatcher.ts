// Delivers notifications to the Notifiers of the agent's namespace, in the background: the reconciler
// publishes each Event it records; the dispatcher queues one delivery per matching Notifier in the state
// ConfigMap, claims each there before sending it (so no delivery is ever sent twice, across restarts and
// replicas), retries what a receiver refused with exponential backoff, and reports in each Notifier's
// status, the log and metrics. It never blocks or fails a reconcile. I/O.
import { randomUUID } from "node:crypto";
import {
  errorMessage,
  NOTIFIER_API_VERSION,
  NOTIFIER_KIND,
  type Notifier,
  type NotifierDelivery,
  type NotifierStatus,
} from "../../api/index.js";
import { apiErrorOf, type CacheEvent, type KubeClient, WatchCache } from "../../cluster/index.js";
import type { NotifiedEvent } from "../observer.js";
import type { AppNotice, AppNoticeSink, Logger } from "../pass.js";
import { decoded } from "../source-credentials.js";
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from "./backoff.js";
import { notifierWants } from "./match.js";
import { type Notification, notificationOf } from "./notification.js";
import { type NotifierProblem, statusAfterDelivery, statusForSpec } from "./notifier-status.js";
import { buildRequest, notifierSpecProblem, secretKeyOf } from "./request.js";
import { send } from "./sender.js";
import {
  claim,
  type Delivery,
  deliveryKey,
  dueDeliveries,
  enqueue,
  finish,
  nextDueAt,
  release,
  staleClaims,
} from "./state.js";
import { DeliveryStore } from "./store.js";

export interface NotificationDispatcherOptions {
  client: KubeClient;
  /** The agent's namespace: the only one whose Notifiers (and their Secrets) are honoured. */
  namespace: string;
  log: Logger;
  /** Stops the dispatcher; a try in flight is cut short (and never sent again). */
  signal: AbortSignal;
  /** Told of every delivery that ended (metrics). */
  observe?: (event: NotifiedEvent) => void;
  now?: () => number;
  retry?: RetryPolicy;
  /** How long a receiver has to answer (10s). */
  timeoutMs?: number;
  /** Deliveries in flight at once, to different receivers or Applications (4). */
  concurrency?: number;
  /** The state ConfigMap's name (bosun-notifications). */
  stateName?: string;
  /** Where the dashboard is served: notifications link to the Application's page there. */
  dashboardUrl?: string;
}

/** Notifications published and not yet queued, kept while the state cannot be written. */
const MAX_INBOX = 1000;
/** How often the state is read again (other replicas' deliveries, claims cut short). */
const RELOAD_EVERY_MS = 30_000;
/** A claim is cut short when no answer can still come: the request's timeout and this margin have passed. */
const CLAIM_MARGIN_MS = 5_000;
/** A Secret that could not be read for another reason than its absence: the delivery waits this long. */
const SECRET_RETRY_MS = 5_000;

class SecretProblem extends Error {
  override name = "SecretProblem";
}

export class NotificationDispatcher implements AppNoticeSink {
  private readonly notifiers: WatchCache;
  private readonly store: DeliveryStore;
  /** This run's name on its claims. */
  private readonly instance = randomUUID();
  private readonly now: () => number;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private inbox: Notification[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly statuses = new Map<string, { uid: string; status: NotifierStatus }>();
  private readonly statusWrites = new Map<string, Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private loaded = false;
  private lastLoad = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: NotificationDispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 4;
    this.store = new DeliveryStore({
      client: options.client,
      namespace: options.namespace,
      signal: options.signal,
      ...(options.stateName ? { name: options.stateName } : {}),
    });
    this.notifiers = new WatchCache(options.client, {
      namespace: options.namespace,
      accept: () => true,
      onEvent: (e) => this.notifierChanged(e),
      onError: (err) => options.log.warn({ error: err.message }, "Notifier watch interrupted; resuming"),
    });
  }

  /** Watches the Notifiers, reads the delivery state and starts delivering (what was pending resumes). */
  async start(): Promise<void> {
    await this.notifiers.watchKind(NOTIFIER_API_VERSION, NOTIFIER_KIND, this.options.signal);
    await this.reload();
    this.loop = this.run();
    this.options.signal.addEventListener("abort", () => this.wake(), { once: true });
  }

  /** Resolves when the dispatcher stopped (its signal aborted) and no try is in flight. */
  async done(): Promise<void> {
    await this.loop;
    await Promise.allSettled([...this.inFlight.values()]);
    this.notifiers.stop();
  }

  publish(notice: AppNotice): void {
    if (this.options.signal.aborted) return;
    let notification: Notification | undefined;
    try {
      notification = notificationOf(notice, { dashboardUrl: this.options.dashboardUrl });
    } catch (err) {
      this.options.log.warn({ error: errorMessage(err) }, "could not make a notification of an Event");
      return;
    }
    if (!notification) return;
    this.inbox.push(notification);
    if (this.inbox.length > MAX_INBOX) {
      const lost = this.inbox.splice(0, this.inbox.length - MAX_INBOX);
      this.options.log.warn({ lost: lost.length }, "notifications dropped: their delivery state cannot be written");
    }
    this.wake();
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  private async run(): Promise<void> {
    const { signal, log } = this.options;
    while (!signal.aborted) {
      try {
        if (!this.loaded || this.now() - this.lastLoad >= RELOAD_EVERY_MS) await this.reload();
        await this.flushInbox();
        await this.sweepClaims();
        this.startDue();
      } catch (err) {
        if (signal.aborted) break;
        log.warn({ error: errorMessage(err) }, "notifications: could not read or write their delivery state");
      }
      await this.sleep(this.nextWakeMs());
    }
  }

  private nextWakeMs(): number {
    const now = this.now();
    let ms = this.loaded ? RELOAD_EVERY_MS - (now - this.lastLoad) : 2_000;
    if (this.inbox.length > 0) ms = Math.min(ms, 1_000); // a write failed: try again soon
    // A try under way ends with a wake; until then its delivery is not waited for (nor spun on).
    const due = nextDueAt(this.store.current(), (key) => this.inFlight.has(key));
    if (due !== undefined && this.inFlight.size < this.concurrency) ms = Math.min(ms, due - now);
    for (const d of this.store.current().deliveries)
      if (d.claim && !this.inFlight.has(d.key)) ms = Math.min(ms, d.claim.at + this.claimTtlMs() - now + 1);
    return Math.max(0, ms);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.options.signal.aborted) return resolve();
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async reload(): Promise<void> {
    await this.store.mutate<never>(() => undefined); // after the writes queued before it
    await this.store.load();
    this.loaded = true;
    this.lastLoad = this.now();
  }

  private claimTtlMs(): number {
    return this.timeoutMs + CLAIM_MARGIN_MS;
  }

  private notifierList(): Notifier[] {
    return this.notifiers.list() as unknown as Notifier[];
  }

  private notifierNamed(name: string): Notifier | undefined {
    return this.notifierList().find((n) => n.metadata.name === name);
  }

  /** Queues the published notifications for every Notifier that wants them. */
  private async flushInbox(): Promise<void> {
    if (this.inbox.length === 0) return;
    const batch = this.inbox;
    this.inbox = [];
    const now = this.now();
    const incoming: Delivery[] = [];
    for (const notification of batch)
      for (const notifier of this.notifierList()) {
        if (!notifier.spec || !notifierWants(notifier.spec, notification)) continue;
        incoming.push({
          key: deliveryKey(notification.id, notifier.metadata.name),
          notifier: notifier.metadata.name,
          notification,
          attempts: 0,
          notBefore: now,
          enqueuedAt: now,
        });
      }
    if (incoming.length === 0) return;
    try {
      const dropped = await this.store.mutate((state) => {
        const r = enqueue(state, incoming);
        return r.added.length === 0 && r.dropped.length === 0 ? undefined : { state: r.state, result: r.dropped };
      });
      for (const d of dropped ?? [])
        this.options.log.warn(
          { notifier: d.notifier, event: d.notification.event, id: d.notification.id },
          "notification dropped: too many deliveries are waiting",
        );
    } catch (err) {
      this.inbox = [...batch, ...this.inbox]; // not queued: tried again
      throw err;
    }
  }

  /** Claims nobody finished in time were cut short (their agent stopped): not sent again, said so. */
  private async sweepClaims(): Promise<void> {
    const stale = staleClaims(this.store.current(), this.now(), this.claimTtlMs()).filter(
      (d) => !this.inFlight.has(d.key),
    );
    for (const d of stale) {
      const at = d.claim?.at;
      const swept = await this.store.mutate((state) => {
        const live = state.deliveries.find((x) => x.key === d.key);
        if (!live?.claim || live.claim.at !== at) return undefined;
        return { state: finish(state, d.key, this.now()), result: live };
      });
      if (swept)
        this.ended(swept, {
          result: "Interrupted",
          message: "the agent stopped while sending it; not sent again, as it may have arrived",
        });
    }
  }

  private startDue(): void {
    for (const d of dueDeliveries(this.store.current(), this.now())) {
      if (this.inFlight.size >= this.concurrency) return;
      if (this.inFlight.has(d.key)) continue;
      const attempt = this.attempt(d)
        .catch((err: unknown) => {
          if (!this.options.signal.aborted)
            this.options.log.warn(
              { notifier: d.notifier, id: d.notification.id, error: errorMessage(err) },
              "notification delivery failed to record its state",
            );
        })
        .finally(() => {
          this.inFlight.delete(d.key);
          this.wake();
        });
      this.inFlight.set(d.key, attempt);
    }
  }

  /** One try of one delivery: its request built, claimed, sent, and its outcome recorded. */
  private async attempt(d: Delivery): Promise<void> {
    const notifier = this.notifierNamed(d.notifier);
    if (!notifier || notifier.spec?.suspend) {
      await this.store.mutate((s) => ({ state: finish(s, d.key, this.now()), result: true }));
      this.options.log.info(
        { notifier: d.notifier, id: d.notification.id, event: d.notification.event },
        notifier
          ? "notification not delivered: the Notifier is suspended"
          : "notification not delivered: the Notifier is gone",
      );
      return;
    }
    let secret: string | undefined;
    try {
      secret = await this.secretOf(notifier);
    } catch (err) {
      if (!(err instanceof SecretProblem)) {
        await this.postpone(d, SECRET_RETRY_MS, `could not read the Secret: ${errorMessage(err)}`);
        return;
      }
      await this.giveUp(d, notifier, err.message, { reason: "SecretNotFound", message: err.message });
      return;
    }
    const built = buildRequest(notifier.spec, d.notification, secret);
    if ("skip" in built) {
      await this.store.mutate((s) => ({ state: finish(s, d.key, this.now()), result: true }));
      this.options.log.debug?.({ notifier: d.notifier, id: d.notification.id, why: built.skip }, "nothing to notify");
      return;
    }
    if ("invalid" in built) {
      await this.giveUp(d, notifier, built.invalid, { reason: "InvalidSpec", message: built.invalid });
      return;
    }
    // Claimed (and written) before it is sent: a stop from here on never sends it twice.
    const claimed = await this.store.mutate((s) => {
      const next = claim(s, d.key, this.instance, this.now());
      return next ? { state: next, result: true } : undefined;
    });
    if (!claimed) {
      await this.reload(); // another replica has it, is done with it, or holds it back: see what it wrote
      return;
    }
    const attempts = d.attempts + 1;
    const outcome = await send(built.request, {
      timeoutMs: this.timeoutMs,
      signal: this.options.signal,
      secrets: secret ? [secret] : [],
    });
    if (this.options.signal.aborted) return; // the claim stays: cut short, never sent again
    const delivered = { ...d, attempts };
    if (outcome.type === "delivered") {
      await this.store.mutate((s) => ({ state: finish(s, d.key, this.now()), result: true }));
      this.ended(delivered, { result: "Delivered" }, notifier);
      return;
    }
    const delayMs = outcome.type === "refused" ? retryDelayMs(attempts, this.retry) : undefined;
    if (delayMs === undefined) {
      const message =
        outcome.type === "unknown" ? `${outcome.message}; not sent again, as it may have arrived` : outcome.message;
      await this.store.mutate((s) => ({ state: finish(s, d.key, this.now()), result: true }));
      this.ended(delivered, { result: "Failed", message }, notifier);
      return;
    }
    await this.store.mutate((s) => ({
      state: release(s, d.key, { now: this.now(), delayMs, error: outcome.message }),
      result: true,
    }));
    this.options.log.info(
      {
        notifier: d.notifier,
        event: d.notification.event,
        app: appName(d),
        id: d.notification.id,
        attempts,
        retryInMs: delayMs,
        error: outcome.message,
      },
      "notification refused; retrying",
    );
  }

  /** A delivery waits without a try counted (the Secret could not be read for a passing reason). */
  private async postpone(d: Delivery, delayMs: number, error: string): Promise<void> {
    await this.store.mutate((s) => {
      if (!s.deliveries.some((x) => x.key === d.key && !x.claim)) return undefined;
      return {
        state: {
          ...s,
          deliveries: s.deliveries.map((x) =>
            x.key === d.key ? { ...x, notBefore: this.now() + delayMs, lastError: error } : x,
          ),
        },
        result: true,
      };
    });
  }

  /** A delivery that cannot be made through this Notifier as it is: given up at once, and said so. */
  private async giveUp(d: Delivery, notifier: Notifier, message: string, problem: NotifierProblem): Promise<void> {
    await this.store.mutate((s) => ({ state: finish(s, d.key, this.now()), result: true }));
    this.ended(d, { result: "Failed", message }, notifier);
    this.writeStatus(notifier, (status) => statusForSpec(status, undefined, problem, this.iso()));
  }

  /** The value of the Notifier's Secret key; undefined when it names none. */
  private async secretOf(notifier: Notifier): Promise<string | undefined> {
    const ref = notifier.spec.secretRef;
    if (!ref) return undefined;
    const secret = await this.options.client.get(
      { apiVersion: "v1", kind: "Secret", namespace: this.options.namespace, name: ref.name },
      this.options.signal,
    );
    if (!secret) throw new SecretProblem(`the Secret ${ref.name} does not exist in ${this.options.namespace}`);
    const key = secretKeyOf(notifier.spec);
    const value = decoded((secret.data ?? {}) as Record<string, string>)[key];
    if (value === undefined || value === "") throw new SecretProblem(`the Secret ${ref.name} has no key ${key}`);
    return value;
  }

  private iso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** A delivery ended: the log, the metric and the Notifier's status say how. */
  private ended(
    d: Delivery,
    how: { result: NotifierDelivery["result"]; message?: string },
    notifier: Notifier | undefined = this.notifierNamed(d.notifier),
  ): void {
    const record: NotifierDelivery = {
      id: d.notification.id,
      event: d.notification.event,
      application: appName(d),
      time: this.iso(),
      result: how.result,
      attempts: d.attempts,
      ...(how.message ? { message: how.message } : {}),
    };
    const fields = { notifier: d.notifier, event: record.event, app: record.application, id: record.id };
    if (how.result === "Delivered")
      this.options.log.info({ ...fields, attempts: d.attempts }, "notification delivered");
    else
      this.options.log.warn(
        { ...fields, attempts: d.attempts, result: how.result, error: how.message },
        how.result === "Failed" ? "notification not delivered; given up" : "notification cut short; not sent again",
      );
    const result = ({ Delivered: "delivered", Failed: "failed", Interrupted: "interrupted" } as const)[how.result];
    try {
      this.options.observe?.({ notifier: d.notifier, type: notifier?.spec?.type ?? "unknown", result });
    } catch (err) {
      this.options.log.warn({ error: errorMessage(err) }, "a notification observer failed");
    }
    if (notifier) this.writeStatus(notifier, (status) => statusAfterDelivery(status, record));
  }

  /** A Notifier came or changed: its spec (and Secret) checked, and Ready says so. */
  private notifierChanged(e: CacheEvent): void {
    if (e.type === "DELETED") {
      this.statuses.delete(e.object.metadata.name ?? "");
      return;
    }
    const notifier = e.object as unknown as Notifier;
    if (e.type === "MODIFIED" && e.previous?.metadata.generation === notifier.metadata.generation) return;
    if (notifier.status?.observedGeneration === notifier.metadata.generation && e.type === "ADDED") return;
    void this.checkSpec(notifier).then(
      (problem) =>
        this.writeStatus(notifier, (status) =>
          statusForSpec(status, notifier.metadata.generation, problem, this.iso()),
        ),
      (err: unknown) =>
        this.options.log.warn(
          { notifier: notifier.metadata.name, error: errorMessage(err) },
          "could not check a Notifier",
        ),
    );
    this.wake();
  }

  private async checkSpec(notifier: Notifier): Promise<NotifierProblem | undefined> {
    const problem = notifier.spec ? notifierSpecProblem(notifier.spec) : "no spec";
    if (problem) return { reason: "InvalidSpec", message: problem };
    try {
      await this.secretOf(notifier);
    } catch (err) {
      if (err instanceof SecretProblem) return { reason: "SecretNotFound", message: err.message };
      throw err;
    }
    return undefined;
  }

  /** Writes the Notifier's status as `change` makes it, one write at a time per Notifier. */
  private writeStatus(notifier: Notifier, change: (status: NotifierStatus | undefined) => NotifierStatus): void {
    const name = notifier.metadata.name;
    const previous = this.statusWrites.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const live = this.notifierNamed(name) ?? notifier;
      const uid = live.metadata.uid ?? "";
      const known = this.statuses.get(name);
      const status = change(known && known.uid === uid ? known.status : live.status);
      this.statuses.set(name, { uid, status });
      try {
        await this.options.client.mergePatchStatus(
          { apiVersion: NOTIFIER_API_VERSION, kind: NOTIFIER_KIND, namespace: this.options.namespace, name },
          { status } as unknown as Record<string, unknown>,
          this.options.signal,
        );
      } catch (err) {
        if (this.options.signal.aborted || apiErrorOf(err)?.isNotFound) return;
        this.options.log.warn({ notifier: name, error: errorMessage(err) }, "could not write a Notifier's status");
      }
    });
    const settled = next.catch(() => undefined);
    this.statusWrites.set(name, settled);
    void settled.then(() => {
      if (this.statusWrites.get(name) === settled) this.statusWrites.delete(name);
    });
  }
}

function appName(d: Delivery): string {
  return `${d.notification.application.namespace}/${d.notification.application.name}`;
}
