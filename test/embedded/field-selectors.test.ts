// Field selectors, differentially: the same lists with the same selectors sent to the real control plane
// and to the embedded server, answered alike: the same objects matched, the same 400 and message for a label
// the kind does not register. (The dashboard's Events tab selects Events by involvedObject.)
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import type { KubeClient } from "../../src/cluster/index.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { answeredAlike, answerOf } from "./differential.js";

const event = (name: string, kind: string, involved: string, type: string, component: string): KubeObject =>
  ({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name },
    involvedObject: { apiVersion: "bosun.dev/v1alpha1", kind, name: involved },
    reason: type === "Warning" ? "SyncFailed" : "Synced",
    message: "m",
    type,
    source: { component },
  }) as KubeObject;

const fixtures: KubeObject[] = [
  event("e1", "Application", "shop", "Warning", "bosun"),
  event("e2", "Application", "shop", "Normal", "bosun"),
  event("e3", "Application", "cart", "Normal", "bosun"),
  event("e4", "Deployment", "shop", "Normal", "deployment-controller"),
  { apiVersion: "v1", kind: "Secret", metadata: { name: "opaque" }, type: "Opaque" },
  {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "tls" },
    type: "kubernetes.io/tls",
    data: { "tls.crt": "", "tls.key": "" },
  },
  { apiVersion: "v1", kind: "Service", metadata: { name: "internal" }, spec: { ports: [{ port: 80 }] } },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "exposed" },
    spec: { type: "NodePort", ports: [{ port: 80 }] },
  },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } },
];

/** Each list: kind, selector, and what it answers (the names matched, or the error). */
const LISTS: Array<[apiVersion: string, kind: string, selector: string]> = [
  ["v1", "Event", "involvedObject.kind=Application,involvedObject.name=shop"],
  ["v1", "Event", "involvedObject.kind=Application,type=Warning"],
  ["v1", "Event", "source=deployment-controller"],
  // Scoped to these Events: the real control plane's controllers record their own in the namespace.
  ["v1", "Event", "involvedObject.apiVersion=bosun.dev/v1alpha1,reason!=Synced"],
  ["v1", "Event", "message=m"],
  ["v1", "Secret", "type=kubernetes.io/tls"],
  ["v1", "Service", "spec.type=NodePort"],
  ["v1", "Service", "spec.type!=NodePort,metadata.name=internal"],
  ["v1", "ConfigMap", "metadata.name=b"],
  ["v1", "ConfigMap", "data.x=1"],
  ["batch/v1", "Job", "status.successful=1"],
  ["v1", "Pod", "spec.nodeName=nowhere,status.phase!=Running"],
  ["v1", "Pod", "spec.containers=x"],
];

async function answers(client: KubeClient, ns: TestNamespace): Promise<string[]> {
  for (const o of fixtures) {
    // An Event's involved object must be in the Event's namespace (the real server checks it).
    const involved =
      o.kind === "Event" ? { involvedObject: { ...(o.involvedObject as object), namespace: ns.name } } : {};
    await client.create({ ...o, ...involved, metadata: { ...o.metadata, namespace: ns.name } });
  }
  const out: string[] = [];
  for (const [apiVersion, kind, fieldSelector] of LISTS)
    out.push(
      await answerOf(`${kind} ${fieldSelector}`, async () => {
        const { items } = await client.list(apiVersion, kind, { namespace: ns.name, fieldSelector });
        const names = items
          .map((i) => i.metadata.name ?? "")
          .filter((n) => n !== "default-token" && n !== "kube-root-ca.crt");
        return names.sort().join(" ");
      }),
    );
  return out;
}

test("field selectors are answered by the embedded server as by kube-apiserver, kind by kind", async (t) => {
  assert.deepEqual(await answeredAlike(t, answers), [
    "Event involvedObject.kind=Application,involvedObject.name=shop: e1 e2",
    "Event involvedObject.kind=Application,type=Warning: e1",
    "Event source=deployment-controller: e4",
    "Event involvedObject.apiVersion=bosun.dev/v1alpha1,reason!=Synced: e1",
    "Event message=m: 400 field label not supported: message",
    "Secret type=kubernetes.io/tls: tls",
    "Service spec.type=NodePort: exposed",
    "Service spec.type!=NodePort,metadata.name=internal: internal",
    "ConfigMap metadata.name=b: b",
    'ConfigMap data.x=1: 400 "data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    "Job status.successful=1: ",
    "Pod spec.nodeName=nowhere,status.phase!=Running: ",
    "Pod spec.containers=x: 400 field label not supported: spec.containers",
  ]);
});
