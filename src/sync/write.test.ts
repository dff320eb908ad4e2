import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { ApiError, type ApplyResult, ObjectError } from "../cluster/index.js";
import { withLastApplied } from "./client-side-apply.js";
import { resolveSyncOptions } from "./options.js";
import type { Applier } from "./ports.js";
import { dryRunObject } from "./write.js";

const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "cfg", namespace: "app" },
  data,
});

/** An applier that records calls; server-side apply is refused with `applyRefusal` when set. */
function applier(applyRefusal?: number) {
  const calls: string[] = [];
  const answer = (verb: string, obj: KubeObject): ApplyResult => {
    calls.push(verb);
    return { object: { ...obj, metadata: { ...obj.metadata, annotations: { by: verb } } }, created: false };
  };
  const fake: Applier = {
    async apply(obj) {
      if (applyRefusal) {
        calls.push("apply refused");
        throw new ObjectError({ group: "", kind: "ConfigMap", namespace: "app", name: "cfg" }, "apply failed", {
          cause: new ApiError(applyRefusal, "Invalid", "PATCH", "/", 'duplicate entries for key [name="A"]'),
        });
      }
      return answer("apply", obj);
    },
    replace: async (obj) => answer("replace", obj),
    create: async (obj) => answer("create", obj),
    mergePatch: async (_addr, patch) => answer("patch", { ...cm({}), ...(patch as object) }),
  };
  return { fake, calls };
}

const signal = AbortSignal.timeout(5000);

test("Replace=true compares through a server-side apply dry run; a replace dry run only when that is refused outright", async () => {
  const options = resolveSyncOptions({ Replace: "true" });
  const live = cm({ a: "1" });
  const ok = applier();
  assert.equal(
    (await dryRunObject(ok.fake, { object: cm({ a: "2" }), options, live, signal })).metadata.annotations?.by,
    "apply",
  );
  const refused = applier(422);
  const dry = await dryRunObject(refused.fake, { object: cm({ a: "2" }), options, live, signal });
  assert.deepEqual([refused.calls, dry.metadata.annotations?.by], [["apply refused", "replace"], "replace"]);
  const plain = applier(422);
  await assert.rejects(
    dryRunObject(plain.fake, { object: cm({ a: "2" }), options: resolveSyncOptions({}), live, signal }),
    /apply failed/,
    "without Replace=true the refusal stands",
  );
  const down = applier(500);
  await assert.rejects(dryRunObject(down.fake, { object: cm({ a: "2" }), options, live, signal }), /apply failed/);
});

test("client-side apply dry-runs its merge patch, and nothing when there is nothing to write", async () => {
  const options = resolveSyncOptions({ ServerSideApply: "false" });
  const desired = cm({ a: "1" });
  const same = applier();
  const live = {
    ...withLastApplied(desired),
    metadata: { ...withLastApplied(desired).metadata, resourceVersion: "3" },
  };
  assert.equal(await dryRunObject(same.fake, { object: desired, options, live, signal }), live);
  assert.deepEqual(same.calls, []);
  const changed = applier();
  await dryRunObject(changed.fake, { object: cm({ a: "2" }), options, live, signal });
  assert.deepEqual(changed.calls, ["patch"]);
});
