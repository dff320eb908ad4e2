import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { IgnoreDifference, KubeObject } from "../api/index.js";
import { type Comparison, compare } from "./compare.js";
import { IgnoreRuleError } from "./errors.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const C = "/spec/template/spec/containers";

interface Case {
  name: string;
  live: string;
  dryRun: string;
  ignoreDifferences?: IgnoreDifference[];
  status: "Synced" | "OutOfSync";
  changedPaths: string[];
  /** Lines the diff must contain. */
  lines?: string[];
}

/** Real live objects against the real server-side dry-run of the unchanged manifest. */
const CASES: Case[] = [
  {
    name: "nobody touched it",
    live: "deployment-applied-by-bosun",
    dryRun: "deployment-dry-run-when-synced",
    status: "Synced",
    changedPaths: [],
  },
  {
    name: "kubectl scale",
    live: "deployment-scaled-by-kubectl",
    dryRun: "deployment-dry-run-after-scale",
    status: "OutOfSync",
    changedPaths: ["/spec/replicas"],
    lines: ["-  replicas: 5", "+  replicas: 2"],
  },
  {
    name: "kubectl scale, replicas ignored by pointer",
    live: "deployment-scaled-by-kubectl",
    dryRun: "deployment-dry-run-after-scale",
    ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }],
    status: "Synced",
    changedPaths: [],
  },
  {
    name: "kubectl scale, its manager ignored",
    live: "deployment-scaled-by-kubectl",
    dryRun: "deployment-dry-run-after-scale",
    ignoreDifferences: [{ group: "apps", kind: "Deployment", managedFieldsManagers: ["kubectl"] }],
    status: "Synced",
    changedPaths: [],
  },
  {
    name: "kubectl scale, a rule for another Deployment",
    live: "deployment-scaled-by-kubectl",
    dryRun: "deployment-dry-run-after-scale",
    ignoreDifferences: [{ group: "apps", kind: "Deployment", name: "api", jsonPointers: ["/spec/replicas"] }],
    status: "OutOfSync",
    changedPaths: ["/spec/replicas"],
  },
  {
    name: "kubectl set image",
    live: "deployment-image-set-by-kubectl",
    dryRun: "deployment-dry-run-after-set-image",
    status: "OutOfSync",
    changedPaths: [`${C}/0/image`],
    lines: ["-          image: nginx:1.28", "+          image: nginx:1.27"],
  },
  {
    name: "kubectl patch of an env value (the env var it added is its own and stays)",
    live: "deployment-env-patched-by-kubectl",
    dryRun: "deployment-dry-run-after-patch",
    status: "OutOfSync",
    changedPaths: [`${C}/0/env/0/value`],
    lines: ["-              value: debug", "+              value: info"],
  },
  {
    name: "kubectl label of a field bosun does not own",
    live: "deployment-labelled-by-kubectl",
    dryRun: "deployment-dry-run-after-label",
    status: "Synced",
    changedPaths: [],
  },
  {
    name: "kubectl edit of the second container",
    live: "deployment-edited-by-kubectl",
    dryRun: "deployment-dry-run-after-edit",
    status: "OutOfSync",
    changedPaths: [`${C}/1/image`],
  },
  {
    name: "kubectl client-side apply (its last-applied annotation is no difference)",
    live: "deployment-client-side-applied-by-kubectl",
    dryRun: "deployment-dry-run-after-client-side-apply",
    status: "OutOfSync",
    changedPaths: [`${C}/0/env/1/value`],
    lines: ["-              value: us-east-1", "+              value: eu-west-1"],
  },
  {
    name: "kubectl server-side apply taking replicas",
    live: "deployment-server-side-applied-by-kubectl",
    dryRun: "deployment-dry-run-after-kubectl-server-side-apply",
    status: "OutOfSync",
    changedPaths: ["/spec/replicas"],
  },
  {
    name: "several managers, one after another",
    live: "deployment-drifted-by-several-managers",
    dryRun: "deployment-dry-run-after-several-managers",
    status: "OutOfSync",
    changedPaths: ["/spec/replicas", `${C}/0/image`],
  },
  {
    name: "a container added by kubectl patch is its own (server-side apply keeps it)",
    live: "deployment-container-added-by-kubectl",
    dryRun: "deployment-dry-run-after-container-added",
    status: "Synced",
    changedPaths: [],
  },
  {
    name: "a Secret whose password was patched",
    live: "secret-password-patched-by-kubectl",
    dryRun: "secret-dry-run-after-patch",
    status: "OutOfSync",
    changedPaths: ["/data/password"],
    lines: ['-  password: "<secret: live value>"', '+  password: "<secret: desired value>"'],
  },
  {
    name: "a Secret client-side applied with another password",
    live: "secret-client-side-applied-by-kubectl",
    dryRun: "secret-dry-run-after-client-side-apply",
    status: "OutOfSync",
    changedPaths: ["/data/password"],
  },
];

describe("compare on real dry-run and live objects", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const result = compare({
        desired: fixture(c.dryRun),
        live: fixture(c.live),
        ...(c.ignoreDifferences ? { ignoreDifferences: c.ignoreDifferences } : {}),
      });
      assert.equal(result.status, c.status);
      assert.deepEqual(result.changedPaths, c.changedPaths);
      if (c.status === "Synced") assert.equal(result.diff, "");
      else assert.match(result.diff, /^--- live\/\S+\n\+\+\+ desired\/\S+\n@@ /);
      const lines = result.diff.split("\n");
      for (const line of c.lines ?? [])
        assert.ok(lines.includes(line), `diff lacks ${JSON.stringify(line)}:\n${result.diff}`);
      // Nothing the normaliser drops ever shows up as a change.
      for (const noise of ["managedFields", "resourceVersion", "status:", "last-applied-configuration"])
        assert.equal(result.diff.includes(noise), false, noise);
    });
  }

  test("inputs are never mutated (deeply frozen inputs work)", () => {
    const live = deepFreeze(fixture("deployment-drifted-by-several-managers"));
    const desired = deepFreeze(fixture("deployment-dry-run-after-several-managers"));
    const result = compare({
      desired,
      live,
      ignoreDifferences: [
        { group: "apps", kind: "Deployment", managedFieldsManagers: ["kubectl"], jsonPointers: ["/spec/paused"] },
      ],
    });
    assert.deepEqual(result.changedPaths, [`${C}/0/image`]);
  });

  test("a paired item moved in the list is pointed at by its live index", () => {
    const live = fixture("deployment-image-set-by-kubectl");
    const desired = structuredClone(fixture("deployment-dry-run-after-set-image"));
    const spec = desired.spec as { template: { spec: { containers: unknown[] } } };
    spec.template.spec.containers.reverse();
    const result = compare({ desired, live });
    // web is the live object's first container, desired's second; the list order differs too.
    assert.ok(result.changedPaths.includes(`${C}/0/image`), JSON.stringify(result.changedPaths));
  });

  test("a malformed rule for this object is an IgnoreRuleError, and a malformed rule for another is not read", () => {
    const live = fixture("deployment-scaled-by-kubectl");
    const desired = fixture("deployment-dry-run-after-scale");
    assert.throws(
      () =>
        compare({ desired, live, ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["spec"] }] }),
      IgnoreRuleError,
    );
    const other = compare({
      desired,
      live,
      ignoreDifferences: [{ group: "", kind: "Service", jsonPointers: ["spec"] }],
    });
    assert.equal(other.status, "OutOfSync");
  });
});

describe("changes: each changed field with its desired and live value", () => {
  test("kubectl scale: replicas 2 in Git, 5 live", () => {
    const result = compare({
      desired: fixture("deployment-dry-run-after-scale"),
      live: fixture("deployment-scaled-by-kubectl"),
    });
    assert.deepEqual(result.changes, [{ path: "/spec/replicas", desired: "2", live: "5" }]);
  });

  test("kubectl set image: the container's image, paired by name", () => {
    const result = compare({
      desired: fixture("deployment-dry-run-after-set-image"),
      live: fixture("deployment-image-set-by-kubectl"),
    });
    assert.deepEqual(result.changes, [{ path: `${C}/0/image`, desired: "nginx:1.27", live: "nginx:1.28" }]);
  });

  test("a paired item that moved: values come from the item on each side, not from the index", () => {
    const desired = structuredClone(fixture("deployment-dry-run-after-set-image"));
    const spec = desired.spec as { template: { spec: { containers: unknown[] } } };
    spec.template.spec.containers.reverse();
    const result = compare({ desired, live: fixture("deployment-image-set-by-kubectl") });
    const image = result.changes.find((c) => c.path === `${C}/0/image`);
    assert.deepEqual(image, { path: `${C}/0/image`, desired: "nginx:1.27", live: "nginx:1.28" });
  });

  test("a field only on one side has no value on the other", () => {
    const live = fixture("deployment-scaled-by-kubectl");
    const desired = structuredClone(fixture("deployment-dry-run-after-scale"));
    (desired.spec as Record<string, unknown>).paused = true;
    const result = compare({ desired, live });
    assert.deepEqual(
      result.changes.find((c) => c.path === "/spec/paused"),
      { path: "/spec/paused", desired: "true" },
    );
  });

  test("a Secret's changed value is the diff's placeholder on each side, never the value", () => {
    const result = compare({
      desired: fixture("secret-dry-run-after-patch"),
      live: fixture("secret-password-patched-by-kubectl"),
    });
    assert.deepEqual(result.changes, [
      { path: "/data/password", desired: "<secret: desired value>", live: "<secret: live value>" },
    ]);
  });

  test("a Secret key added behind Git's back, and a Secret whose data was emptied, show only placeholders", () => {
    const desired = fixture("secret-manifest-from-git");
    const added = compare({ desired, live: fixture("secret-password-patched-by-kubectl") });
    assert.deepEqual(
      added.changes.find((c) => c.path === "/data/extra"),
      { path: "/data/extra", live: "<secret>" },
    );
    const emptied = structuredClone(fixture("secret-password-patched-by-kubectl"));
    delete emptied.data;
    const gone = compare({ desired, live: emptied });
    const data = gone.changes.find((c) => c.path === "/data");
    assert.ok(data?.desired, JSON.stringify(gone.changes));
    assert.equal(data.live, undefined);
    for (const value of Object.values(JSON.parse(data.desired) as Record<string, unknown>))
      assert.equal(value, "<secret>");
  });

  test("Synced has no field changes", () => {
    const synced = compare({
      desired: fixture("deployment-dry-run-when-synced"),
      live: fixture("deployment-applied-by-bosun"),
    });
    assert.deepEqual(synced.changes, []);
  });
});

describe("Secret values never leave compare", () => {
  const secrets = [
    "s3cr3t-Purple-Hippo",
    "czNjcjN0LVB1cnBsZS1IaXBwbw==",
    "Leaked-Orange-Walrus",
    "TGVha2VkLU9yYW5nZS1XYWxydXM=",
    "Extra-Teal-Otter",
    "RXh0cmEtVGVhbC1PdHRlcg==",
    "app-user",
    "YXBwLXVzZXI=",
    "cG9zdGdyZXM6Ly9hcHAtdXNlcjpzM2NyM3QtUHVycGxlLUhpcHBvQGRiOjU0MzIvc2hvcA==",
  ];
  const assertClean = (result: Comparison | undefined) => {
    const text = JSON.stringify(result);
    for (const s of secrets) assert.equal(text.includes(s), false, `leaked a ${s.length}-char secret`);
  };

  test("the fixtures really contain these values, plain or base64 (guards the checks below)", () => {
    const raw = [
      "secret-password-patched-by-kubectl",
      "secret-client-side-applied-by-kubectl",
      "secret-manifest-from-git",
    ]
      .map((n) => readFileSync(new URL(`./fixtures/${n}.yaml`, import.meta.url), "utf8"))
      .join("\n");
    const decoded = [...raw.matchAll(/[A-Za-z0-9+/]{8,}={0,2}/g)].map((m) =>
      Buffer.from(m[0], "base64").toString("utf8"),
    );
    for (const s of secrets) assert.ok(raw.includes(s) || decoded.some((d) => d.includes(s)), s);
  });

  const pairs: Array<[string, string, string]> = [
    ["patched", "secret-password-patched-by-kubectl", "secret-dry-run-after-patch"],
    ["client-side applied", "secret-client-side-applied-by-kubectl", "secret-dry-run-after-client-side-apply"],
    ["manifest (stringData) against live", "secret-password-patched-by-kubectl", "secret-manifest-from-git"],
  ];
  for (const [name, liveName, desiredName] of pairs) {
    test(name, () => {
      const result = compare({ live: fixture(liveName), desired: fixture(desiredName) });
      assert.notEqual(result.diff, "");
      assertClean(result);
    });
  }

  test("ignoring a Secret's manager still leaks nothing", () => {
    const result = compare({
      live: fixture("secret-password-patched-by-kubectl"),
      desired: fixture("secret-dry-run-after-patch"),
      ignoreDifferences: [{ group: "", kind: "Secret", managedFieldsManagers: ["kubectl-patch"] }],
    });
    assert.equal(result.status, "Synced");
    assertClean(result);
  });
});
