// `bosun install` with the agent's workload on the real control plane (kwok runs its Pods), and charts/bosun
// rendered by the pinned helm: the same objects as `bosun install --dry-run -o yaml`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { installNames } from "../../src/api/index.js";
import { toolPath } from "../../src/tools/locate.js";
import { testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { runCli } from "./agent-harness.js";

const CHART = join(import.meta.dirname, "../../charts/bosun");

function helm(args: string[]): string {
  return execFileSync(toolPath("helm"), args, { encoding: "utf8" });
}

function documents(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Objects by kind/namespace/name, so the two renderings compare whatever order they come in. */
function byKey(objects: KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const o of objects) {
    assert.ok(!map.has(key(o)), `${key(o)} rendered twice`);
    map.set(key(o), o);
  }
  return map;
}

test("helm lint --strict passes on charts/bosun [real]", () => {
  const out = helm(["lint", "--strict", CHART]);
  assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

test("helm template charts/bosun gives the objects of bosun install --dry-run -o yaml, defaults and overrides [real]", async () => {
  const cases: Array<{ install: string[]; values: string[] }> = [
    { install: [], values: [] },
    {
      install: [
        "--image",
        "registry.example/bosun:v9",
        "--replicas",
        "3",
        "--shards",
        "3",
        "--dashboard-url",
        "https://bosun.example/",
      ],
      values: [
        "--set",
        "image.repository=registry.example/bosun,image.tag=v9,replicas=3,shards=3,dashboardUrl=https://bosun.example/",
      ],
    },
  ];
  for (const c of cases) {
    const dry = await runCli(["install", "--app-namespace", "team-a", "--dry-run", "-o", "yaml", ...c.install]);
    assert.equal(dry.code, 0, dry.err);
    const installed = byKey(documents(dry.out));
    // helm install leaves the namespace to --create-namespace; everything else is the chart's.
    const namespace = installed.get("Namespace//team-a");
    assert.ok(namespace, "install creates its namespace");
    installed.delete("Namespace//team-a");
    const rendered = byKey(
      documents(helm(["template", "bosun", CHART, "-n", "team-a", "--include-crds", ...c.values])),
    );
    assert.deepEqual([...rendered.keys()].sort(), [...installed.keys()].sort());
    for (const [k, object] of installed) assert.deepEqual(rendered.get(k), object, k);
  }
  const extra = documents(
    helm(["template", "bosun", CHART, "-n", "team-a", "--set", "extraArgs={--concurrency,8}"]),
  ).find((o) => o.kind === "Deployment") as unknown as {
    spec: { template: { spec: { containers: Array<{ args: string[] }> } } };
  };
  assert.deepEqual(extra.spec.template.spec.containers[0]?.args.slice(-2), ["--concurrency", "8"]);
});

test("bosun install runs the agent's Deployment: Available with 2 replicas, the Service has endpoints, the PDB holds one [real]", async (t) => {
  const ns = await testNamespace(t, "real");
  const names = installNames(ns.name);
  t.after(() => {
    for (const kind of ["clusterrolebinding", "clusterrole"])
      ns.kubectl(["delete", kind, names.agent, names.deployer, "--ignore-not-found", "--wait=false"]);
  });
  const install = () =>
    runCli([
      "install",
      "--kubeconfig",
      ns.kubeconfig,
      "--app-namespace",
      ns.name,
      "--image",
      "registry.example/bosun:test",
    ]);
  const result = await install();
  assert.equal(result.code, 0, result.err);
  for (const line of ["Deployment/bosun-agent", "Service/bosun-agent", "PodDisruptionBudget/bosun-agent"])
    assert.match(result.out, new RegExp(`${line} (created|configured)`));

  await waitFor(
    "the bosun-agent Deployment to be Available with 2 ready replicas",
    async () => {
      const d = JSON.parse(ns.kubectl(["get", "deployment", "bosun-agent", "-o", "json"])) as {
        status?: { readyReplicas?: number; conditions?: Array<{ type: string; status: string }> };
      };
      return (
        d.status?.readyReplicas === 2 &&
        (d.status.conditions ?? []).some((c) => c.type === "Available" && c.status === "True")
      );
    },
    { timeoutMs: 90_000, detail: () => ns.kubectl(["get", "deployment,pods", "-o", "wide"]) },
  );
  const pods = JSON.parse(ns.kubectl(["get", "pods", "-l", "app.kubernetes.io/name=bosun", "-o", "json"])) as {
    items: Array<{ spec: { serviceAccountName: string; containers: Array<{ image: string }> } }>;
  };
  assert.equal(pods.items.length, 2);
  for (const pod of pods.items) {
    assert.equal(pod.spec.serviceAccountName, names.agent);
    assert.equal(pod.spec.containers[0]?.image, "registry.example/bosun:test");
  }

  await waitFor(
    "the bosun-agent Service to have two ready endpoints on both ports",
    async () => {
      const slices = JSON.parse(
        ns.kubectl(["get", "endpointslices", "-l", "kubernetes.io/service-name=bosun-agent", "-o", "json"]),
      ) as {
        items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }>; ports?: Array<{ name: string }> }>;
      };
      const ready = slices.items.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions?.ready));
      const ports = new Set(slices.items.flatMap((s) => (s.ports ?? []).map((p) => p.name)));
      return ready.length === 2 && ports.has("http") && ports.has("sealed-secrets");
    },
    { timeoutMs: 60_000, detail: () => ns.kubectl(["get", "endpointslices", "-o", "yaml"]) },
  );
  await waitFor(
    "the PodDisruptionBudget to allow one disruption",
    async () => {
      const pdb = JSON.parse(ns.kubectl(["get", "pdb", "bosun-agent", "-o", "json"])) as {
        status?: { currentHealthy?: number; disruptionsAllowed?: number };
      };
      return pdb.status?.currentHealthy === 2 && pdb.status.disruptionsAllowed === 1;
    },
    { timeoutMs: 60_000 },
  );

  // Run again: every object is already as declared, so the Deployment is not rolled.
  const generation = () => ns.kubectl(["get", "deployment", "bosun-agent", "-o", "jsonpath={.metadata.generation}"]);
  const before = generation();
  const again = await install();
  assert.equal(again.code, 0, again.err);
  assert.equal(generation(), before);
});

test("bosun install --no-agent applies no workload; --replicas must be a whole number [real]", async () => {
  const dry = await runCli(["install", "--app-namespace", "team-b", "--no-agent", "--dry-run", "-o", "json"]);
  assert.equal(dry.code, 0, dry.err);
  const list = JSON.parse(dry.out) as { kind: string; items: KubeObject[] };
  assert.equal(list.kind, "List");
  assert.ok(list.items.some((o) => o.kind === "Project"));
  assert.ok(!list.items.some((o) => ["Deployment", "Service"].includes(o.kind)));
  const bad = await runCli(["install", "--replicas", "two", "--dry-run"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--replicas two: expected a whole number/);
});
