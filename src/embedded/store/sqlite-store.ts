// The embedded API server's storage: one SQLite table of objects and an append-only event log for
// watches, a global monotonic revision (the resourceVersion), transactional writes in WAL mode. Readers
// and watchers learn about committed changes through listeners, in revision order.

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { KubeObject } from "../../api/index.js";
import type { ObjectKey } from "./object-key.js";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change {
  type: ChangeType;
  key: ObjectKey;
  /** The object as stored by this change (for DELETED: its last state, with this change's revision). */
  object: KubeObject;
  revision: number;
  /** The object before a MODIFIED change (live notifications only; the event log does not keep it). */
  previous?: KubeObject;
}

export type ChangeListener = (change: Change) => void;

export interface StoreOptions {
  /** Directory of the database file (`state.db`); created when missing. ":memory:" for a throwaway store. */
  dataDir: string;
  /** How many events the log keeps for watches; older revisions answer 410 Gone. */
  eventWindow?: number;
}

/** Writes inside one transaction. Every write takes the next revision and stamps it as resourceVersion. */
export interface StoreWriter {
  put(key: ObjectKey, object: KubeObject, type: "ADDED" | "MODIFIED"): KubeObject;
  remove(key: ObjectKey, object: KubeObject): KubeObject;
}

export interface ListQuery {
  group: string;
  resource: string;
  /** Undefined: all namespaces. */
  namespace?: string;
  /** Start after this (namespace, name): list pagination. */
  after?: { namespace: string; name: string };
  limit?: number;
}

/** etcd's default --max-request-bytes (1.5 MiB): the largest object the store keeps, as etcd would. */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

export class ObjectTooLargeError extends Error {
  override readonly name = "ObjectTooLargeError";
  constructor(readonly bytes: number) {
    super(`an object of ${bytes} bytes is over the store's limit of ${MAX_OBJECT_BYTES}`);
  }
}

/** The UTF-8 size of json when it may be over the limit (a code unit is 1 to 3 bytes), else 0. */
function oversize(json: string): number {
  if (json.length * 3 <= MAX_OBJECT_BYTES) return 0;
  const bytes = Buffer.byteLength(json);
  return bytes > MAX_OBJECT_BYTES ? bytes : 0;
}

export class ExpiredRevisionError extends Error {
  override readonly name = "ExpiredRevisionError";
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

interface ObjectRow {
  json: string;
}

interface EventRow {
  rv: number;
  grp: string;
  resource: string;
  namespace: string;
  name: string;
  type: ChangeType;
  json: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
  grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, rv INTEGER NOT NULL, owners TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (grp, resource, namespace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_uid ON objects (uid);
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY, grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL,
  name TEXT NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL
);
`;

function ownersOf(object: KubeObject): string {
  const refs = object.metadata.ownerReferences ?? [];
  return refs.length === 0 ? "" : `,${refs.map((r) => r.uid).join(",")},`;
}

export class SqliteStore {
  private readonly db: Database.Database;
  private readonly listeners = new Set<ChangeListener>();
  private readonly eventWindow: number;
  private rev: number;
  private compacted: number;
  private pending: Change[] = [];
  private outbox: Change[] = [];
  private delivering = false;
  private inTransaction = false;
  /** Prepared once per SQL text: preparing on every read was about a tenth of the simulator's CPU. */
  private readonly statements = new Map<string, Database.Statement>();

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private constructor(db: Database.Database, eventWindow: number) {
    this.db = db;
    this.eventWindow = eventWindow;
    this.rev = Number(this.meta("revision") ?? "0");
    this.compacted = Number(this.meta("compacted") ?? "0");
  }

  static open(options: StoreOptions): SqliteStore {
    let file = ":memory:";
    if (options.dataDir !== ":memory:") {
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      file = join(options.dataDir, "state.db");
      // SQLite gives the -wal and -shm files the database file's mode: owner-only, since it holds every Secret.
      closeSync(openSync(file, "a", 0o600));
      for (const suffix of ["", "-wal", "-shm"]) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
    }
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    return new SqliteStore(db, options.eventWindow ?? 10_000);
  }

  close(): void {
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  /** The revision of the last committed write. */
  revision(): number {
    return this.rev;
  }

  /** Revisions at or below this are no longer in the event log. */
  compactedRevision(): number {
    return this.compacted;
  }

  private meta(key: string): string | undefined {
    const row = this.statement("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  private setMeta(key: string, value: string): void {
    this.statement(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  get(key: ObjectKey): KubeObject | undefined {
    const row = this.statement(
      "SELECT json FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?",
    ).get(key.group, key.resource, key.namespace, key.name) as ObjectRow | undefined;
    return row ? (JSON.parse(row.json) as KubeObject) : undefined;
  }

  /** Objects of a resource in (namespace, name) order. */
  list(query: ListQuery): KubeObject[] {
    const where = ["grp = ?", "resource = ?"];
    const args: Array<string | number> = [query.group, query.resource];
    if (query.namespace !== undefined) {
      where.push("namespace = ?");
      args.push(query.namespace);
    }
    if (query.after) {
      where.push("(namespace > ? OR (namespace = ? AND name > ?))");
      args.push(query.after.namespace, query.after.namespace, query.after.name);
    }
    // A bound LIMIT (-1: none) keeps the SQL text, and so the prepared statement, the same for every limit.
    args.push(query.limit !== undefined ? Math.max(0, Math.floor(query.limit)) : -1);
    const rows = this.statement(
      `SELECT json FROM objects WHERE ${where.join(" AND ")} ORDER BY namespace, name LIMIT ?`,
    ).all(...args) as ObjectRow[];
    return rows.map((r) => JSON.parse(r.json) as KubeObject);
  }

  /** Every object in a namespace, of any resource (namespace deletion). */
  listNamespace(namespace: string): Array<{ key: ObjectKey; object: KubeObject }> {
    const rows = this.statement("SELECT grp, resource, namespace, name, json FROM objects WHERE namespace = ?").all(
      namespace,
    ) as Array<Omit<EventRow, "rv" | "type">>;
    return rows.map((r) => ({
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: JSON.parse(r.json) as KubeObject,
    }));
  }

  /** Objects whose ownerReferences name this uid (garbage collection). */
  dependentsOf(uid: string): Array<{ key: ObjectKey; object: KubeObject }> {
    const rows = this.statement("SELECT grp, resource, namespace, name, json FROM objects WHERE owners LIKE ?").all(
      `%,${uid},%`,
    ) as Array<Omit<EventRow, "rv" | "type">>;
    return rows.map((r) => ({
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: JSON.parse(r.json) as KubeObject,
    }));
  }

  /** The object with this uid, if any. */
  byUid(uid: string): { key: ObjectKey; object: KubeObject } | undefined {
    const r = this.statement("SELECT grp, resource, namespace, name, json FROM objects WHERE uid = ?").get(uid) as
      | Omit<EventRow, "rv" | "type">
      | undefined;
    return r
      ? {
          key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
          object: JSON.parse(r.json) as KubeObject,
        }
      : undefined;
  }

  /** Whether an object with this uid exists. */
  hasUid(uid: string): boolean {
    return this.statement("SELECT 1 FROM objects WHERE uid = ?").get(uid) !== undefined;
  }

  countObjects(): number {
    return (this.statement("SELECT COUNT(*) AS n FROM objects").get() as { n: number }).n;
  }

  /**
   * Runs `fn` in one transaction: all its writes commit together or none do. Listeners hear of the
   * changes after the commit, in revision order. Nested calls join the outer transaction.
   */
  transaction<T>(fn: (writer: StoreWriter) => T): T {
    if (this.inTransaction) return fn(this.writer());
    const startRev = this.rev;
    this.inTransaction = true;
    let result: T;
    try {
      result = this.db.transaction(() => {
        const out = fn(this.writer());
        if (this.rev !== startRev) this.setMeta("revision", String(this.rev));
        return out;
      })();
    } catch (err) {
      this.rev = startRev;
      this.pending = [];
      throw err;
    } finally {
      this.inTransaction = false;
    }
    this.outbox.push(...this.pending);
    this.pending = [];
    if (this.rev - this.compacted > this.eventWindow * 1.1) this.compact(this.rev - this.eventWindow);
    this.deliver();
    return result;
  }

  /**
   * Tells listeners of committed changes, strictly in revision order: a listener that writes (an
   * in-process controller) has its changes delivered after the ones already on their way.
   */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let change = this.outbox.shift(); change; change = this.outbox.shift()) {
        for (const listener of this.listeners) {
          try {
            listener(change);
          } catch {
            // A listener's failure is its own; the write has committed.
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private writer(): StoreWriter {
    return {
      put: (key, object, type) => this.write(key, object, type),
      remove: (key, object) => this.write(key, object, "DELETED"),
    };
  }

  private write(key: ObjectKey, object: KubeObject, type: ChangeType): KubeObject {
    const rev = ++this.rev;
    const stored: KubeObject = { ...object, metadata: { ...object.metadata, resourceVersion: String(rev) } };
    const json = JSON.stringify(stored);
    const bytes = type === "DELETED" ? 0 : oversize(json);
    if (bytes > 0) throw new ObjectTooLargeError(bytes);
    const previous = type === "MODIFIED" ? this.get(key) : undefined;
    if (type === "DELETED") {
      this.statement("DELETE FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?").run(
        key.group,
        key.resource,
        key.namespace,
        key.name,
      );
    } else {
      this.statement(
        `INSERT INTO objects (grp, resource, namespace, name, uid, rv, owners, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (grp, resource, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, owners = excluded.owners, json = excluded.json`,
      ).run(key.group, key.resource, key.namespace, key.name, stored.metadata.uid ?? "", rev, ownersOf(stored), json);
    }
    this.statement(
      "INSERT INTO events (rv, grp, resource, namespace, name, type, json) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(rev, key.group, key.resource, key.namespace, key.name, type, json);
    this.pending.push(
      previous ? { type, key, object: stored, revision: rev, previous } : { type, key, object: stored, revision: rev },
    );
    return stored;
  }

  /**
   * Changes of a resource after `revision`, oldest first. ExpiredRevisionError when the log no longer
   * reaches back that far.
   */
  changesSince(revision: number, filter: { group: string; resource: string; namespace?: string }): Change[] {
    if (revision < this.compacted) throw new ExpiredRevisionError(revision, this.compacted + 1);
    const args: Array<string | number> = [revision, filter.group, filter.resource];
    let sql = "SELECT * FROM events WHERE rv > ? AND grp = ? AND resource = ?";
    if (filter.namespace !== undefined) {
      sql += " AND namespace = ?";
      args.push(filter.namespace);
    }
    const rows = this.statement(`${sql} ORDER BY rv`).all(...args) as EventRow[];
    return rows.map((r) => ({
      type: r.type,
      key: { group: r.grp, resource: r.resource, namespace: r.namespace, name: r.name },
      object: JSON.parse(r.json) as KubeObject,
      revision: r.rv,
    }));
  }

  /** Drops events at or below `revision` (default: all but the window); watches from before get 410. */
  compact(revision: number = this.rev - this.eventWindow): void {
    const upTo = Math.min(Math.max(revision, this.compacted), this.rev);
    if (upTo === this.compacted) return;
    this.db.transaction(() => {
      this.statement("DELETE FROM events WHERE rv <= ?").run(upTo);
      this.setMeta("compacted", String(upTo));
    })();
    this.compacted = upTo;
  }

  /** Hears every committed change; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
