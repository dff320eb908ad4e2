// Everything survives a restart on the same data directory: objects, custom resources of stored CRDs,
// the resourceVersion sequence, the event log, the token and certificate in the kubeconfig.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startEmbeddedServer } from "../../src/embedded/index.js";
import { runKubectl } from "./embedded-fixture.js";
import { at, raw, watchLines } from "./raw-http.js";

test("objects, CRDs and their resources, versions and the watch log survive a restart", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bosun-embedded-restart-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await startEmbeddedServer({ dataDir: dir });
  let firstClosed = false;
  t.after(async () => {
    if (!firstClosed) await first.close();
  });
  await raw(first, "POST", "/api/v1/namespaces/default/configmaps", {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kept" }, data: { a: "1" } },
  });
  await raw(first, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
    body: {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "notes.example.com" },
      spec: {
        group: "example.com",
        scope: "Namespaced",
        names: { plural: "notes", kind: "Note" },
        versions: [{ name: "v1", served: true, storage: true }],
      },
    },
  });
  const note = await raw(first, "POST", "/apis/example.com/v1/namespaces/default/notes", {
    body: { apiVersion: "example.com/v1", kind: "Note", metadata: { name: "n" }, spec: { text: "hi" } },
  });
  assert.equal(note.code, 201);
  const noteVersion = String(at(note.body, "metadata.resourceVersion"));
  await raw(first, "PATCH", "/apis/example.com/v1/namespaces/default/notes/n", {
    body: { spec: { text: "changed" } },
    contentType: "application/merge-patch+json",
  });
  const revisionBefore = first.store.revision();
  const kubeconfig = readFileSync(first.kubeconfigPath, "utf8");
  await first.close();
  firstClosed = true;

  const second = await startEmbeddedServer({ dataDir: dir, port: 0 });
  t.after(() => second.close());
  assert.equal(second.store.revision(), revisionBefore);
  assert.equal(second.token, first.token, "the kubeconfig's token stays valid");
  assert.equal(second.certificate, first.certificate, "and so does its certificate");
  assert.equal(readFileSync(second.kubeconfigPath, "utf8"), kubeconfig.replace(`:${first.port}`, `:${second.port}`));
  const kept = await raw(second, "GET", "/api/v1/namespaces/default/configmaps/kept");
  assert.equal(at(kept.body, "data.a"), "1");
  const n = await raw(second, "GET", "/apis/example.com/v1/namespaces/default/notes/n");
  assert.equal(at(n.body, "spec.text"), "changed", "the CRD is served again after the restart");
  const replay = await watchLines(
    second,
    `/apis/example.com/v1/namespaces/default/notes?watch=true&resourceVersion=${noteVersion}`,
    (e) => e.length === 1,
  );
  assert.equal(replay[0]?.type, "MODIFIED", "the event log survived");
  const next = await raw(second, "POST", "/api/v1/namespaces/default/configmaps", {
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new" } },
  });
  assert.equal(
    Number(at(next.body, "metadata.resourceVersion")),
    revisionBefore + 1,
    "versions continue where they stopped",
  );
  const k = await runKubectl(second.kubeconfigPath, join(dir, "kubectl-cache"), ["get", "notes", "-o", "name"]);
  assert.equal(k.stdout, "note.example.com/n\n");
});
