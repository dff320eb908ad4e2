// events.k8s.io/v1 Events are core/v1 Events under other names: kube-apiserver stores both in one place and
// converts on the way in and out. The renamed fields, each core/v1 name → its events.k8s.io/v1 name; every
// other field (eventTime, series, related, action, reason, type, reportingInstance, metadata) is shared.
import type { KubeObject } from "../../api/index.js";

const RENAMED: ReadonlyArray<readonly [core: string, events: string]> = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["source", "deprecatedSource"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
  ["reportingComponent", "reportingController"],
];

/** events.k8s.io/v1 fields Go leaves out when empty (`omitempty`), which core/v1 writes as "". */
const OMITTED_WHEN_EMPTY = new Set(["reportingController", "reportingInstance"]);

function rename(obj: KubeObject, pairs: ReadonlyArray<readonly [from: string, to: string]>): KubeObject {
  const out: Record<string, unknown> = {};
  const names = new Map(pairs);
  for (const [field, value] of Object.entries(obj)) {
    const to = names.get(field);
    if (to !== undefined) out[to] = value;
    // A field of the other shape with no place in this one (a core name sent to events.k8s.io) is dropped,
    // as Go's decoding into the other type drops it.
    else if (!pairs.some(([, target]) => target === field)) out[field] = value;
  }
  return out as KubeObject;
}

/** A stored (core/v1) Event as events.k8s.io/v1 serves it. */
export function eventsV1FromCore(stored: KubeObject): KubeObject {
  const served = rename(stored, RENAMED) as KubeObject & Record<string, unknown>;
  for (const field of OMITTED_WHEN_EMPTY) if (served[field] === "") delete served[field];
  return served;
}

/** An events.k8s.io/v1 Event as it is stored (core/v1). */
export function eventsV1ToCore(served: KubeObject): KubeObject {
  return rename(
    served,
    RENAMED.map(([core, events]) => [events, core] as const),
  );
}
