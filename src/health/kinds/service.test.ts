import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { serviceHealth } from "./service.js";

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "s" },
  spec,
  status,
});

test("only type LoadBalancer waits for an address", () => {
  assert.equal(serviceHealth(svc({ type: "LoadBalancer" }, { loadBalancer: {} })).status, "Progressing");
  assert.equal(
    serviceHealth(svc({ type: "LoadBalancer" }, { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } }))
      .message,
    "Load balancer ready at lb.example.com",
  );
  assert.equal(serviceHealth(svc({ type: "NodePort", clusterIP: "10.96.0.9" })).status, "Healthy");
  assert.equal(
    serviceHealth(svc({ type: "ExternalName", externalName: "db.example.com" })).message,
    "ExternalName Service for db.example.com",
  );
  assert.equal(serviceHealth(svc({ clusterIP: "None" })).message, "Headless Service");
});

test("an ingress entry with neither ip nor hostname is no address", () => {
  assert.equal(
    serviceHealth(svc({ type: "LoadBalancer" }, { loadBalancer: { ingress: [{ ip: "" }, {}] } })).status,
    "Progressing",
  );
});
