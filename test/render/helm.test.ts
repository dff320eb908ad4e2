// Helm sources against the pinned helm: output identical to a bare `helm template` with the same inputs, plus
// what bosun adds; errors from templates, value files, dependencies and symlinks.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ChartDependencyError,
  execToolRunner,
  MissingFileError,
  PathEscapeError,
  RenderError,
  Renderer,
  type RenderRequest,
  ToolFailedError,
  type ToolInvocation,
} from "../../src/render/index.js";
import { TempDirs } from "../source/git-fixture.js";
import { type FixtureRepo, fixtureRepo, objectsOf, runPinned, withBosunAdditions } from "./render-fixture.js";

const signal = AbortSignal.timeout(180_000);
const app = { name: "guestbook", namespace: "bosun" };
const CHART = "charts/guestbook";
const CLUSTER_SCOPED = ["CustomResourceDefinition", "ClusterRole", "WidgetPolicy"];

describe("helm: a chart with a vendored subchart, value files and a required value", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let fixture: FixtureRepo;
  let outsideValues: string;
  const helmRuns: ToolInvocation[] = [];
  const pinned = execToolRunner();
  const renderer = new Renderer({
    runTool: async (invocation) => {
      helmRuns.push(invocation);
      return await pinned(invocation);
    },
  });
  const request = (helm: NonNullable<RenderRequest["source"]["helm"]>, extra: Partial<RenderRequest> = {}) => ({
    repoRoot: fixture.dir,
    path: CHART,
    source: { helm },
    app,
    destinationNamespace: "guestbook",
    signal,
    ...extra,
  });
  const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  before(async () => {
    const parent = await temp.make("bosun-helm-");
    outsideValues = join(parent, "outside-values.yaml");
    await writeFile(outsideValues, "image:\n  tag: stolen\n");
    fixture = await fixtureRepo(
      temp,
      { [CHART]: "helm-chart-vendored-subchart", "charts/undeclared-dependency": "helm-chart-vendored-subchart" },
      {
        dir: join(parent, "repo"),
        files: {
          "envs/prod/values.yaml": "replicas: 6\nimage:\n  tag: 3.0.0\n",
          [`${CHART}/values,extra.yaml`]: "replicas: 1\n",
          "charts/undeclared-dependency/Chart.yaml":
            "apiVersion: v2\nname: needs-redis\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 0.1.0\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.example.com\n",
          "charts/bad-template/Chart.yaml": "apiVersion: v2\nname: bad-template\nversion: 1.0.0\n",
          "charts/bad-template/templates/ok.yaml": configMap("ok"),
          "charts/bad-template/templates/kindless.yaml": "apiVersion: v1\nmetadata:\n  name: kindless\n",
          "charts/symlinked/Chart.yaml": "apiVersion: v2\nname: symlinked\nversion: 1.0.0\n",
          "charts/symlinked/templates/ok.yaml": configMap("ok"),
        },
        symlinks: {
          "charts/symlinked/templates/stolen.yaml": outsideValues,
          "envs/linked-values.yaml": outsideValues,
        },
      },
    );
  });

  test("renders exactly what helm template prints for the same inputs, plus bosun's namespace and annotation", async () => {
    const chartDir = join(fixture.dir, CHART);
    const result = await renderer.render(
      request(
        { valueFiles: ["values-prod.yaml", "../../envs/prod/values.yaml"], values: { greeting: "inline wins" } },
        { kubeVersion: "1.31.4", apiVersions: ["monitoring.example/v1"] },
      ),
    );
    assert.equal(result.tool, "helm");
    const inline = join(await temp.make("bosun-helm-inline-"), "inline.yaml");
    await writeFile(inline, "greeting: inline wins\n");
    const bare = objectsOf(
      await runPinned(
        "helm",
        [
          "template",
          "guestbook",
          chartDir,
          "--namespace",
          "guestbook",
          "--values",
          join(chartDir, "values-prod.yaml"),
          "--values",
          join(fixture.dir, "envs/prod/values.yaml"),
          "--values",
          inline,
          "--kube-version",
          "1.31.4",
          "--api-versions",
          "monitoring.example/v1",
          "--include-crds",
        ],
        fixture.dir,
      ),
    );
    assert.equal(bare.length, 6);
    assert.deepEqual(
      result.objects,
      withBosunAdditions(bare, { app, namespace: "guestbook", clusterScoped: CLUSTER_SCOPED }),
    );
    const byKind = new Map(result.objects.map((o) => [o.kind, o]));
    const deployment = byKind.get("Deployment")?.spec as {
      replicas: number;
      template: { spec: { containers: Array<{ image: string }> } };
    };
    assert.equal(deployment.replicas, 6, "the later value file wins");
    assert.equal(deployment.template.spec.containers[0]?.image, "registry.example/guestbook:3.0.0");
    assert.deepEqual(byKind.get("ConfigMap")?.data, {
      greeting: "inline wins",
      kubeVersion: "v1.31.4",
      monitoring: "on",
    });
    assert.equal(byKind.get("StatefulSet")?.metadata.name, "guestbook-cache", "the vendored subchart renders");
    assert.equal(byKind.get("StatefulSet")?.metadata.namespace, "guestbook");
    const policy = byKind.get("WidgetPolicy");
    assert.equal(policy?.metadata.namespace, undefined, "the chart's CRD declares WidgetPolicy cluster-scoped");
    assert.equal(
      policy?.metadata.annotations?.["bosun.dev/tracking-id"],
      "bosun/guestbook:widgets.example/WidgetPolicy:/guestbook-policy",
    );
  });

  test("value files and skipCrds change the output as helm does; the release name defaults to the app", async () => {
    const result = await renderer.render(
      request(
        { valueFiles: ["values-staging.yaml"], skipCrds: true, releaseName: "gb-staging" },
        { isNamespaced: (_v, kind) => (kind === "WidgetPolicy" ? false : undefined) },
      ),
    );
    const bare = objectsOf(
      await runPinned(
        "helm",
        [
          "template",
          "gb-staging",
          join(fixture.dir, CHART),
          "--namespace=guestbook",
          `--values=${join(fixture.dir, CHART, "values-staging.yaml")}`,
          "--skip-crds",
        ],
        fixture.dir,
      ),
    );
    assert.deepEqual(
      result.objects,
      withBosunAdditions(bare, { app, namespace: "guestbook", clusterScoped: CLUSTER_SCOPED }),
    );
    assert.deepEqual(
      result.objects.map((o) => o.kind).sort(),
      ["ClusterRole", "ConfigMap", "Deployment", "WidgetPolicy"],
      "no CRD, no cache subchart",
    );
  });

  test("a missing required value is a template error naming the template and line", async () => {
    const runs = helmRuns.length;
    await assert.rejects(renderer.render(request({})), (e: unknown) => {
      assert.ok(e instanceof ToolFailedError, String(e));
      assert.equal(e.tool, "helm");
      assert.equal(e.file, `${CHART}/templates/deployment.yaml`);
      assert.equal(e.line, 19);
      assert.match(e.message, /image\.tag is required: set it in a value file/);
      assert.doesNotMatch(e.message, /--debug/);
      return true;
    });
    assert.equal(helmRuns.length, runs + 1);
  });

  test("a document without kind in helm's output names its template", async () => {
    await assert.rejects(renderer.render({ ...request({}), path: "charts/bad-template" }), (e: unknown) => {
      assert.ok(e instanceof RenderError);
      assert.equal(e.file, "charts/bad-template/templates/kindless.yaml");
      assert.match(e.message, /has no kind/);
      return true;
    });
  });

  test("a missing value file is an error naming it; helm does not run", async () => {
    const runs = helmRuns.length;
    await assert.rejects(
      renderer.render(request({ valueFiles: ["values-prod.yaml", "values-typo.yaml"] })),
      (e: unknown) => {
        assert.ok(e instanceof MissingFileError);
        assert.equal(e.reference, "values-typo.yaml");
        assert.match(
          e.message,
          /value file "values-typo\.yaml" does not exist \(charts\/guestbook\/values-typo\.yaml\)/,
        );
        return true;
      },
    );
    assert.equal(helmRuns.length, runs);
  });

  test("value files outside the repository are refused, as a path or through a symlink", async () => {
    const runs = helmRuns.length;
    await assert.rejects(renderer.render(request({ valueFiles: ["../../../outside-values.yaml"] })), PathEscapeError);
    await assert.rejects(
      renderer.render(request({ valueFiles: ["../../envs/linked-values.yaml"] })),
      /value file "\.\.\/\.\.\/envs\/linked-values\.yaml" resolves outside the repository through a symlink/,
    );
    assert.equal(helmRuns.length, runs);
  });

  test("a value file whose path helm would split at a comma is refused", async () => {
    await assert.rejects(renderer.render(request({ valueFiles: ["values,extra.yaml"] })), /has a comma or a quote/);
  });

  test("a chart dependency that is not vendored is an error that names it; helm does not run", async () => {
    const runs = helmRuns.length;
    await assert.rejects(renderer.render({ ...request({}), path: "charts/undeclared-dependency" }), (e: unknown) => {
      assert.ok(e instanceof ChartDependencyError);
      assert.equal(e.dependency, "redis");
      assert.equal(e.file, "charts/undeclared-dependency/Chart.yaml");
      assert.equal(e.line, 7);
      assert.match(
        e.message,
        /chart dependency "redis" from https:\/\/charts\.example\.com is not vendored under charts\/undeclared-dependency\/charts\/; it would have to be downloaded/,
      );
      return true;
    });
    assert.equal(helmRuns.length, runs);
  });

  test("a symlink in the chart that leaves the repository is refused before helm reads it", async () => {
    const runs = helmRuns.length;
    await assert.rejects(renderer.render({ ...request({}), path: "charts/symlinked" }), (e: unknown) => {
      assert.ok(e instanceof PathEscapeError);
      assert.equal(e.file, "charts/symlinked/templates/stolen.yaml");
      return true;
    });
    assert.equal(helmRuns.length, runs);
  });

  test("helm runs offline: private homes, no kubeconfig, nothing from the environment", () => {
    const env = helmRuns[0]?.env ?? {};
    assert.deepEqual(Object.keys(env).sort(), [
      "HELM_CACHE_HOME",
      "HELM_CONFIG_HOME",
      "HELM_DATA_HOME",
      "HELM_PLUGINS",
      "HOME",
      "KUBECONFIG",
    ]);
    for (const value of Object.values(env)) assert.ok(!value.startsWith(fixture.dir), "nothing inside the checkout");
  });
});
