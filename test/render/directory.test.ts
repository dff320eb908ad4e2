// Plain-manifest directories: which files, in which order, what bosun adds; bad files and paths that leave
// the repository.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { PathEscapeError, RenderError, Renderer, type RenderRequest } from "../../src/render/index.js";
import { TempDirs } from "../source/git-fixture.js";
import { type FixtureRepo, fixtureRepo } from "./render-fixture.js";

const signal = AbortSignal.timeout(60_000);
const app = { name: "guestbook", namespace: "bosun" };

describe("directory sources", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let fixture: FixtureRepo;
  let outside: string;
  const renderer = new Renderer();
  const request = (path: string, extra: Partial<RenderRequest> = {}): RenderRequest => ({
    repoRoot: fixture.dir,
    path,
    source: {},
    app,
    destinationNamespace: "web",
    signal,
    ...extra,
  });
  const names = async (path: string, extra: Partial<RenderRequest> = {}): Promise<string[]> =>
    (await renderer.render(request(path, extra))).objects.map((o) => `${o.kind}/${o.metadata.name}`);

  before(async () => {
    const parent = await temp.make("bosun-directory-");
    outside = join(parent, "outside");
    await mkdir(join(outside, "dir"), { recursive: true });
    await writeFile(join(outside, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n");
    await writeFile(join(outside, "dir", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n");
    fixture = await fixtureRepo(
      temp,
      {
        plain: "directory-plain-manifests",
        malformed: "directory-malformed-yaml",
        kindless: "directory-document-without-kind",
        "link-inside": "directory-plain-manifests/app",
      },
      {
        dir: join(parent, "repo"),
        files: {
          "plain/.github/workflows/ci.yaml": "on: push\njobs: {}\n",
          "plain/.hidden.yaml": "not: a manifest\n",
          "links/real.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: real\n",
          "dir-link/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
        },
        symlinks: {
          "links/stolen.yaml": join(outside, "cm.yaml"),
          "links/alias.yaml": "real.yaml",
          "dir-link/escape": join(outside, "dir"),
        },
      },
    );
  });

  test("the top level only unless recursive; .yaml, .yml and .json; hidden files skipped", async () => {
    assert.deepEqual(await names("plain"), ["Namespace/guestbook"]);
    assert.deepEqual(await names("plain", { source: { directory: { recurse: true } } }), [
      "ConfigMap/guestbook-config",
      "Deployment/guestbook",
      "ClusterRole/guestbook-reader",
      "Service/guestbook",
      "Service/guestbook-admin",
      "ConfigMap/nested-config",
      "ConfigMap/excluded-config",
      "Namespace/guestbook",
    ]);
  });

  test("files come in sorted path order, each object with its file; Lists are flattened", async () => {
    const files: Array<string | undefined> = [];
    const spy = {
      decrypt: async (d: { file?: string; object: KubeObject }): Promise<KubeObject> => {
        files.push(d.file);
        return d.object;
      },
    };
    const first = await renderer.render(request("plain", { source: { directory: { recurse: true } }, ...spy }));
    assert.deepEqual(files, [
      "plain/app/deployment-and-config.yaml",
      "plain/app/deployment-and-config.yaml",
      "plain/app/role.json",
      "plain/app/services-list.yaml",
      "plain/app/services-list.yaml",
      "plain/extras/nested/nested-config.yml",
      "plain/extras/skipped-by-exclude.yaml",
      "plain/namespace.yaml",
    ]);
    const again = await renderer.render(request("plain", { source: { directory: { recurse: true } } }));
    assert.deepEqual(again.objects, first.objects, "the same input renders the same output");
    assert.equal(again.tool, "directory");
  });

  test("include and exclude globs", async () => {
    const recurse = (include?: string, exclude?: string) =>
      names("plain", {
        source: { directory: { recurse: true, ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) } },
      });
    assert.deepEqual(await recurse("*.json"), ["ClusterRole/guestbook-reader"]);
    assert.deepEqual(await recurse("extras/**"), ["ConfigMap/nested-config", "ConfigMap/excluded-config"]);
    assert.deepEqual(await recurse("extras/**", "skipped-by-*.yaml"), ["ConfigMap/nested-config"]);
    assert.deepEqual(await recurse("{namespace.yaml,app/role.json}"), [
      "ClusterRole/guestbook-reader",
      "Namespace/guestbook",
    ]);
  });

  test("namespaces and tracking ids: destination on namespaced objects without one, none on cluster-scoped", async () => {
    const { objects } = await renderer.render(request("plain", { source: { directory: { recurse: true } } }));
    const of = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
    assert.equal(of("ConfigMap", "guestbook-config")?.metadata.namespace, "web");
    assert.equal(of("Deployment", "guestbook")?.metadata.namespace, "explicit-namespace");
    assert.equal(of("Service", "guestbook-admin")?.metadata.namespace, "web");
    assert.equal("namespace" in (of("Namespace", "guestbook")?.metadata ?? {}), false);
    assert.equal(of("ClusterRole", "guestbook-reader")?.metadata.namespace, undefined);
    assert.deepEqual(
      objects.map((o) => o.metadata.annotations?.["bosun.dev/tracking-id"]),
      [
        "bosun/guestbook:/ConfigMap:web/guestbook-config",
        "bosun/guestbook:apps/Deployment:explicit-namespace/guestbook",
        "bosun/guestbook:rbac.authorization.k8s.io/ClusterRole:/guestbook-reader",
        "bosun/guestbook:/Service:web/guestbook",
        "bosun/guestbook:/Service:web/guestbook-admin",
        "bosun/guestbook:/ConfigMap:web/nested-config",
        "bosun/guestbook:/ConfigMap:web/excluded-config",
        "bosun/guestbook:/Namespace:/guestbook",
      ],
    );
  });

  test("malformed YAML fails the whole render, naming the file and the line", async () => {
    await assert.rejects(renderer.render(request("malformed")), (e: unknown) => {
      assert.ok(e instanceof RenderError);
      assert.equal(e.file, "malformed/malformed.yaml");
      assert.equal(e.line, 7);
      assert.match(e.message, /^malformed\/malformed\.yaml:7: YAML syntax error: /);
      return true;
    });
  });

  test("a document without kind fails the render, naming the file and the document's line", async () => {
    await assert.rejects(renderer.render(request("kindless")), (e: unknown) => {
      assert.ok(e instanceof RenderError);
      assert.equal(e.message, "kindless/config.yaml:6: document 2 has no kind");
      return true;
    });
  });

  test("a symlink out of the repository is an error, for a file and for a directory; inside, it is followed", async () => {
    await assert.rejects(renderer.render(request("links")), (e: unknown) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.file, "links/stolen.yaml");
      assert.match(e.message, /resolves outside the repository through a symlink/);
      return true;
    });
    await assert.rejects(
      renderer.render(request("links", { source: { directory: { exclude: "stolen.yaml" } } })),
      /ConfigMap\/web\/real is rendered twice \(from links\/alias\.yaml and from links\/real\.yaml\)/,
      "an excluded file is not resolved; a link inside the repository is followed (here to a duplicate)",
    );
    assert.deepEqual(await names("links", { source: { directory: { include: "alias.yaml" } } }), ["ConfigMap/real"]);
    await assert.rejects(
      renderer.render(request("dir-link", { source: { directory: { recurse: true } } })),
      (e: unknown) => e instanceof PathEscapeError && e.file === "dir-link/escape",
    );
    assert.deepEqual(await names("dir-link"), ["ConfigMap/ok"], "without recursion the directory link is not followed");
    assert.deepEqual(await names("link-inside"), await names("plain/app"));
  });
});
