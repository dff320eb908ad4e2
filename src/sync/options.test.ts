import assert from "node:assert/strict";
import { test } from "node:test";
import {
  appOptionProblems,
  appSyncOptions,
  parseCompareOptions,
  parseSyncOptions,
  resolveSyncOptions,
  SYNC_OPTIONS,
} from "./options.js";

test("defaults: prune and delete allowed, server-side apply, validation on, background propagation", () => {
  assert.deepEqual(resolveSyncOptions({}), {
    prune: true,
    delete: true,
    replace: false,
    serverSideApply: true,
    pruneLast: false,
    failOnSharedResource: true,
    skipDryRunOnMissingResource: false,
    validate: true,
    createNamespace: false,
    applyOutOfSyncOnly: false,
    respectIgnoreDifferences: false,
    prunePropagationPolicy: "background",
  });
});

test("an object's setting wins over the Application's, in both directions", () => {
  const app = appSyncOptions(["ServerSideApply=false", "Prune=false", "PruneLast=true"]);
  const resolved = resolveSyncOptions(app, parseSyncOptions(["ServerSideApply=true"], "object").settings);
  assert.deepEqual([resolved.serverSideApply, resolved.prune, resolved.pruneLast], [true, false, true]);
});

test("every known option with every value it takes parses where it may be set", () => {
  for (const [name, spec] of Object.entries(SYNC_OPTIONS))
    for (const value of spec.values) {
      assert.deepEqual(parseSyncOptions([`${name}=${value}`], "app").problems, [], `${name}=${value}`);
      const onObject = parseSyncOptions([` ${name} = ${value} `], "object").problems;
      assert.equal(onObject.length, spec.scope === "app" ? 1 : 0, `${name}=${value} on an object`);
    }
});

test("each bad item of the Application's list is a problem naming its index and what is wrong", () => {
  const { settings, problems } = parseSyncOptions(
    [
      "CreateNamespace=true",
      "Replace=maybe",
      "Frobnicate=true",
      "Force=true",
      "Prune=confirm",
      "FailOnSharedResource=false",
      "PruneLast",
    ],
    "app",
  );
  assert.deepEqual(settings, { CreateNamespace: "true" });
  assert.deepEqual(appOptionProblems(problems), [
    'spec.syncPolicy.syncOptions[1] "Replace=maybe": Replace=maybe: the value is one of true, false',
    `spec.syncPolicy.syncOptions[2] "Frobnicate=true": unknown sync option "Frobnicate" (known: ${Object.keys(SYNC_OPTIONS).join(", ")})`,
    'spec.syncPolicy.syncOptions[3] "Force=true": Force is an Argo CD option bosun does not support: bosun never deletes and recreates an object to sync it; delete it by hand, or change its name',
    'spec.syncPolicy.syncOptions[4] "Prune=confirm": Prune=confirm: bosun has no prune confirmation; use Prune=false and delete it by hand',
    'spec.syncPolicy.syncOptions[5] "FailOnSharedResource=false": FailOnSharedResource=false: bosun never writes an object another Application tracks, whatever this option says',
    'spec.syncPolicy.syncOptions[6] "PruneLast": "PruneLast" is not Key=value (PruneLast=true|false)',
  ]);
  assert.throws(
    () => appSyncOptions(["Validate=no"]),
    /syncOptions\[0\] "Validate=no": Validate=no: the value is one of true, false/,
  );
});

test("option values are case-sensitive, as Argo CD reads them", () => {
  assert.equal(parseSyncOptions(["Replace=True"], "object").problems.length, 1);
  assert.equal(parseSyncOptions(["replace=true"], "object").problems.length, 1);
  assert.equal(parseSyncOptions(["PrunePropagationPolicy=Foreground"], "app").problems.length, 1);
});

test("compare options: IgnoreExtraneous is a flag; ServerSideDiff and IncludeMutationWebhook take true or false", () => {
  assert.deepEqual(parseCompareOptions(["IgnoreExtraneous"]), { options: { ignoreExtraneous: true }, problems: [] });
  assert.deepEqual(parseCompareOptions(["ServerSideDiff=false", "IncludeMutationWebhook=true"]), {
    options: { ignoreExtraneous: false },
    problems: [],
  });
  assert.deepEqual(
    parseCompareOptions(["IgnoreExtraneous=true", "ServerSideDiff", "IgnoreNeedsPruning"]).problems.map(
      (p) => p.problem,
    ),
    [
      "IgnoreExtraneous takes no value",
      '"ServerSideDiff" is not Key=value (ServerSideDiff=true|false)',
      'unknown compare option "IgnoreNeedsPruning" (known: IgnoreExtraneous, ServerSideDiff, IncludeMutationWebhook)',
    ],
  );
});
