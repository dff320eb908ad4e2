import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { inventoryId, type KubeObject, refOf } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import { resolveSyncOptions } from "../sync/index.js";
import { type CompareCache, compareResource, type ResourceComparison } from "./compare.js";
import { driftRecords, MAX_DRIFT_CHANGES } from "./drift-records.js";

/** Live objects and server-side dry runs captured from a real control plane (diff's fixtures). */
const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`../diff/fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

/** The agent's comparison of one object, with a client whose dry run answers `dryRun`. */
async function comparison(live: KubeObject, dryRun: KubeObject): Promise<ResourceComparison> {
  const client = { apply: async () => ({ object: dryRun, created: false }) } as unknown as KubeClient;
  const cache: CompareCache = new Map();
  return await compareResource({
    client,
    task: { object: dryRun, ref: refOf(live), phase: "Sync", wave: 0, options: resolveSyncOptions({}) },
    live,
    ignoreDifferences: [],
    driftPolicy: { rules: [], fallback: "revert" },
    cache,
    signal: AbortSignal.timeout(10_000),
  });
}

const wasSynced = (obj: KubeObject): ReadonlySet<string> => new Set([inventoryId(refOf(obj))]);

const drift = async (live: KubeObject, dryRun: KubeObject) =>
  driftRecords({
    comparisons: [await comparison(live, dryRun)],
    wasSynced: wasSynced(live),
    sameRevision: true,
    corrected: false,
    now: "2026-01-01T00:00:00Z",
  });

describe("drift records carry each field's value in Git and live", () => {
  test("kubectl scale: replicas from 2 (Git) to 5 (live), by kubectl", async () => {
    const records = await drift(fixture("deployment-scaled-by-kubectl"), fixture("deployment-dry-run-after-scale"));
    assert.equal(records.length, 1);
    assert.deepEqual(records[0]?.fields, ["/spec/replicas"]);
    assert.deepEqual(records[0]?.changes, [{ path: "/spec/replicas", from: "2", to: "5" }]);
    assert.equal(records[0]?.manager, "kubectl");
  });

  test("several managers: each record has the values of its own fields", async () => {
    const records = await drift(
      fixture("deployment-drifted-by-several-managers"),
      fixture("deployment-dry-run-after-several-managers"),
    );
    assert.ok(records.length >= 1);
    for (const r of records) {
      assert.deepEqual(
        r.changes?.map((c) => c.path),
        r.fields,
        `${r.manager}: one change per field`,
      );
      for (const c of r.changes ?? []) assert.notEqual(c.from, c.to, `${c.path} changed`);
    }
  });

  test("a drifted Secret's data: the diff's placeholders, never a value (base64 or decoded)", async () => {
    const live = fixture("secret-password-patched-by-kubectl");
    const fromGit = fixture("secret-manifest-from-git");
    const values = new Set<string>();
    for (const obj of [live, fromGit, fixture("secret-dry-run-after-patch")]) {
      for (const field of ["data", "stringData"] as const) {
        for (const v of Object.values((obj[field] ?? {}) as Record<string, string>)) {
          values.add(v);
          if (field === "data") values.add(Buffer.from(v, "base64").toString("utf8"));
        }
      }
    }
    assert.ok(
      [...values].some((v) => v.includes("Leaked-Orange-Walrus")),
      "the fixtures hold the values (guard)",
    );

    for (const dryRun of [fixture("secret-dry-run-after-patch"), fromGit]) {
      const records = await drift(live, dryRun);
      assert.ok(records.length > 0);
      const password = records.flatMap((r) => r.changes ?? []).find((c) => c.path === "/data/password");
      assert.deepEqual(password, {
        path: "/data/password",
        from: "<secret: desired value>",
        to: "<secret: live value>",
      });
      const text = JSON.stringify(records);
      for (const v of values) assert.equal(text.includes(v), false, `a ${v.length}-character Secret value leaked`);
    }
  });

  test(`at most ${MAX_DRIFT_CHANGES} values per record, the first fields; fields still lists every one`, async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `key-${String(i).padStart(2, "0")}`);
    const configMap = (value: (key: string) => string): KubeObject => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "prod" },
      data: Object.fromEntries(keys.map((k) => [k, value(k)])),
    });
    const [record, ...rest] = await drift(
      configMap((k) => `${k}-edited`),
      configMap((k) => k),
    );
    assert.equal(rest.length, 0);
    assert.equal(record?.fields.length, 30);
    assert.equal(record?.changes?.length, MAX_DRIFT_CHANGES);
    assert.deepEqual(record?.changes?.[0], { path: "/data/key-00", from: "key-00", to: "key-00-edited" });
    assert.deepEqual(
      record?.changes?.map((c) => c.path),
      record?.fields.slice(0, MAX_DRIFT_CHANGES),
    );
  });

  test("a long value is cut short, and a field removed live has no `to`", async () => {
    const base = (data: Record<string, string>): KubeObject => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "prod" },
      data,
    });
    const [record] = await drift(base({ long: "y".repeat(1000) }), base({ long: "x".repeat(1000), gone: "1" }));
    const long = record?.changes?.find((c) => c.path === "/data/long");
    assert.ok(long?.from && long.to);
    assert.ok([...long.from].length <= 120 && long.from.endsWith("…"), long.from);
    assert.ok([...long.to].length <= 120 && long.to.endsWith("…"), long.to);
    assert.deepEqual(
      record?.changes?.find((c) => c.path === "/data/gone"),
      { path: "/data/gone", from: '"1"' },
    );
  });

  test("a deleted object has no values; nothing is drift when Git moved", async () => {
    const dryRun = fixture("deployment-dry-run-after-scale");
    const missing: ResourceComparison = {
      task: { object: dryRun, ref: refOf(dryRun), phase: "Sync", wave: 0, options: resolveSyncOptions({}) },
      status: "Missing",
      diff: "",
      changedPaths: [],
      changes: [],
      drift: [],
    };
    const [deleted] = driftRecords({
      comparisons: [missing],
      wasSynced: wasSynced(dryRun),
      sameRevision: true,
      corrected: true,
      now: "t",
    });
    assert.deepEqual(deleted, {
      resource: "Deployment.apps/prod/web",
      fields: ["(deleted)"],
      manager: "unknown",
      at: "t",
      corrected: true,
      action: "revert",
    });
    const moved = driftRecords({
      comparisons: [await comparison(fixture("deployment-scaled-by-kubectl"), dryRun)],
      wasSynced: wasSynced(dryRun),
      sameRevision: false,
      corrected: false,
      now: "t",
    });
    assert.deepEqual(moved, []);
  });
});
