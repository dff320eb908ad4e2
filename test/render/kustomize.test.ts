// Kustomize sources against the pinned kustomize: output identical to a bare `kustomize build`, plus what bosun
// adds; overrides through a generated overlay on a read-only checkout; references that leave the repository.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { stringify } from "yaml";
import {
  MissingFileError,
  PathEscapeError,
  RemoteReferenceError,
  RenderError,
  Renderer,
  type RenderRequest,
} from "../../src/render/index.js";
import { GitSource } from "../../src/source/index.js";
import { readTree, TempDirs } from "../source/git-fixture.js";
import { type FixtureRepo, fixtureRepo, objectsOf, runPinned, withBosunAdditions } from "./render-fixture.js";

const signal = AbortSignal.timeout(180_000);
const app = { name: "guestbook", namespace: "bosun" };

describe("kustomize: a base and two overlays", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let fixture: FixtureRepo;
  let checkout: string;
  const renderer = new Renderer();
  const request = (path: string, extra: Partial<RenderRequest> = {}): RenderRequest => ({
    repoRoot: checkout,
    path,
    commit: fixture.sha,
    source: {},
    app,
    destinationNamespace: "guestbook",
    signal,
    ...extra,
  });

  before(async () => {
    fixture = await fixtureRepo(temp, { deploy: "kustomize-base-two-overlays" });
    const git = new GitSource({ cacheDir: await temp.make("bosun-render-git-"), fileRepos: "any" });
    const resolved = await git.resolve(fixture.repo.fileUrl, "main", { signal });
    checkout = (await git.checkout(fixture.repo.fileUrl, resolved.sha, { signal })).dir;
  });

  for (const overlay of ["dev", "prod"]) {
    test(`overlays/${overlay} renders exactly what kustomize build prints, plus bosun's namespace and annotation`, async () => {
      const path = `deploy/overlays/${overlay}`;
      const result = await renderer.render(request(path));
      assert.equal(result.tool, "kustomize");
      const bare = objectsOf(await runPinned("kustomize", ["build", join(checkout, path)], checkout));
      assert.equal(bare.length, 3);
      assert.deepEqual(result.objects, withBosunAdditions(bare, { app, namespace: "guestbook", clusterScoped: [] }));
    });
  }

  test("the overlays differ as written: replicas, image tags, generated config", async () => {
    const summary = async (overlay: string) => {
      const { objects } = await renderer.render(request(`deploy/overlays/${overlay}`));
      const deployment = objects.find((o) => o.kind === "Deployment");
      const config = objects.find((o) => o.kind === "ConfigMap");
      const spec = deployment?.spec as {
        replicas: number;
        template: { spec: { containers: Array<{ image: string }> } };
      };
      return {
        name: deployment?.metadata.name,
        replicas: spec.replicas,
        image: spec.template.spec.containers[0]?.image,
        logLevel: (config?.data as Record<string, string> | undefined)?.LOG_LEVEL,
        configName: config?.metadata.name,
        tracking: deployment?.metadata.annotations?.["bosun.dev/tracking-id"],
      };
    };
    const dev = await summary("dev");
    const prod = await summary("prod");
    assert.deepEqual(
      { ...dev, configName: undefined },
      {
        name: "dev-guestbook",
        replicas: 1,
        image: "registry.example/guestbook:1.1.0-dev",
        logLevel: "debug",
        configName: undefined,
        tracking: "bosun/guestbook:apps/Deployment:guestbook/dev-guestbook",
      },
    );
    assert.equal(prod.replicas, 5);
    assert.equal(prod.image, "registry.example/guestbook:1.0.3");
    assert.equal(prod.logLevel, "info");
    assert.match(prod.configName ?? "", /^prod-guestbook-config-[a-z0-9]{10}$/);
    assert.match(dev.configName ?? "", /^dev-guestbook-config-[a-z0-9]{10}$/);
  });

  test("overrides apply through a generated overlay: same output as the equivalent hand-written overlay", async () => {
    const before = await readTree(checkout);
    const kustomize = {
      namePrefix: "eu-",
      namespace: "guestbook-eu",
      images: ["registry.example/guestbook=mirror.example/guestbook:9.9.9"],
      commonLabels: { region: "eu" },
      commonAnnotations: { "example.com/owner": "team-eu" },
      patches: [
        {
          patch: "- op: replace\n  path: /spec/replicas\n  value: 7\n",
          target: { kind: "Deployment", name: "prod-guestbook" },
        },
      ],
    };
    const result = await renderer.render(request("deploy/overlays/prod", { source: { kustomize } }));
    const handWritten = join(await temp.make("bosun-hand-overlay-"), "overlay");
    await mkdir(handWritten);
    await writeFile(
      join(handWritten, "kustomization.yaml"),
      stringify({
        resources: [relative(handWritten, join(checkout, "deploy/overlays/prod"))],
        namePrefix: "eu-",
        namespace: "guestbook-eu",
        images: [{ name: "registry.example/guestbook", newName: "mirror.example/guestbook", newTag: "9.9.9" }],
        labels: [{ pairs: { region: "eu" }, includeSelectors: true }],
        commonAnnotations: { "example.com/owner": "team-eu" },
        patches: kustomize.patches,
      }),
    );
    const bare = objectsOf(await runPinned("kustomize", ["build", handWritten], handWritten));
    assert.deepEqual(result.objects, withBosunAdditions(bare, { app, namespace: "unused", clusterScoped: [] }));
    const deployment = result.objects.find((o) => o.kind === "Deployment");
    assert.equal(deployment?.metadata.name, "eu-prod-guestbook");
    assert.equal(deployment?.metadata.namespace, "guestbook-eu");
    assert.equal((deployment?.spec as { replicas?: number } | undefined)?.replicas, 7);
    assert.deepEqual(await readTree(checkout), before, "the checkout is never written");
  });
});

describe("kustomize: references that leave the repository, remote bases", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  const renderer = new Renderer();
  let fixture: FixtureRepo;
  let outside: string;
  const render = (path: string, allowRemoteBases = false) =>
    renderer.render({
      repoRoot: fixture.dir,
      path,
      source: allowRemoteBases ? { kustomize: { allowRemoteBases } } : {},
      app,
      destinationNamespace: "x",
      signal,
    });
  const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  before(async () => {
    const parent = await temp.make("bosun-kustomize-escape-");
    outside = join(parent, "outside-base");
    await mkdir(outside);
    await writeFile(join(outside, "kustomization.yaml"), "resources: [cm.yaml]\n");
    await writeFile(join(outside, "cm.yaml"), configMap("from-outside"));
    await writeFile(join(parent, "secret-patch.yaml"), configMap("patch"));
    const repoDir = join(parent, "repo");
    const toOutside = relative(join(repoDir, "apps", "direct"), outside);
    fixture = await fixtureRepo(
      temp,
      {},
      {
        dir: repoDir,
        files: {
          "apps/direct/kustomization.yaml": `resources:\n  - cm.yaml\n  - ${toOutside}\n`,
          "apps/direct/cm.yaml": configMap("inside"),
          "apps/nested/kustomization.yaml": "resources:\n  - ../../bases/escaping\n",
          "bases/escaping/kustomization.yaml": `resources:\n  - cm.yaml\n  - ${relative(join(repoDir, "bases", "escaping"), outside)}\n`,
          "bases/escaping/cm.yaml": configMap("base"),
          "apps/patch-outside/kustomization.yaml":
            "resources: [cm.yaml]\npatches:\n  - path: ../../../secret-patch.yaml\n",
          "apps/patch-outside/cm.yaml": configMap("p"),
          "apps/symlinked/kustomization.yaml": "resources:\n  - cm.yaml\n  - linked.yaml\n",
          "apps/symlinked/cm.yaml": configMap("s"),
          "apps/remote/kustomization.yaml":
            "resources:\n  - cm.yaml\n  - https://github.com/example/deploy//base?ref=v1\n",
          "apps/remote/cm.yaml": configMap("r"),
          "apps/nested-remote/kustomization.yaml": "resources:\n  - ../../bases/remote\n",
          "bases/remote/kustomization.yaml": "components:\n  - git@github.com:example/components.git//tls\n",
          "apps/missing/kustomization.yaml": "resources:\n  - cm.yaml\n  - not-there.yaml\n",
          "apps/missing/cm.yaml": configMap("m"),
          "apps/helm-charts/kustomization.yaml": "helmCharts:\n  - name: redis\n    repo: https://charts.example\n",
          "apps/generator-outside/kustomization.yaml": `configMapGenerator:\n  - name: g\n    files:\n      - key=../../../secret-patch.yaml\n`,
        },
        symlinks: { "apps/symlinked/linked.yaml": join(outside, "cm.yaml") },
      },
    );
  });

  async function refused(path: string, check: (e: RenderError) => void, allowRemote = false): Promise<void> {
    await assert.rejects(render(path, allowRemote), (e: unknown) => {
      assert.ok(e instanceof RenderError, String(e));
      check(e);
      return true;
    });
  }

  test("a resource outside the repository is refused, naming the kustomization and the line", async () => {
    await refused("apps/direct", (e) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.file, "apps/direct/kustomization.yaml");
      assert.equal(e.line, 3);
      assert.match(
        e.message,
        /^apps\/direct\/kustomization\.yaml:3: resource "\.\.\/.*outside-base" is outside the repository$/,
      );
    });
  });

  test("a base outside the repository reached through a nested kustomization is refused, which kustomize allows", async () => {
    const bare = objectsOf(await runPinned("kustomize", ["build", join(fixture.dir, "apps/nested")], fixture.dir));
    assert.ok(
      bare.some((o) => o.metadata.name === "from-outside"),
      "kustomize itself reads the outside base",
    );
    await refused("apps/nested", (e) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.file, "bases/escaping/kustomization.yaml");
      assert.equal(e.line, 3);
      assert.match(e.message, /\(reached through apps\/nested\/kustomization\.yaml\)$/);
    });
  });

  test("patch and generator files outside the repository are refused", async () => {
    await refused("apps/patch-outside", (e) => {
      assert.ok(e instanceof PathEscapeError);
      assert.match(
        e.message,
        /^apps\/patch-outside\/kustomization\.yaml:3: patch "\.\.\/\.\.\/\.\.\/secret-patch\.yaml"/,
      );
    });
    await refused("apps/generator-outside", (e) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.line, 4);
    });
  });

  test("a symlink out of the repository is refused, never read", async () => {
    await refused("apps/symlinked", (e) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.line, 3);
      assert.match(e.message, /resource "linked\.yaml" resolves outside the repository through a symlink/);
    });
  });

  test("remote bases are refused unless allowed, also in nested kustomizations", async () => {
    await refused("apps/remote", (e) => {
      assert.ok(e instanceof RemoteReferenceError);
      assert.equal(e.line, 3);
      assert.match(
        e.message,
        /remote resource "https:\/\/github\.com\/example\/deploy\/\/base\?ref=v1" is not allowed/,
      );
    });
    await refused("apps/nested-remote", (e) => {
      assert.ok(e instanceof RemoteReferenceError);
      assert.equal(e.file, "bases/remote/kustomization.yaml");
      assert.match(e.message, /remote component .* \(reached through apps\/nested-remote\/kustomization\.yaml\)$/);
    });
  });

  test("a missing resource and helmCharts are errors before kustomize runs", async () => {
    await refused("apps/missing", (e) => {
      assert.ok(e instanceof MissingFileError);
      assert.equal(
        e.message,
        'apps/missing/kustomization.yaml:3: resource "not-there.yaml" does not exist (apps/missing/not-there.yaml)',
      );
    });
    await refused("apps/helm-charts", (e) => {
      assert.equal(e.line, 2);
      assert.match(e.message, /helmCharts is not supported/);
    });
  });
});
