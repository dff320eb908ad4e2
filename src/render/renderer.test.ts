// The renderer's own logic, without the real tools: a fake kustomize (a runner that prints fixed YAML) and
// plain directories in temporary folders.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../api/index.js";
import { PathEscapeError, RenderError, ToolFailedError } from "./errors.js";
import { Renderer } from "./renderer.js";
import type { ToolInvocation, ToolOutput } from "./tool-runner.js";
import type { RenderRequest } from "./types.js";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "bosun-renderer-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

const signal = AbortSignal.timeout(30_000);
const app = { name: "guestbook", namespace: "bosun" };
const COMMIT = "c".repeat(40);

function request(repoRoot: string, path: string, extra: Partial<RenderRequest> = {}): RenderRequest {
  return { repoRoot, path, source: {}, app, destinationNamespace: "web", signal, ...extra };
}

const parse = (text: string): { resources: unknown[] } & Record<string, unknown> =>
  parseYaml(text) as { resources: unknown[] } & Record<string, unknown>;

const KUSTOMIZE_OUTPUT = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-fake-kustomize\n";

/** A kustomize stand-in that counts its runs and answers from a list (the last answer repeats). */
function fakeKustomize(answers: ToolOutput[] = [{ exitCode: 0, stdout: KUSTOMIZE_OUTPUT, stderr: "" }]) {
  const calls: ToolInvocation[] = [];
  const runTool = async (invocation: ToolInvocation): Promise<ToolOutput> => {
    calls.push(invocation);
    await new Promise((r) => setTimeout(r, 5));
    invocation.signal.throwIfAborted();
    return answers[Math.min(calls.length - 1, answers.length - 1)] as ToolOutput;
  };
  return { calls, runTool };
}

const kustomizationRepo = (): Promise<string> =>
  tree({ "app/kustomization.yaml": "resources: [cm.yaml]\n", "app/cm.yaml": KUSTOMIZE_OUTPUT });

test("the decryption hook sees every object with its file, between render and post-processing", async () => {
  const root = await tree({
    "app/secret.yaml":
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ENC[cGFzc3dvcmQ=]\n",
    "app/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n",
  });
  const seen: Array<[string | undefined, string | undefined]> = [];
  const decrypt = async ({ file, object }: { file?: string; object: KubeObject }): Promise<KubeObject> => {
    seen.push([file, object.metadata.annotations?.["bosun.dev/tracking-id"]]);
    const data = object.stringData as Record<string, string> | undefined;
    if (data === undefined) return object;
    const plain = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(/^ENC\[(.*)\]$/.exec(v)?.[1] ?? "", "base64").toString()]),
    );
    return { ...object, stringData: plain };
  };
  const renderer = new Renderer();
  const result = await renderer.render(request(root, "app", { decrypt, commit: COMMIT }));
  assert.deepEqual(seen, [
    ["app/config.yaml", undefined],
    ["app/secret.yaml", undefined],
  ]);
  const secret = result.objects.find((o) => o.kind === "Secret");
  assert.deepEqual(secret?.stringData, { password: "password" });
  assert.equal(secret?.metadata.annotations?.["bosun.dev/tracking-id"], "bosun/guestbook:/Secret:web/db");
  // From the cache, the hook runs again on the stored (still encrypted) output.
  const inputs: unknown[] = [];
  const again = await renderer.render(
    request(root, "app", {
      commit: COMMIT,
      decrypt: async (d) => {
        inputs.push(structuredClone(d.object.stringData));
        return await decrypt(d);
      },
    }),
  );
  assert.equal(again.fromCache, true);
  assert.deepEqual(inputs, [undefined, { password: "ENC[cGFzc3dvcmQ=]" }]);
});

test("the decryption hook gets every document of a multi-document file, in order, with its index", async () => {
  const root = await tree({
    "app/both.yaml":
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n",
    "app/one.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
  });
  const seen: Array<[string, number | undefined, string[] | undefined]> = [];
  await new Renderer().render(
    request(root, "app", {
      decrypt: async ({ object, fileDocuments, index }) => {
        seen.push([object.metadata.name ?? "", index, fileDocuments?.map((d) => d.metadata.name ?? "")]);
        if (index !== undefined) assert.equal(fileDocuments?.[index], object, "the object is the one at its index");
        return object;
      },
    }),
  );
  assert.deepEqual(
    seen.sort((x, y) => x[0].localeCompare(y[0])),
    [
      ["a", 0, ["a", "b"]],
      ["b", 1, ["a", "b"]],
      ["c", undefined, undefined],
    ],
  );
});

test("a SOPS-encrypted object in an Application without decryption fails the render, naming the file", async () => {
  const root = await tree({
    "app/plain.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n",
    "app/db.yaml": [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "stringData:",
      "  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]",
      "sops:",
      "  mac: ENC[AES256_GCM,data:eA==,iv:eQ==,tag:eg==,type:str]",
      "  lastmodified: '2026-01-01T00:00:00Z'",
      "  version: 3.13.2",
      "",
    ].join("\n"),
  });
  const renderer = new Renderer({});
  await assert.rejects(renderer.render(request(root, "app")), (e: unknown) => {
    assert.ok(e instanceof RenderError);
    assert.equal(e.file, "app/db.yaml");
    assert.match(
      e.message,
      /^app\/db.yaml: Secret\/db is SOPS-encrypted, but the Application configures no decryption/,
    );
    return true;
  });
});

test("a failing decryptor fails the render, naming the object and its file", async () => {
  const root = await tree({ "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n" });
  await assert.rejects(
    new Renderer().render(
      request(root, ".", {
        decrypt: async () => {
          throw new Error("no key can decrypt it");
        },
      }),
    ),
    (e: unknown) =>
      e instanceof RenderError && e.file === "s.yaml" && /decryption of Secret\/db failed: no key/.test(e.message),
  );
  await assert.rejects(
    new Renderer().render(request(root, ".", { decrypt: async () => ({ nope: true }) as unknown as KubeObject })),
    /did not return a Kubernetes object/,
  );
});

test("the same inputs render once: memory, then disk for a new renderer; no commit means no cache", async () => {
  const root = await kustomizationRepo();
  const cacheDir = join(await tree({}), "cache");
  const fake = fakeKustomize();
  const first = new Renderer({ runTool: fake.runTool, cacheDir });
  const a = await first.render(request(root, "app", { commit: COMMIT }));
  const b = await first.render(request(root, "app", { commit: COMMIT }));
  assert.deepEqual([a.fromCache, b.fromCache, fake.calls.length], [false, true, 1]);
  assert.deepEqual(b.objects, a.objects);
  const restarted = new Renderer({ runTool: fake.runTool, cacheDir });
  const c = await restarted.render(request(root, "app", { commit: COMMIT }));
  assert.deepEqual([c.fromCache, fake.calls.length], [true, 1]);
  assert.deepEqual(c.objects, a.objects);
  await restarted.render(request(root, "app", { commit: "d".repeat(40) }));
  assert.equal(fake.calls.length, 2, "another commit renders");
  await restarted.render(request(root, "app", { commit: COMMIT, source: { kustomize: { namePrefix: "x-" } } }));
  assert.equal(fake.calls.length, 3, "another spec renders");
  await restarted.render(request(root, "app"));
  await restarted.render(request(root, "app"));
  assert.equal(fake.calls.length, 5, "without a commit every render runs the tool");
});

test("the caller's objects are copies: changing them does not change the cache", async () => {
  const root = await kustomizationRepo();
  const renderer = new Renderer({ runTool: fakeKustomize().runTool });
  const a = await renderer.render(request(root, "app", { commit: COMMIT }));
  (a.objects[0] as KubeObject).metadata.name = "changed";
  const b = await renderer.render(request(root, "app", { commit: COMMIT }));
  assert.equal(b.objects[0]?.metadata.name, "from-fake-kustomize");
});

test("a failed render is not cached", async () => {
  const root = await kustomizationRepo();
  const fake = fakeKustomize([
    { exitCode: 1, stdout: "", stderr: "Error: boom" },
    { exitCode: 0, stdout: KUSTOMIZE_OUTPUT, stderr: "" },
  ]);
  const renderer = new Renderer({ runTool: fake.runTool });
  await assert.rejects(
    renderer.render(request(root, "app", { commit: COMMIT })),
    (e: unknown) =>
      e instanceof ToolFailedError && e.message === "app/kustomization.yaml: kustomize build failed: boom",
  );
  const ok = await renderer.render(request(root, "app", { commit: COMMIT }));
  assert.deepEqual([ok.fromCache, fake.calls.length], [false, 2]);
});

test("concurrent renders of the same inputs share one run; one caller giving up does not stop the other", async () => {
  const root = await kustomizationRepo();
  const fake = fakeKustomize();
  const renderer = new Renderer({ runTool: fake.runTool });
  const quitter = new AbortController();
  const results = await Promise.allSettled([
    renderer.render(request(root, "app", { commit: COMMIT })),
    renderer.render(request(root, "app", { commit: COMMIT, signal: quitter.signal })),
    renderer.render(request(root, "app", { commit: COMMIT })),
  ]);
  quitter.abort();
  assert.equal(fake.calls.length, 1);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "fulfilled", "fulfilled"],
  );
  const fake2 = fakeKustomize();
  const second = new Renderer({ runTool: fake2.runTool });
  const ac = new AbortController();
  const pending = [
    second.render(request(root, "app", { commit: COMMIT, signal: ac.signal })),
    second.render(request(root, "app", { commit: COMMIT })),
  ];
  setTimeout(() => ac.abort(new Error("gave up")), 1);
  const [gaveUp, kept] = await Promise.allSettled(pending);
  assert.equal(gaveUp?.status, "rejected");
  assert.equal(kept?.status, "fulfilled");
  assert.equal(fake2.calls.length, 1);
  assert.equal(fake2.calls[0]?.signal.aborted, false);
});

test("a render with remote bases (allowed) is never cached, since the commit does not pin it", async () => {
  const root = await tree({
    "app/kustomization.yaml": "resources:\n  - https://git.example/org/repo//base?ref=main\n  - cm.yaml\n",
    "app/cm.yaml": KUSTOMIZE_OUTPUT,
  });
  const fake = fakeKustomize();
  const renderer = new Renderer({ runTool: fake.runTool });
  const spec = { kustomize: { allowRemoteBases: true } };
  await renderer.render(request(root, "app", { commit: COMMIT, source: spec }));
  const again = await renderer.render(request(root, "app", { commit: COMMIT, source: spec }));
  assert.deepEqual([again.fromCache, fake.calls.length], [false, 2]);
});

test("overrides go through a generated overlay outside the repository that names the app directory", async () => {
  const root = await kustomizationRepo();
  const fake = fakeKustomize();
  await new Renderer({ runTool: fake.runTool }).render(
    request(root, "app", { source: { kustomize: { images: ["web=web:2"] } } }),
  );
  const [call] = fake.calls;
  assert.equal(call?.args[0], "build");
  const target = call?.args[1] ?? "";
  assert.ok(!target.startsWith(root), `the overlay ${target} is outside the repository`);
  assert.equal(call?.tool, "kustomize");
  const plain = fakeKustomize();
  await new Renderer({ runTool: plain.runTool }).render(request(root, "app"));
  assert.deepEqual(plain.calls[0]?.args, ["build", join(root, "app")]);
});

test("the overlay holds the overrides; a file patch is read (inside the repository) and inlined", async () => {
  const root = await tree({
    "app/kustomization.yaml": "resources: [cm.yaml]\n",
    "app/cm.yaml": KUSTOMIZE_OUTPUT,
    "patches/replicas.yaml": "- op: add\n  path: /data\n  value: {a: b}\n",
  });
  let overlay = "";
  const renderer = new Renderer({
    runTool: async (invocation) => {
      overlay = await readFile(join(invocation.args[1] ?? "", "kustomization.yaml"), "utf8");
      return { exitCode: 0, stdout: KUSTOMIZE_OUTPUT, stderr: "" };
    },
  });
  await renderer.render(
    request(root, "app", {
      source: {
        kustomize: {
          namePrefix: "p-",
          patches: [{ path: "../patches/replicas.yaml", target: { kind: "ConfigMap" } }],
        },
      },
    }),
  );
  assert.deepEqual(parse(overlay), {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [parse(overlay).resources[0]],
    namePrefix: "p-",
    patches: [{ patch: "- op: add\n  path: /data\n  value: {a: b}\n", target: { kind: "ConfigMap" } }],
  });
  assert.match(String(parse(overlay).resources[0]), /^(\.\.\/)+.*\/app$/, "a relative path to the app directory");
  await assert.rejects(
    renderer.render(request(root, "app", { source: { kustomize: { patches: [{ path: "../../../etc/passwd" }] } } })),
    PathEscapeError,
  );
});

test("the app path must stay inside the repository", async () => {
  const outside = await tree({ "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" });
  const root = await tree({ "apps/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n" });
  await symlink(outside, join(root, "apps", "linked"));
  const renderer = new Renderer();
  for (const path of ["../", "apps/../../x", "/etc", "apps/linked"]) {
    await assert.rejects(renderer.render(request(root, path)), PathEscapeError, path);
  }
  await assert.rejects(renderer.render(request(root, "apps/missing")), /app path "apps\/missing" does not exist/);
  await assert.rejects(renderer.render(request(root, "apps/ok.yaml")), /is not a directory/);
  const ok = await renderer.render(request(root, "apps/../apps"));
  assert.deepEqual(
    ok.objects.map((o) => o.metadata.name),
    ["ok"],
  );
});

test("at most one of directory, kustomize, helm; an explicit choice overrides detection", async () => {
  const root = await kustomizationRepo();
  await assert.rejects(
    new Renderer().render(request(root, "app", { source: { helm: {}, kustomize: {} } })),
    /sets kustomize and helm: set at most one/,
  );
  const fake = fakeKustomize();
  const renderer = new Renderer({ runTool: fake.runTool });
  await assert.rejects(
    renderer.render(request(root, "app", { source: { directory: {} } })),
    /app\/kustomization\.yaml:1: document 1 has no apiVersion/,
    "read as plain manifests, the kustomization is a bad document",
  );
  const asDirectory = await renderer.render(
    request(root, "app", { source: { directory: { exclude: "kustomization.yaml" } } }),
  );
  assert.equal(asDirectory.tool, "directory");
  assert.equal(fake.calls.length, 0);
  assert.deepEqual(
    asDirectory.objects.map((o) => o.metadata.name),
    ["from-fake-kustomize"],
  );
});
