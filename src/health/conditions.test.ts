// The generic conditions rule (kstatus conventions) on its own.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { HealthStatus, KubeObject } from "../api/index.js";
import { conditionsHealth } from "./conditions.js";

type Cond = { type: string; status: string; reason?: string; message?: string; observedGeneration?: number };

const widget = (conditions: Cond[] | undefined, generation?: number): KubeObject => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", generation },
  status: conditions === undefined ? {} : { conditions },
});

const cases: Array<{
  name: string;
  conditions: Cond[] | undefined;
  generation?: number;
  want: HealthStatus | undefined;
  message?: RegExp;
}> = [
  { name: "no status conditions: no verdict", conditions: undefined, want: undefined },
  { name: "an empty list: no verdict", conditions: [], want: undefined },
  {
    name: "only conditions unrelated to health: no verdict",
    conditions: [{ type: "Synced", status: "True" }],
    want: undefined,
  },
  {
    name: "Ready=True is Healthy, with the controller's words",
    conditions: [{ type: "Ready", status: "True", reason: "Succeeded", message: "all good" }],
    want: "Healthy",
    message: /^Succeeded: all good$/,
  },
  {
    name: "Ready=True without reason or message",
    conditions: [{ type: "Ready", status: "True" }],
    want: "Healthy",
    message: /^Ready$/,
  },
  {
    name: "Ready=False alone is Progressing (not Degraded: see conditions.ts)",
    conditions: [{ type: "Ready", status: "False", reason: "DependencyNotReady", message: "waiting for infra" }],
    want: "Progressing",
    message: /^Ready=False: DependencyNotReady: waiting for infra$/,
  },
  {
    name: "Ready=Unknown is Progressing",
    conditions: [{ type: "Ready", status: "Unknown" }],
    want: "Progressing",
    message: /^Ready=Unknown$/,
  },
  {
    name: "Available stands in for Ready when there is no Ready",
    conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable" }],
    want: "Progressing",
    message: /Available=False: MinimumReplicasUnavailable/,
  },
  {
    name: "Ready wins over Available",
    conditions: [
      { type: "Available", status: "True" },
      { type: "Ready", status: "False", reason: "Waiting" },
    ],
    want: "Progressing",
  },
  {
    name: "Stalled=True is Degraded even when Ready=True",
    conditions: [
      { type: "Ready", status: "True" },
      { type: "Stalled", status: "True", reason: "InvalidSpec", message: "spec.size must be positive" },
    ],
    want: "Degraded",
    message: /^Stalled: InvalidSpec: spec\.size must be positive$/,
  },
  {
    name: "Stalled wins over Reconciling",
    conditions: [
      { type: "Reconciling", status: "True" },
      { type: "Stalled", status: "True" },
    ],
    want: "Degraded",
  },
  {
    name: "Reconciling=True is Progressing even when Ready=True",
    conditions: [
      { type: "Ready", status: "True" },
      { type: "Reconciling", status: "True", reason: "Progressing", message: "applying revision 7" },
    ],
    want: "Progressing",
    message: /^Reconciling: Progressing: applying revision 7$/,
  },
  {
    name: "Stalled=False and Reconciling=False say nothing; Ready decides",
    conditions: [
      { type: "Stalled", status: "False" },
      { type: "Reconciling", status: "False" },
      { type: "Ready", status: "True" },
    ],
    want: "Healthy",
  },
  {
    name: "a Ready condition about an older generation is Progressing",
    conditions: [{ type: "Ready", status: "True", observedGeneration: 2 }],
    generation: 3,
    want: "Progressing",
    message: /generation 3 \(the Ready condition describes generation 2\)/,
  },
  {
    name: "a Ready condition about the current generation counts",
    conditions: [{ type: "Ready", status: "True", observedGeneration: 3 }],
    generation: 3,
    want: "Healthy",
  },
];

for (const c of cases) {
  test(c.name, () => {
    const h = conditionsHealth(widget(c.conditions, c.generation));
    assert.equal(h?.status, c.want, h?.message);
    if (c.message) assert.match(h?.message ?? "", c.message);
  });
}

test("entries without a type are skipped, not fatal", () => {
  const obj: KubeObject = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: {},
    status: { conditions: [null, 5, { status: "True" }, { type: "Ready", status: "True" }] },
  };
  assert.equal(conditionsHealth(obj)?.status, "Healthy");
});
