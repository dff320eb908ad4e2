import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";

/** kwok's own stages (shipped in its module, copied next to the kwok binary by `npm run tools`). */
const UPSTREAM_STAGES = [
  "node/fast/node-initialize.yaml",
  "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "pod/fast/pod-ready.yaml",
  "pod/fast/pod-complete.yaml",
  "pod/fast/pod-delete.yaml",
];

export const SIMULATE_ANNOTATION = "bosun.dev/simulate";

interface Stage {
  metadata: { name: string };
  spec: { selector?: { matchExpressions?: Array<Record<string, unknown>> } };
}

function readStages(file: string): Stage[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((doc) => doc.toJS() as Stage | null)
    .filter((s): s is Stage => s !== null);
}

/** One YAML stream of every stage the test cluster's kwok runs. */
export function stagesYaml(kwokStageDir: string): string {
  const stages = UPSTREAM_STAGES.flatMap((rel) => readStages(join(kwokStageDir, rel)));
  const podReady = stages.find((s) => s.metadata.name === "pod-ready");
  if (!podReady?.spec.selector?.matchExpressions)
    throw new Error(`kwok's pod-ready stage has no selector in ${kwokStageDir}`);
  podReady.spec.selector.matchExpressions.push({
    key: `.metadata.annotations["${SIMULATE_ANNOTATION}"]`,
    operator: "DoesNotExist",
  });
  stages.push(...readStages(new URL("./bosun-simulate-stages.yaml", import.meta.url).pathname));
  return stages.map((s) => stringify(s)).join("---\n");
}
