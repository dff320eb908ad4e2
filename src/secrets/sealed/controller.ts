// The Sealed Secrets controller: installs the SealedSecret CRD, keeps the sealing keys (created at first
// start, renewed on a period, all of them kept for decryption), serves the newest certificate over HTTP,
// and turns every SealedSecret in the cluster into its Secret, with a `Synced` condition saying how it went.
// Nothing it logs, records or writes into a status carries a value or key material.
//
// Replicas: with a leadership (the agent's Lease), only the leader writes: it makes the first key, renews
// keys, unseals into Secrets and writes statuses and Events. A standby loads the keys and follows the key
// Secrets through its watch, so it serves the same certificate; it writes nothing, and when its turn comes
// it reads the keys again, makes the first one if there is still none, and reconciles every SealedSecret.

import type { KeyObject } from "node:crypto";
import type { KubeObject, ObjectRef } from "../../api/index.js";
import { errorMessage } from "../../api/index.js";
import { apiErrorOf, applyObjects, type CacheEvent, type KubeClient, WatchCache } from "../../cluster/index.js";
import { type CertServer, startCertServer } from "./cert-server.js";
import { sealedSecretCrd } from "./crd.js";
import { SealedSecretsError } from "./errors.js";
import { recordEvent, type SealedSecretEventReason } from "./events.js";
import { createSealingKey, loadSealingKeys } from "./key-store.js";
import { KeyedQueue } from "./keyed-queue.js";
import { LeaderTerms, NotLeaderError, type SealedSecretsLeadership } from "./leadership.js";
import {
  DEFAULT_KEY_RENEW_PERIOD_MS,
  DEFAULT_KEY_SIZE,
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_GROUP,
  SEALED_SECRET_KIND,
  SEALED_SECRET_PLURAL,
  SEALED_SECRETS_ANNOTATIONS,
  SEALING_KEY_LABEL,
  SEALING_KEY_LABEL_VALUE,
  SYNCED_CONDITION,
} from "./names.js";
import { renewalDelay, sleep } from "./renewal.js";
import { type SealingKey, SealingKeyRegistry, sealingKeyFromSecret } from "./sealing-keys.js";
import { mayManage, updatedSecret } from "./secret-sync.js";
import { nextStatus, type SyncOutcome } from "./status.js";
import { parseSealedSecret, type SealedSecret, type SecretObject } from "./types.js";
import { unsealSecret } from "./unseal.js";

/** pino-compatible. Fields are names, fingerprints and error messages; never values. */
export interface SealedSecretsLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface SealedSecretControllerOptions {
  client: KubeClient;
  /** Where the key Secrets live (the controller's own namespace). */
  namespace: string;
  log?: SealedSecretsLogger;
  /** A new key this often; 0 turns renewal off. 30 days by default. */
  keyRenewPeriodMs?: number;
  keySize?: number;
  /** HTTP port for /v1/cert.pem and /healthz (0: the OS picks); no server when undefined. */
  port?: number;
  /** Address to listen on; all interfaces by default. */
  host?: string;
  /**
   * Namespaces whose SealedSecrets this controller unseals; all namespaces when absent (Bitnami's
   * `--all-namespaces=false --additional-namespaces`). Two controllers must never share a namespace.
   */
  watchNamespaces?: readonly string[];
  /** SealedSecrets unsealed at the same time. */
  concurrency?: number;
  /**
   * Run as one of several replicas: only while this one leads does it create and renew keys and write
   * Secrets, statuses and Events. Without it the controller leads alone, from the start.
   */
  leadership?: SealedSecretsLeadership;
  now?: () => Date;
}

const silent: SealedSecretsLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf("/");
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Retry delay for the first key when creating it failed: 1 s doubling to a minute. */
const firstKeyRetryMs = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt);

/** A failure that must reach the status but is not worth retrying (the input has to change first). */
class TerminalSyncError extends Error {
  override readonly name = "TerminalSyncError";
  constructor(
    readonly reason: SealedSecretEventReason,
    message: string,
  ) {
    super(message);
  }
}

function hasSyncedFalse(obj: KubeObject): boolean {
  const conditions = (obj.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions;
  return conditions?.some((c) => c.type === SYNCED_CONDITION && c.status === "False") ?? false;
}

/** What of a SealedSecret's change calls for an unseal: not the status the controller writes itself. */
function needsReconcile(e: CacheEvent): boolean {
  if (e.type === "DELETED") return false;
  if (e.type === "ADDED" || !e.previous) return true;
  const a = e.previous.metadata;
  const b = e.object.metadata;
  return (
    a.generation !== b.generation ||
    a.uid !== b.uid ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {})
  );
}

/** A Secret the controller made or may manage: its deletion brings it back. */
function isSealedSecretChild(obj: KubeObject): boolean {
  return (
    (obj.metadata.ownerReferences ?? []).some(
      (r) => r.kind === SEALED_SECRET_KIND && r.apiVersion.startsWith(`${SEALED_SECRET_GROUP}/`),
    ) || obj.metadata.annotations?.[SEALED_SECRETS_ANNOTATIONS.managed] === "true"
  );
}

export class SealedSecretController {
  private readonly client: KubeClient;
  private readonly log: SealedSecretsLogger;
  private readonly now: () => Date;
  private readonly registry = new SealingKeyRegistry();
  private readonly queue: KeyedQueue;
  /** One cache per watched namespace, or one for the whole cluster. */
  private readonly sealedSecrets: WatchCache[];
  private readonly keySecrets: WatchCache;
  private readonly childSecrets: WatchCache[];
  private server: CertServer | undefined;
  private signal: AbortSignal = AbortSignal.abort();
  private started = false;
  /** While this replica leads: the term's signal (it also aborts when the controller stops). */
  private readonly terms = new LeaderTerms();
  /** Key creations, one at a time: a renewal and a first key due at the same moment make one key. */
  private keyWork: Promise<unknown> = Promise.resolve();
  /** What the current term does when it begins (first key, reconcile everything). */
  private termStart: Promise<void> = Promise.resolve();
  /** Resolves when the controller has stopped (its signal aborted and the HTTP server closed). */
  done: Promise<void> = Promise.resolve();

  constructor(private readonly options: SealedSecretControllerOptions) {
    this.client = options.client;
    this.log = options.log ?? silent;
    this.now = options.now ?? (() => new Date());
    this.queue = new KeyedQueue((key) => this.reconcile(key), {
      concurrency: options.concurrency ?? 4,
      maxRetries: 5,
      onFailure: (key, error, willRetry) =>
        this.log.warn({ sealedSecret: key, error: errorMessage(error), willRetry }, "SealedSecret reconcile failed"),
    });
    const scopes = options.watchNamespaces?.length ? [...new Set(options.watchNamespaces)] : [undefined];
    this.sealedSecrets = scopes.map(
      (namespace) =>
        new WatchCache(this.client, {
          namespace,
          accept: () => true,
          onEvent: (e) => {
            if (needsReconcile(e)) this.enqueue(e.object);
          },
          onError: (err) => this.log.warn({ error: err.message }, "SealedSecret watch interrupted; resuming"),
        }),
    );
    this.keySecrets = new WatchCache(this.client, {
      namespace: options.namespace,
      labelSelector: `${SEALING_KEY_LABEL}=${SEALING_KEY_LABEL_VALUE}`,
      accept: () => true,
      onEvent: (e) => this.onKeySecret(e),
      onError: (err) => this.log.warn({ error: err.message }, "key Secret watch interrupted; resuming"),
    });
    this.childSecrets = scopes.map(
      (namespace) =>
        new WatchCache(this.client, {
          namespace,
          accept: isSealedSecretChild,
          onEvent: (e) => {
            if (e.type === "DELETED")
              this.queue.add(keyOf(e.object.metadata.namespace ?? "", e.object.metadata.name ?? ""));
          },
          onError: (err) => this.log.warn({ error: err.message }, "Secret watch interrupted; resuming"),
        }),
    );
  }

  /**
   * Installs the CRD, loads (or makes) the keys, starts the HTTP server and the watches; resolves when all
   * SealedSecrets present have been queued. Runs until the signal aborts. With a leadership, a standby
   * with no key yet serves no certificate until the leader's key Secret reaches its watch, and a leader
   * makes the first key in the background.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error("the SealedSecret controller was started already");
    this.started = true;
    this.signal = signal;
    const { namespace, leadership } = this.options;
    // Every replica installs the CRD when it is missing (an idempotent apply): a standby watches SealedSecrets too.
    await this.ensureCrd(signal);
    await this.loadKeys(signal);
    if (!leadership) {
      if (this.registry.size === 0) await this.newKey("first start", signal);
      this.terms.begin(signal); // leads alone, from the start
    }
    if (leadership && this.registry.size === 0)
      this.log.info({ namespace }, "no sealing key yet: the leader makes it; serving none until then");
    if (this.options.port !== undefined) {
      // Every replica serves: /v1/cert.pem, /v1/verify and /v1/rotate only read the loaded keys (/v1/rotate
      // re-seals the SealedSecret it is given with the newest key and returns it; it writes nothing to the
      // cluster and makes no key), so a standby answers them as the leader would.
      this.server = await startCertServer({
        keys: {
          certificatePem: () => this.registry.latest()?.certificatePem,
          sealingPublicKey: (): KeyObject | undefined => this.registry.latest()?.publicKey,
          privateKeys: () => this.registry.privateKeys(),
        },
        port: this.options.port,
        host: this.options.host,
        signal,
      });
      this.log.info({ port: this.server.port }, "serving the sealing certificate at /v1/cert.pem");
    }
    await this.keySecrets.watchKind("v1", "Secret", signal);
    for (const cache of this.childSecrets) await cache.watchKind("v1", "Secret", signal);
    for (const cache of this.sealedSecrets)
      await cache.watchKind(SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, signal);
    // Subscribed once the caches are filled, so a term's start reconciles every SealedSecret in them.
    const unsubscribe = leadership?.onLeading((term) => this.startTerm(AbortSignal.any([signal, term])));
    const renewal = this.renewLoop(signal);
    this.done = (async () => {
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      unsubscribe?.();
      this.queue.stop();
      for (const cache of [...this.sealedSecrets, this.keySecrets, ...this.childSecrets]) cache.stop();
      await renewal;
      await this.termStart;
      await this.server?.closed;
    })();
    this.log.info(
      { namespace, keys: this.registry.size, sealing: this.registry.latest()?.fingerprint },
      "SealedSecret controller started",
    );
  }

  /** The port the HTTP server listens on, when it runs. */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** PEM of the certificate new values are sealed with. */
  certificatePem(): string | undefined {
    return this.registry.latest()?.certificatePem;
  }

  /** Public facts about the loaded keys, newest first. */
  keys(): Array<{ secretName: string; fingerprint: string; notBefore: Date }> {
    return this.registry
      .all()
      .map(({ secretName, fingerprint, notBefore }) => ({ secretName, fingerprint, notBefore }));
  }

  /**
   * Makes a new sealing key now (what SIGUSR1 does to Bitnami's controller); older keys keep decrypting.
   * Only the leader makes keys: a standby refuses with a NotLeaderError.
   */
  async rotateKey(signal?: AbortSignal): Promise<{ secretName: string; fingerprint: string }> {
    const term = this.terms.current();
    if (!term) throw new NotLeaderError("this replica does not lead: only the leader makes sealing keys");
    const key = await this.oneKeyAtATime(() =>
      this.newKey("requested", signal ? AbortSignal.any([signal, term]) : term),
    );
    return { secretName: key.secretName, fingerprint: key.fingerprint };
  }

  /** Whether this replica writes now (always, without a leadership). */
  isLeading(): boolean {
    return this.terms.current() !== undefined;
  }

  /** Resolves when no SealedSecret is queued or being unsealed. */
  async idle(): Promise<void> {
    await this.queue.idle();
  }

  private enqueue(obj: KubeObject): void {
    this.queue.add(keyOf(obj.metadata.namespace ?? "", obj.metadata.name ?? ""));
  }

  private async ensureCrd(signal: AbortSignal): Promise<void> {
    if (await this.client.discovery.lookup(SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, signal)) return;
    const [result] = await applyObjects(this.client, [sealedSecretCrd()], { signal });
    if (result?.error) throw result.error;
    for (let i = 0; i < 300; i++) {
      if (await this.client.discovery.lookup(SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, signal)) return;
      if (!(await sleep(200, signal))) signal.throwIfAborted();
    }
    throw new Error(
      `the ${SEALED_SECRET_PLURAL}.${SEALED_SECRET_GROUP} CRD was not served within 60s of installing it`,
    );
  }

  /** Reads the key Secrets from the API (not the watch) and registers them. */
  private async loadKeys(signal: AbortSignal): Promise<void> {
    const { keys, invalid } = await loadSealingKeys(this.client, this.options.namespace, signal);
    for (const err of invalid) this.log.warn({ error: err.message }, "ignoring an unusable key Secret");
    for (const key of keys) this.registry.set(key);
  }

  private oneKeyAtATime<T>(work: () => Promise<T>): Promise<T> {
    const next = this.keyWork.then(work, work);
    this.keyWork = next.catch(() => undefined);
    return next;
  }

  /** A term began (leadership's listener): remembered at once, so the queue writes from now on. */
  private startTerm(term: AbortSignal): void {
    this.terms.begin(term);
    const previous = this.termStart;
    this.termStart = previous.then(() => this.lead(term));
  }

  /**
   * The start of a term: the first key if there is none yet, then every SealedSecret reconciled (what
   * changed while no replica led, or while the last leader was going). Never rejects.
   */
  private async lead(term: AbortSignal): Promise<void> {
    if (term.aborted) return;
    term.addEventListener(
      "abort",
      () => {
        if (!this.signal.aborted) this.log.warn({}, "no longer leading: stopped making keys and unsealing");
      },
      { once: true },
    );
    for (let attempt = 0; !term.aborted; attempt++) {
      try {
        await this.oneKeyAtATime(async () => {
          // Read again, not from the watch: the last leader may have made a key the watch has not delivered.
          await this.loadKeys(term);
          if (this.registry.size === 0) await this.newKey("first start", term);
        });
        break;
      } catch (err) {
        if (term.aborted) return;
        this.log.error({ error: errorMessage(err) }, "could not load or create the first sealing key; retrying");
        if (!(await sleep(firstKeyRetryMs(attempt), term))) return;
      }
    }
    if (term.aborted) return;
    let queued = 0;
    for (const cache of this.sealedSecrets)
      for (const obj of cache.list()) {
        this.enqueue(obj);
        queued++;
      }
    this.log.info(
      { sealedSecrets: queued, sealing: this.registry.latest()?.fingerprint },
      "leading: unsealing every SealedSecret",
    );
  }

  private async newKey(why: string, signal: AbortSignal): Promise<SealingKey> {
    // The newest NotBefore picks the sealing key, and certificates count whole seconds: a key made within
    // the same second as the latest one starts a second after it, so it is the newest without a tie.
    const latest = this.registry.latest()?.notBefore.getTime() ?? 0;
    const key = await createSealingKey(this.client, this.options.namespace, {
      keySize: this.options.keySize ?? DEFAULT_KEY_SIZE,
      now: new Date(Math.max(this.now().getTime(), latest + 1000)),
      signal,
    });
    this.registry.set(key);
    this.log.info({ secret: key.secretName, fingerprint: key.fingerprint, why }, "created a new sealing key");
    return key;
  }

  /**
   * A new key once the newest is a period old. Only while leading: a standby waits for its term, and a
   * new leader goes by the keys as they are then (a key overdue while nobody led is made at once).
   */
  private async renewLoop(signal: AbortSignal): Promise<void> {
    const period = this.options.keyRenewPeriodMs ?? DEFAULT_KEY_RENEW_PERIOD_MS;
    if (period <= 0) return;
    const due = () => renewalDelay(this.registry.latest()?.notBefore, this.now(), period);
    while (!signal.aborted) {
      const term = await this.terms.next(signal);
      if (!term) return;
      if (!(await sleep(Math.max(due(), 1000), term))) continue; // the term (or the controller) ended
      if (due() > 0) continue;
      try {
        await this.oneKeyAtATime(async () => {
          // Only with a leadership can another replica have renewed: read the keys again before deciding.
          if (this.options.leadership) await this.loadKeys(term);
          if (due() === 0) await this.newKey("renewal period elapsed", term);
        });
      } catch (err) {
        if (term.aborted) continue;
        this.log.error({ error: (err as Error).message }, "could not create a new sealing key; retrying in a minute");
        await sleep(60_000, term);
      }
    }
  }

  private onKeySecret(e: CacheEvent): void {
    const name = e.object.metadata.name ?? "";
    if (e.type === "DELETED") {
      if (this.registry.delete(name)) this.log.warn({ secret: name }, "a sealing key Secret was deleted");
      return;
    }
    let key: SealingKey;
    try {
      key = sealingKeyFromSecret(e.object);
    } catch (err) {
      this.log.warn({ error: (err as Error).message }, "ignoring an unusable key Secret");
      return;
    }
    if (!this.registry.set(key)) return;
    this.log.info({ secret: name, fingerprint: key.fingerprint }, "registered a sealing key");
    // SealedSecrets that failed may have been sealed with this key.
    for (const cache of this.sealedSecrets) for (const obj of cache.list(hasSyncedFalse)) this.enqueue(obj);
  }

  private async reconcile(key: string): Promise<void> {
    // A standby writes nothing: the leader unseals, and this replica reconciles everything when it leads.
    // The term's signal ends writes in flight when leadership is lost.
    const signal = this.terms.current();
    if (!signal) return;
    const { namespace, name } = splitKey(key);
    const ref: ObjectRef = { group: SEALED_SECRET_GROUP, kind: SEALED_SECRET_KIND, namespace, name };
    const obj = this.sealedSecrets.map((cache) => cache.get(ref)).find((o) => o !== undefined);
    if (!obj || obj.metadata.deletionTimestamp) return;
    let sealed: SealedSecret | undefined;
    try {
      sealed = parseSealedSecret(obj);
      const written = await this.writeSecret(sealed, signal);
      await this.writeStatus(sealed, { synced: true }, signal);
      if (written) {
        this.log.info({ sealedSecret: key, secret: written }, "unsealed");
        await this.event(sealed, "Normal", "Unsealed", "SealedSecret unsealed successfully", signal);
      }
    } catch (err) {
      if (signal.aborted) return;
      const target = sealed ?? obj;
      if (err instanceof SealedSecretsError || err instanceof TerminalSyncError) {
        const reason = err instanceof TerminalSyncError ? err.reason : "ErrUnsealFailed";
        const message = reason === "ErrUnsealFailed" ? `Failed to unseal: ${err.message}` : err.message;
        this.log.warn({ sealedSecret: key, reason, error: message }, "SealedSecret not synced");
        await this.writeStatus(target, { synced: false, reason, message }, signal);
        await this.event(target, "Warning", reason, message, signal);
        return;
      }
      const message = errorMessage(err);
      await this.writeStatus(target, { synced: false, reason: "ErrUpdateFailed", message }, signal).catch(
        () => undefined,
      );
      await this.event(target, "Warning", "ErrUpdateFailed", message, signal);
      throw err;
    }
  }

  /** Creates or updates the Secret; returns its name when it wrote, undefined when it was up to date. */
  private async writeSecret(sealed: SealedSecret, signal: AbortSignal): Promise<string | undefined> {
    const desired = unsealSecret(sealed, this.registry.privateKeys());
    const namespace = sealed.metadata.namespace ?? "";
    const name = sealed.metadata.name ?? "";
    const info = await this.client.discovery.lookup("v1", "Secret", signal);
    if (!info) throw new Error("the API server does not serve v1 Secrets");
    const existing = (await this.client.get({ apiVersion: "v1", kind: "Secret", namespace, name }, signal)) as
      | SecretObject
      | undefined;
    try {
      if (!existing) {
        await this.client.create(desired, { signal });
        return `${namespace}/${name}`;
      }
      if (!mayManage(existing, sealed))
        throw new TerminalSyncError(
          "ErrUpdateFailed",
          `Resource "${name}" already exists and is not managed by SealedSecret`,
        );
      const update = updatedSecret(existing, desired);
      if (!update) return undefined;
      await this.client.update(update, signal);
      return `${namespace}/${name}`;
    } catch (err) {
      // The server rejected the Secret itself (invalid, immutable): retrying the same object cannot help.
      const refused = apiErrorOf(err);
      if (refused && (refused.code === 422 || refused.code === 400 || refused.code === 403))
        throw new TerminalSyncError("ErrUpdateFailed", `cannot write Secret ${namespace}/${name}: ${refused.message}`);
      throw err;
    }
  }

  private async writeStatus(sealed: KubeObject, outcome: SyncOutcome, signal: AbortSignal): Promise<void> {
    const status = nextStatus(sealed.status as SealedSecret["status"], sealed.metadata.generation, outcome, this.now());
    if (!status) return;
    const info = await this.client.discovery.lookup(SEALED_SECRET_API_VERSION, SEALED_SECRET_KIND, signal);
    if (!info) return;
    try {
      await this.client.mergePatchStatus(
        {
          apiVersion: SEALED_SECRET_API_VERSION,
          kind: SEALED_SECRET_KIND,
          namespace: sealed.metadata.namespace,
          name: sealed.metadata.name ?? "",
        },
        { status },
        signal,
      );
    } catch (err) {
      if (apiErrorOf(err)?.isNotFound) return;
      throw err;
    }
  }

  private async event(
    obj: KubeObject,
    type: "Normal" | "Warning",
    reason: SealedSecretEventReason,
    message: string,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await recordEvent(this.client, obj, { type, reason, message }, signal);
    } catch (err) {
      if (!signal.aborted) this.log.warn({ error: (err as Error).message }, "could not record an event");
    }
  }
}
