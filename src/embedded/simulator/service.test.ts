import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord, KubeObject } from "../../api/index.js";
import { allocateClusterIP, allocatedSpec, takenBy } from "./service.js";

function svc(name: string, spec: JsonRecord): KubeObject {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default", uid: `${name}-uid` }, spec };
}

function inRange(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number);
  return a === 10 && b !== undefined && b >= 96 && b <= 111;
}

test("a ClusterIP Service gets a free address from 10.96.0.0/12, single-stack IPv4", () => {
  const spec = allocatedSpec(svc("web", { type: "ClusterIP", ports: [{ port: 80 }] }), takenBy([]));
  assert.ok(spec);
  assert.ok(inRange(String(spec.clusterIP)), String(spec.clusterIP));
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(spec.ipFamilies, ["IPv4"]);
  assert.equal(spec.ipFamilyPolicy, "SingleStack");
  assert.deepEqual(spec.ports, [{ port: 80 }]);
});

test("addresses in use are skipped, as are the network address and the API server's 10.96.0.1", () => {
  const first = allocateClusterIP(new Set(), "seed");
  const second = allocateClusterIP(new Set([first]), "seed");
  assert.notEqual(first, second);
  const ips = new Set<string>();
  for (let i = 0; i < 50; i++) ips.add(allocateClusterIP(ips, "same"));
  assert.equal(ips.size, 50);
  for (const ip of ips) assert.ok(inRange(ip) && ip !== "10.96.0.0" && ip !== "10.96.0.1", ip);
});

test("headless, ExternalName and already-addressed Services keep what they have", () => {
  assert.equal(
    allocatedSpec(svc("ext", { type: "ExternalName", externalName: "example.com" }), takenBy([])),
    undefined,
  );
  assert.equal(allocatedSpec(svc("set", { type: "ClusterIP", clusterIP: "10.96.5.5" }), takenBy([])), undefined);
  const headless = allocatedSpec(
    svc("db", { type: "ClusterIP", clusterIP: "None", ports: [{ port: 80 }] }),
    takenBy([]),
  );
  assert.equal(headless?.clusterIP, "None", "a headless Service gets no address");
  assert.deepEqual(headless?.clusterIPs, ["None"]);
  const complete = svc("db", { type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"] });
  assert.equal(allocatedSpec(complete, takenBy([])), undefined);
});

test("NodePort Services get node ports from 30000-32767, distinct from those in use", () => {
  const existing = svc("a", { type: "NodePort", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30080 }] });
  const spec = allocatedSpec(
    svc("b", {
      type: "NodePort",
      ports: [
        { name: "http", port: 80 },
        { name: "https", port: 443 },
      ],
    }),
    takenBy([existing]),
  );
  const ports = ((spec?.ports as JsonRecord[] | undefined) ?? []).map((p) => Number(p.nodePort));
  assert.equal(ports.length, 2);
  for (const p of ports) assert.ok(p >= 30000 && p <= 32767 && p !== 30080, String(p));
  assert.notEqual(ports[0], ports[1]);
  assert.notEqual(spec?.clusterIP, "10.96.0.10");
});
