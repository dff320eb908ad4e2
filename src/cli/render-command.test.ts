import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { type RenderCommandOptions, runRenderCommand, sourceSpecOf, UsageError } from "./render-command.js";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const base: RenderCommandOptions = { repo: ".", path: "." };

test("no tool flag: the tool is detected; helm and kustomize flags choose the tool", () => {
  assert.deepEqual(sourceSpecOf(base), {});
  assert.deepEqual(sourceSpecOf({ ...base, recurse: true }), { directory: { recurse: true } });
  assert.deepEqual(sourceSpecOf({ ...base, helmValues: ["a.yaml", "b.yaml"] }), {
    helm: { valueFiles: ["a.yaml", "b.yaml"] },
  });
  assert.deepEqual(sourceSpecOf({ ...base, releaseName: "web" }), { helm: { releaseName: "web", valueFiles: [] } });
  assert.deepEqual(sourceSpecOf({ ...base, kustomizeImage: ["web=registry/web:2"] }), {
    kustomize: { images: [{ name: "web", newName: "registry/web", newTag: "2" }] },
  });
});

test("contradicting flags and a bad image are usage errors", () => {
  assert.throws(() => sourceSpecOf({ ...base, kustomizeImage: ["a=b:1"], releaseName: "x" }), UsageError);
  assert.throws(() => sourceSpecOf({ ...base, recurse: true, helmValues: ["v.yaml"] }), UsageError);
  assert.throws(() => sourceSpecOf({ ...base, kustomizeImage: ["=x"] }), /--kustomize-image .*NAME=/);
});

test("runRenderCommand prints a YAML stream or a JSON List of a local directory", async () => {
  const repo = await mkdtemp(join(tmpdir(), "bosun-cli-render-"));
  dirs.push(repo);
  await mkdir(join(repo, "app"));
  await writeFile(
    join(repo, "app", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n",
  );
  let out = "";
  const context = {
    io: { out: (s: string) => (out += s), err: () => {} },
    signal: AbortSignal.timeout(10_000),
    cacheDir: repo,
  };
  const code = await runRenderCommand({ repo, path: "app", namespace: "web", appName: "demo" }, context);
  assert.equal(code, 0);
  const docs = parseAllDocuments(out).map((d) => d.toJS() as { kind: string; metadata: Record<string, unknown> });
  assert.deepEqual(
    docs.map((d) => [
      d.kind,
      d.metadata.namespace,
      (d.metadata.annotations as Record<string, string>)["bosun.dev/tracking-id"],
    ]),
    [
      ["ConfigMap", "web", "bosun/demo:/ConfigMap:web/a"],
      ["Namespace", undefined, "bosun/demo:/Namespace:/n"],
    ],
  );
  out = "";
  await runRenderCommand({ repo, path: "app", output: "json" }, context);
  const list = JSON.parse(out) as { kind: string; items: Array<{ metadata: { annotations: Record<string, string> } }> };
  assert.equal(list.kind, "List");
  assert.equal(list.items[0]?.metadata.annotations["bosun.dev/tracking-id"], "bosun/app:/ConfigMap:/a");
  await assert.rejects(runRenderCommand({ repo, path: "app", output: "table" }, context), UsageError);
  await assert.rejects(runRenderCommand({ repo, path: "app", revision: "main" }, context), UsageError);
  await assert.rejects(
    runRenderCommand({ repo, path: "app", releaseName: "web" }, context),
    (err: unknown) => err instanceof UsageError && /app has no Chart.yaml/.test(err.message),
    "--release-name on a plain directory is a usage error, not a render failure",
  );
});

test("YAML output marks hooks with what the agent does with them; Helm tests as never synced", async () => {
  const repo = await mkdtemp(join(tmpdir(), "bosun-cli-render-"));
  dirs.push(repo);
  await mkdir(join(repo, "app"));
  await writeFile(
    join(repo, "app", "all.yaml"),
    [
      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-upgrade\n    helm.sh/hook-weight: '-2'\n    helm.sh/hook-delete-policy: hook-succeeded",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain",
    ].join("\n---\n"),
  );
  let out = "";
  const context = {
    io: { out: (s: string) => (out += s), err: () => {} },
    signal: AbortSignal.timeout(10_000),
    cacheDir: repo,
  };
  await runRenderCommand({ repo, path: "app" }, context);
  const comments = out.split("\n").filter((l) => l.startsWith("# bosun:"));
  assert.deepEqual(comments, [
    "# bosun: hook PreSync, wave -2, delete policy HookSucceeded",
    "# bosun: hook not synced (never applied, counted or pruned)",
  ]);
  assert.equal(parseAllDocuments(out).length, 3, "every object is still printed");
});
