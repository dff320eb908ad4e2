import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { jobHealth } from "./job.js";

const job = (spec: Record<string, unknown>, conditions: Array<{ type: string; status: string }>): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "j" },
  spec,
  status: { conditions },
});

test("a finished Job keeps its verdict when it is suspended afterwards", () => {
  assert.equal(jobHealth(job({ suspend: true }, [{ type: "Complete", status: "True" }])).status, "Healthy");
  assert.equal(jobHealth(job({ suspend: true }, [{ type: "Failed", status: "True" }])).status, "Degraded");
});

test("conditions that are False say nothing", () => {
  const h = jobHealth(
    job({}, [
      { type: "Complete", status: "False" },
      { type: "Failed", status: "False" },
      { type: "Suspended", status: "False" },
    ]),
  );
  assert.equal(h.status, "Progressing");
});

test("spec.suspend decides Suspended, not the Suspended condition alone (it lags behind the spec)", () => {
  assert.equal(jobHealth(job({ suspend: false }, [{ type: "Suspended", status: "True" }])).status, "Progressing");
  assert.equal(jobHealth(job({ suspend: true }, [])).status, "Suspended");
});
