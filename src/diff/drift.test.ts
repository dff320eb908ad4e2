import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject, ManagedFieldsEntry } from "../api/index.js";
import { compare } from "./compare.js";
import { attributeDrift, type DriftAttribution, summarizeDrift, UNKNOWN_MANAGER } from "./drift.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

const C = "/spec/template/spec/containers";

describe("attributeDrift on real drift (paths from compare of the real dry-run)", () => {
  const cases: Array<{ live: string; dryRun: string; expected: DriftAttribution[] }> = [
    {
      live: "deployment-scaled-by-kubectl",
      dryRun: "deployment-dry-run-after-scale",
      // Kubernetes 1.36: kubectl scale writes through the scale subresource as manager "kubectl", with no time.
      expected: [{ path: "/spec/replicas", manager: "kubectl", operation: "Update", subresource: "scale" }],
    },
    {
      live: "deployment-image-set-by-kubectl",
      dryRun: "deployment-dry-run-after-set-image",
      expected: [{ path: `${C}/0/image`, manager: "kubectl-set", operation: "Update", time: "2026-11-27T23:25:51Z" }],
    },
    {
      live: "deployment-env-patched-by-kubectl",
      dryRun: "deployment-dry-run-after-patch",
      expected: [
        { path: `${C}/0/env/0/value`, manager: "kubectl-patch", operation: "Update", time: "2026-11-27T23:25:53Z" },
      ],
    },
    {
      live: "deployment-edited-by-kubectl",
      dryRun: "deployment-dry-run-after-edit",
      expected: [{ path: `${C}/1/image`, manager: "kubectl-edit", operation: "Update", time: "2026-11-27T23:25:57Z" }],
    },
    {
      live: "deployment-client-side-applied-by-kubectl",
      dryRun: "deployment-dry-run-after-client-side-apply",
      expected: [
        {
          path: `${C}/0/env/1/value`,
          manager: "kubectl-client-side-apply",
          operation: "Update",
          time: "2026-11-27T23:25:59Z",
        },
      ],
    },
    {
      live: "deployment-server-side-applied-by-kubectl",
      dryRun: "deployment-dry-run-after-kubectl-server-side-apply",
      expected: [{ path: "/spec/replicas", manager: "kubectl", operation: "Apply", time: "2026-11-27T23:26:01Z" }],
    },
    {
      live: "deployment-drifted-by-several-managers",
      dryRun: "deployment-dry-run-after-several-managers",
      expected: [
        { path: "/spec/replicas", manager: "kubectl", operation: "Update", subresource: "scale" },
        { path: `${C}/0/image`, manager: "kubectl-set", operation: "Update", time: "2026-11-27T23:26:05Z" },
      ],
    },
    {
      live: "secret-password-patched-by-kubectl",
      dryRun: "secret-dry-run-after-patch",
      expected: [
        { path: "/data/password", manager: "kubectl-patch", operation: "Update", time: "2026-11-27T23:26:09Z" },
      ],
    },
  ];
  for (const c of cases) {
    test(c.live, () => {
      const live = fixture(c.live);
      const { changedPaths } = compare({ desired: fixture(c.dryRun), live });
      assert.deepEqual(attributeDrift({ live, changedPaths }), c.expected);
    });
  }
});

describe("attributeDrift rules", () => {
  const synced = fixture("deployment-applied-by-bosun");

  test("a field bosun still owns differs because desired moved (a new commit): bosun, not drift", () => {
    const desired = structuredClone(fixture("deployment-dry-run-when-synced"));
    const spec = desired.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    const web = spec.template.spec.containers[0];
    assert.ok(web);
    web.image = "nginx:1.29";
    const { changedPaths } = compare({ desired, live: synced });
    assert.deepEqual(changedPaths, [`${C}/0/image`]);
    const attributions = attributeDrift({ live: synced, changedPaths });
    assert.deepEqual(attributions, [
      { path: `${C}/0/image`, manager: "bosun", operation: "Apply", time: synced.metadata.managedFields?.[0]?.time },
    ]);
    assert.deepEqual(summarizeDrift(attributions), []);
  });

  test("the field manager is an option", () => {
    const live = fixture("deployment-image-set-by-kubectl");
    const [a] = attributeDrift({ live, changedPaths: [`${C}/0/image`], fieldManager: "kubectl-set" });
    assert.equal(a?.manager, "kubectl-set");
    const [b] = attributeDrift({ live, changedPaths: ["/spec/replicas"], fieldManager: "kubectl-set" });
    assert.equal(b?.manager, "bosun");
  });

  test("a path nobody owns, under bosun's items only, is unknown (a deleted field leaves no owner)", () => {
    assert.deepEqual(attributeDrift({ live: synced, changedPaths: [`${C}/0/env/2`] }), [
      { path: `${C}/0/env/2`, manager: UNKNOWN_MANAGER },
    ]);
  });

  test("an object without managedFields attributes everything to unknown", () => {
    const bare: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } };
    assert.deepEqual(attributeDrift({ live: bare, changedPaths: ["/data/a", ""] }), [
      { path: "/data/a", manager: UNKNOWN_MANAGER },
      { path: "", manager: UNKNOWN_MANAGER },
    ]);
  });

  test("a whole list item another manager created: its '.' owns the item", () => {
    const live = fixture("deployment-container-added-by-kubectl");
    const [a] = attributeDrift({ live, changedPaths: [`${C}/0`] });
    assert.equal(a?.manager, "kubectl-patch");
  });

  test("a path that differs as a whole: another manager owning something under it wins over bosun", () => {
    const live = fixture("deployment-env-patched-by-kubectl");
    const [a] = attributeDrift({ live, changedPaths: [`${C}/0/env`] });
    assert.equal(a?.manager, "kubectl-patch");
  });

  test("a path that differs as a whole with only bosun under it is bosun's", () => {
    const [a] = attributeDrift({ live: synced, changedPaths: [`${C}/0/env`] });
    assert.equal(a?.manager, "bosun");
  });

  test("under an atomic field or an item another manager owns: the closest ancestor", () => {
    const live: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: "w",
        managedFields: [
          entry("far", "2026-01-01T00:00:05Z", { "f:spec": { "f:template": { ".": {} } } }),
          entry("near", "2026-01-01T00:00:01Z", { "f:spec": { "f:template": { "f:spec": { ".": {} } } } }),
          entry("bosun", "2026-01-01T00:00:09Z", { "f:spec": { "f:template": { "f:spec": { "f:a": { ".": {} } } } } }),
        ],
      },
      spec: { template: { spec: { a: {} } } },
    };
    const [a] = attributeDrift({ live, changedPaths: ["/spec/template/spec/a/b"] });
    assert.equal(a?.manager, "near");
  });

  function entry(manager: string, time: string | undefined, fieldsV1: Record<string, unknown>): ManagedFieldsEntry {
    return {
      manager,
      operation: "Apply",
      apiVersion: "apps/v1",
      fieldsType: "FieldsV1",
      fieldsV1,
      ...(time ? { time } : {}),
    };
  }
  const replicas = { "f:spec": { "f:replicas": {} } };
  const withOwners = (...entries: ManagedFieldsEntry[]): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "w", managedFields: entries },
    spec: { replicas: 3 },
  });

  const ties: Array<[string, ManagedFieldsEntry[], string]> = [
    [
      "the most recent time wins (listed first)",
      [entry("new", "2026-01-02T00:00:00Z", replicas), entry("old", "2026-01-01T00:00:00Z", replicas)],
      "new",
    ],
    [
      "the most recent time wins (listed last)",
      [entry("old", "2026-01-01T00:00:00Z", replicas), entry("new", "2026-01-02T00:00:00Z", replicas)],
      "new",
    ],
    [
      "any time beats no time",
      [entry("timed", "2020-01-01T00:00:00Z", replicas), entry("untimed", undefined, replicas)],
      "timed",
    ],
    [
      "equal times: the later entry",
      [entry("a", "2026-01-01T00:00:00Z", replicas), entry("b", "2026-01-01T00:00:00Z", replicas)],
      "b",
    ],
    [
      "bosun co-owning the exact field does not hide another owner",
      [entry("other", undefined, replicas), entry("bosun", "2026-01-03T00:00:00Z", replicas)],
      "other",
    ],
  ];
  for (const [name, entries, winner] of ties) {
    test(name, () => {
      const [a] = attributeDrift({ live: withOwners(...entries), changedPaths: ["/spec/replicas"] });
      assert.equal(a?.manager, winner);
    });
  }
});

describe("summarizeDrift", () => {
  test("groups by manager in order of appearance, the latest time as `at`, bosun left out", () => {
    const summary = summarizeDrift([
      { path: "/spec/replicas", manager: "kubectl", operation: "Update", subresource: "scale" },
      { path: `${C}/0/image`, manager: "kubectl-set", operation: "Update", time: "2026-11-27T23:26:05Z" },
      { path: `${C}/1/image`, manager: "kubectl-set", operation: "Update", time: "2026-11-27T23:26:07Z" },
      { path: `${C}/1/image`, manager: "kubectl-set", operation: "Update", time: "2026-11-27T23:26:06Z" },
      { path: "/metadata/labels/team", manager: "bosun", operation: "Apply", time: "2026-11-27T23:27:00Z" },
      { path: "/data/x", manager: UNKNOWN_MANAGER },
    ]);
    assert.deepEqual(summary, [
      { manager: "kubectl", fields: ["/spec/replicas"] },
      { manager: "kubectl-set", fields: [`${C}/0/image`, `${C}/1/image`], at: "2026-11-27T23:26:07Z" },
      { manager: UNKNOWN_MANAGER, fields: ["/data/x"] },
    ]);
  });

  test("the left-out manager is bosun's field manager, which is an option", () => {
    const attributions: DriftAttribution[] = [
      { path: "/a", manager: "bosun" },
      { path: "/b", manager: "other" },
    ];
    assert.deepEqual(
      summarizeDrift(attributions, { fieldManager: "other" }).map((s) => s.manager),
      ["bosun"],
    );
  });

  test("real: several managers in one object", () => {
    const live = fixture("deployment-drifted-by-several-managers");
    const { changedPaths } = compare({ desired: fixture("deployment-dry-run-after-several-managers"), live });
    assert.deepEqual(summarizeDrift(attributeDrift({ live, changedPaths })), [
      { manager: "kubectl", fields: ["/spec/replicas"] },
      { manager: "kubectl-set", fields: [`${C}/0/image`], at: "2026-11-27T23:26:05Z" },
    ]);
  });

  test("nothing changed, nothing to say", () => {
    assert.deepEqual(summarizeDrift([]), []);
  });
});
