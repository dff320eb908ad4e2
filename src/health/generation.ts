// Second rule: a status that describes an older generation of the spec says nothing about the current one.
import type { Health, KubeObject } from "../api/index.js";
import { num } from "./fields.js";
import { progressing } from "./rule.js";

export interface GenerationOptions {
  /**
   * The kind's controller always writes status.observedGeneration, so its absence means the controller
   * has not seen the object yet. Without this, a missing observedGeneration means the kind does not
   * track generations and the check is skipped.
   */
  tracksGeneration: boolean;
}

/** Progressing while metadata.generation is ahead of status.observedGeneration; undefined otherwise. */
export function generationHealth(obj: KubeObject, options: GenerationOptions): Health | undefined {
  const generation = num(obj, "metadata", "generation");
  if (generation === undefined) return undefined;
  const observed = num(obj, "status", "observedGeneration");
  if (observed === undefined) {
    if (!options.tracksGeneration) return undefined;
    return progressing(`Waiting for the ${obj.kind} controller to observe generation ${generation} (no status yet)`);
  }
  if (generation <= observed) return undefined;
  return progressing(
    `Waiting for the ${obj.kind} controller to observe generation ${generation} (status describes generation ${observed})`,
  );
}
