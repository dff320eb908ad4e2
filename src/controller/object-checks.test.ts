import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultProject, type KubeObject, type ObjectRef, refOf, trackingId } from "../api/index.js";
import { planSync } from "../sync/index.js";
import { denialSummary, deniedForStatus, deniedObjects, MAX_DENIED_IN_STATUS } from "./object-checks.js";
import { IN_CLUSTER, type PolicyContext } from "./project-policy.js";

const app = { namespace: "bosun", name: "shop" };
const cm = (name: string, namespace: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace, annotations },
});
const teamA: PolicyContext = {
  project: {
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Project",
    metadata: { name: "team-a", namespace: "bosun" },
    spec: { sourceRepos: ["*"], destinations: [{ namespace: "shop" }] },
  },
  agentNamespace: "bosun",
};

function check(objects: KubeObject[], live: KubeObject[] = [], policy = teamA) {
  const byRef = new Map(live.map((o) => [JSON.stringify(refOf(o)), o]));
  return deniedObjects({
    policy,
    cluster: { ...IN_CLUSTER },
    app,
    plan: planSync(objects),
    liveOf: (ref: ObjectRef) => byRef.get(JSON.stringify(ref)),
  });
}

test("hooks and SyncFail hooks are checked like every other object, once each", () => {
  const denials = check([
    cm("ok", "shop"),
    cm("pre", "kube-system", { "bosun.dev/hook": "PreSync,PostSync" }),
    cm("on-fail", "default", { "argocd.argoproj.io/hook": "SyncFail" }),
  ]);
  assert.deepEqual(
    denials.map((d) => [d.ref.name, d.rule]),
    [
      ["pre", "namespace kube-system is not a destination of project team-a"],
      ["on-fail", "namespace default is not a destination of project team-a"],
    ],
  );
});

test("an object another Application tracks is denied, hooks included; one this Application tracks or nobody does is not", () => {
  const other = { namespace: "bosun", name: "billing" };
  const tracked = (o: KubeObject, owner: typeof app) => ({
    ...o,
    metadata: { ...o.metadata, annotations: { "bosun.dev/tracking-id": trackingId(owner, refOf(o)) } },
  });
  const theirs = cm("shared", "shop");
  const hook = cm("shared", "shop", { "bosun.dev/hook": "PreSync" });
  const mine = cm("mine", "shop");
  const denials = check([hook, mine, cm("free", "shop")], [tracked(theirs, other), tracked(mine, app)]);
  assert.deepEqual(
    denials.map((d) => [d.ref.name, d.rule]),
    [["shared", "managed by Application bosun/billing"]],
  );
});

test("a project denial is reported once, before any ownership question", () => {
  const other = { namespace: "bosun", name: "billing" };
  const outside = cm("x", "kube-system");
  const live = {
    ...outside,
    metadata: { ...outside.metadata, annotations: { "bosun.dev/tracking-id": trackingId(other, refOf(outside)) } },
  };
  const denials = check([outside], [live]);
  assert.deepEqual(
    denials.map((d) => d.rule),
    ["namespace kube-system is not a destination of project team-a"],
  );
});

test("the default project allows a repository's ordinary objects", () => {
  const policy = { project: defaultProject("bosun"), agentNamespace: "bosun" };
  assert.deepEqual(check([cm("a", "shop"), cm("b", "kube-system")], [], policy), []);
});

test("status keeps the first 100 denials and counts the rest; the summary names the first three", () => {
  const many = Array.from({ length: 130 }, (_, i) => ({
    ref: { group: "", kind: "ConfigMap", namespace: "x", name: `c${i}` },
    rule: "namespace x is not a destination of project team-a",
  }));
  const shown = deniedForStatus(many);
  assert.equal(shown.length, MAX_DENIED_IN_STATUS + 1);
  assert.deepEqual(shown.at(-1), { resource: "(30 more)", rule: "not listed: status keeps the first 100" });
  assert.equal(shown[0]?.resource, "ConfigMap/x/c0");
  assert.match(denialSummary(many), /^130 objects not permitted, nothing applied: ConfigMap\/x\/c0: .*; and 127 more$/);
  assert.match(denialSummary(many.slice(0, 1)), /^1 object not permitted/);
});
