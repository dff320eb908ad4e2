// `bosun render` end to end: the real CLI in a child process, on a local directory and on a git URL.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { Renderer } from "../../src/render/index.js";
import { cacheRoot } from "../../src/tools/versions.js";
import { buildChartRepo, startHelmRepoServer } from "../harness/helm-repo-server.js";
import { TempDirs } from "../source/git-fixture.js";
import { FIXTURES, type FixtureRepo, fixtureRepo } from "./render-fixture.js";

const ROOT = resolve(import.meta.dirname, "../..");
const signal = AbortSignal.timeout(180_000);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("bosun render (CLI)", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let cache: string;
  let fixture: FixtureRepo;

  /** The CLI as users run it, with bosun's cache in a temporary directory (the pinned tools linked in). */
  const cli = (args: string[]): Promise<CliResult> =>
    new Promise((done) => {
      execFile(
        "npx",
        ["tsx", "src/cli/main.ts", "render", ...args],
        { cwd: ROOT, env: { ...process.env, BOSUN_CACHE_DIR: cache }, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
          done({ code, stdout, stderr });
        },
      );
    });

  const yamlObjects = (text: string): KubeObject[] =>
    parseAllDocuments(text)
      .map((d) => d.toJS() as unknown)
      .filter((v): v is KubeObject => v !== null);

  before(async () => {
    cache = join(await temp.make("bosun-cli-cache-"), "bosun");
    await mkdir(cache);
    await symlink(join(cacheRoot(), "tools"), join(cache, "tools"));
    fixture = await fixtureRepo(temp, { deploy: "kustomize-base-two-overlays", chart: "helm-chart-vendored-subchart" });
    await fixture.repo.tag("v1");
    await fixture.repo.commit("prod runs 9 replicas", {
      "chart/values-prod.yaml": "replicas: 9\nimage:\n  tag: 2.0.1\n",
    });
  });

  test("a local directory renders in place: a YAML stream of what the renderer returns", async () => {
    const repo = join(FIXTURES, "kustomize-base-two-overlays");
    const r = await cli(["--repo", repo, "--path", "overlays/prod", "--namespace", "web"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const expected = await new Renderer().render({
      repoRoot: repo,
      path: "overlays/prod",
      source: {},
      app: { name: "prod", namespace: "bosun" },
      destinationNamespace: "web",
      signal,
    });
    assert.deepEqual(yamlObjects(r.stdout), expected.objects);
    const json = await cli(["--repo", repo, "--path", "overlays/prod", "--namespace", "web", "-o", "json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { apiVersion: "v1", kind: "List", items: expected.objects });
  });

  test("a repository URL is fetched and rendered at the revision; renders are cached by commit", async () => {
    const args = (revision: string) => [
      "--repo",
      fixture.repo.fileUrl,
      "--revision",
      revision,
      "--path",
      "chart",
      "--release-name",
      "gb",
      "--namespace",
      "web",
      "--helm-values",
      "values-prod.yaml",
      "-o",
      "json",
    ];
    const deploymentOf = (r: CliResult) => {
      assert.equal(r.code, 0, r.stderr);
      const list = JSON.parse(r.stdout) as { items: KubeObject[] };
      const d = list.items.find((o) => o.kind === "Deployment");
      const spec = d?.spec as { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
      return [d?.metadata.name, spec.replicas, spec.template.spec.containers[0]?.image, d?.metadata.annotations];
    };
    assert.deepEqual(deploymentOf(await cli(args("v1"))), [
      "gb-web",
      4,
      "registry.example/guestbook:2.0.0",
      { "bosun.dev/tracking-id": "bosun/gb:apps/Deployment:web/gb-web" },
    ]);
    assert.deepEqual(deploymentOf(await cli(args("main"))).slice(1, 3), [9, "registry.example/guestbook:2.0.1"]);
    assert.equal((await readdir(join(cache, "render"))).length, 2, "one cached render per commit");
    assert.ok((await readdir(join(cache, "git", "checkouts"))).length >= 2);
  });

  test("a render error exits 1 with the message on stderr and no stack trace", async () => {
    const r = await cli(["--repo", fixture.repo.fileUrl, "--path", "chart"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^render failed: chart\/templates\/deployment\.yaml:19: helm template failed: .*image\.tag is required/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const escaping = await cli(["--repo", fixture.dir, "--path", "chart", "--helm-values", "../../outside.yaml"]);
    assert.equal(escaping.code, 1);
    assert.match(escaping.stderr, /value file "\.\.\/\.\.\/outside\.yaml" is outside the repository/);
    const missing = await cli(["--repo", fixture.repo.fileUrl, "--revision", "no-such-branch", "--path", "chart"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /revision "no-such-branch" not found/);
  });

  test("--chart renders a chart from a Helm repository as helm template does, at the highest version in range", async () => {
    const repoDir = await temp.make("bosun-cli-chart-repo-");
    const chart = (version: string) => ({
      name: "web",
      version,
      files: {
        "templates/cm.yaml":
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n",
      },
    });
    await buildChartRepo(repoDir, [chart("1.0.0"), chart("1.4.0"), chart("2.0.0")], { signal });
    const server = await startHelmRepoServer({ dir: repoDir, tls: false });
    try {
      const r = await cli([
        "--repo",
        server.url,
        "--chart",
        "web",
        "--revision",
        "1.x",
        "--insecure",
        "--release-name",
        "shop",
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^# chart web 1\.4\.0 \(sha256:[0-9a-f]{64}\) from http:\/\/127\.0\.0\.1:\d+\/$/m);
      const [cm] = yamlObjects(r.stdout);
      assert.equal(cm?.metadata.name, "shop");
      assert.deepEqual((cm as KubeObject & { data?: unknown }).data, { version: "1.4.0" });
      const none = await cli(["--repo", server.url, "--chart", "web", "--revision", ">=3", "--insecure"]);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no version of chart web matches; it has 2\.0\.0, 1\.4\.0, 1\.0\.0/);
    } finally {
      await server.close();
    }
  });

  test("usage errors exit 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--repo", fixture.dir], /--path is required \(or --chart, for a chart repository\)/],
      [
        ["--repo", fixture.dir, "--chart", "web"],
        /--chart needs --repo https:\/\/… \(a Helm repository\) or oci:\/\/…/,
      ],
      [["--repo", "https://charts.example/", "--chart", "web", "--path", "x"], /--chart names the chart/],
      [["--repo", "http://charts.example/", "--chart", "web"], /plain http is refused/],
      [["--repo", fixture.dir, "--path", "chart", "-o", "xml"], /unknown output format "xml"/],
      [["--repo", fixture.dir, "--path", "chart", "--frobnicate"], /unknown option '--frobnicate'/],
      [["--repo", fixture.dir, "--revision", "main", "--path", "chart"], /--revision needs a repository URL/],
      [["--repo", join(fixture.dir, "nope"), "--path", "."], /is neither a directory nor a repository URL/],
      [["--repo", fixture.repo.fileUrl, "--revision", "--upload-pack=touch /tmp/x", "--path", "."], /invalid revision/],
      [
        ["--repo", fixture.dir, "--path", "deploy", "--kustomize-image", "a=b:1", "--helm-values", "v.yaml"],
        /cannot be combined/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
  });
});
