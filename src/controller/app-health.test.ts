import assert from "node:assert/strict";
import { test } from "node:test";
import type { Application, KubeObject } from "../api/index.js";
import { appHealth } from "./app-health.js";

const app = (spec: Partial<Application["spec"]> = {}): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun" },
  spec: { source: { repoURL: "https://git.example/x.git" }, destination: { namespace: "shop" }, ...spec },
});

const failedWidget: KubeObject = {
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "shop" },
  status: { phase: "Failed" },
};

test("an Application's health checks judge the kinds they name; without them the built-in rules do", () => {
  const check = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    current: "false",
    failed: 'self.status.phase == "Failed"',
  };
  assert.equal(appHealth(app({ healthChecks: [check] }))(failedWidget).status, "Degraded");
  assert.equal(appHealth(app())(failedWidget).status, "Healthy", "no check: it exists and nothing says otherwise");
  assert.equal(appHealth(app({ healthChecks: [check] }))(undefined).status, "Missing");
});

test("a check that does not compile is left out rather than failing every health verdict", () => {
  const bad = { apiVersion: "example.com/v1", kind: "Widget", current: "self.status.phase ==" };
  assert.equal(appHealth(app({ healthChecks: [bad] }))(failedWidget).status, "Healthy");
});
