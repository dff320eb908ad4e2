import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject, ObjectRef } from "../api/index.js";
import { manifestsOf } from "./manifest-view.js";

const PASSWORD = "Heron-Teapot-5512";
const b64 = (s: string) => Buffer.from(s).toString("base64");

const secretRef: ObjectRef = { group: "", kind: "Secret", namespace: "shop", name: "db" };
const liveSecret: KubeObject = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: {
    name: "db",
    namespace: "shop",
    resourceVersion: "7",
    managedFields: [{ manager: "bosun", operation: "Apply", fieldsV1: { "f:data": { "f:password": {} } } }],
  },
  data: { password: b64(PASSWORD), user: b64("admin") },
};
const desiredSecret: KubeObject = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", namespace: "shop" },
  stringData: { password: PASSWORD, user: "root" },
};

const webRef: ObjectRef = { group: "apps", kind: "Deployment", namespace: "shop", name: "web" };
const web = (replicas: number, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", managedFields: [{ manager: "kubectl", operation: "Update" }] },
  spec: { replicas, ...extra },
});

function assertHidden(text: string | undefined, ...values: string[]) {
  for (const value of values) assert.equal(text?.includes(value), false, `${value} shows in:\n${text}`);
}

test("a Secret: placeholders on both sides, saying only which values differ; never a value, plain or base64", () => {
  const shown = manifestsOf({
    ref: secretRef,
    status: "OutOfSync",
    live: liveSecret,
    desired: desiredSecret,
    comparedDiff: "--- live/Secret/shop/db\n",
    sensitive: [],
  });
  assert.match(shown.live ?? "", /password: <secret>\n/, "the same value on both sides");
  assert.match(shown.live ?? "", /user: "?<secret: live value>"?\n/);
  assert.match(shown.desired ?? "", /user: "?<secret: desired value>"?\n/);
  assert.equal(shown.desired?.includes("stringData"), false, "stringData is folded into data, as the server does");
  for (const text of [shown.live, shown.desired])
    assertHidden(text, PASSWORD, b64(PASSWORD), "admin", b64("admin"), "root");
  assert.equal(shown.live?.includes("managedFields"), false);
  assert.match(shown.live ?? "", /resourceVersion: "7"/, "only managedFields are left out of the live object");
});

test("the diff of each status: none when Synced, the comparison's when OutOfSync, all added or all removed", () => {
  const synced = manifestsOf({ ref: webRef, status: "Synced", live: web(2), desired: web(2), sensitive: [] });
  assert.equal(synced.diff, "");
  assert.match(synced.live ?? "", /replicas: 2/);
  assert.match(synced.desired ?? "", /replicas: 2/);
  const outOfSync = manifestsOf({
    ref: webRef,
    status: "OutOfSync",
    live: web(3),
    desired: web(2),
    comparedDiff: "the comparison's own diff\n",
    sensitive: [],
  });
  assert.equal(outOfSync.diff, "the comparison's own diff\n");
  const missing = manifestsOf({ ref: webRef, status: "Missing", desired: web(2), sensitive: [] });
  assert.equal(missing.live, undefined);
  assert.match(
    missing.diff ?? "",
    /^--- live\/Deployment\.apps\/shop\/web\n\+\+\+ desired\/Deployment\.apps\/shop\/web\n/,
  );
  assert.match(missing.diff ?? "", /\n\+ {2}replicas: 2\n/);
  assert.doesNotMatch(missing.diff ?? "", /\n- /, "nothing removed");
  const extraneous = manifestsOf({
    ref: webRef,
    status: "Extraneous",
    live: web(4),
    note: "no longer in Git",
    sensitive: [],
  });
  assert.equal(extraneous.desired, undefined);
  assert.match(extraneous.diff ?? "", /\n- {2}replicas: 4\n/);
  assert.doesNotMatch(extraneous.diff ?? "", /managedFields/, "the diff is of normalised objects");
  assert.equal(extraneous.note, "no longer in Git");
  assert.equal(manifestsOf({ ref: webRef, status: "Unknown", live: web(1), sensitive: [] }).diff, undefined);
});

test("an object the cluster made: its live manifest only", () => {
  // As a list's items come: apiVersion and kind last.
  const pod = { metadata: { name: "web-1", namespace: "shop" }, spec: {}, apiVersion: "v1", kind: "Pod" } as KubeObject;
  const shown = manifestsOf({ ref: { ...webRef, kind: "Pod", group: "" }, status: "Child", live: pod, sensitive: [] });
  assert.deepEqual(Object.keys(shown).sort(), ["live", "status"]);
  assert.match(shown.live ?? "", /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
});

test("values from valuesFrom Secrets are masked in live, desired, diff and note", () => {
  const token = "tok-Kestrel-8841";
  const withToken = (replicas: number) =>
    web(replicas, { template: { spec: { containers: [{ env: [{ name: "TOKEN", value: token }] }] } } });
  const shown = manifestsOf({
    ref: webRef,
    status: "OutOfSync",
    live: withToken(3),
    desired: withToken(2),
    comparedDiff: `-  value: ${token}\n`,
    note: `refused: ${token}`,
    sensitive: [token],
  });
  for (const text of [shown.live, shown.desired, shown.diff, shown.note]) {
    assertHidden(text, token);
    assert.match(text ?? "", /<secret>/);
  }
});
