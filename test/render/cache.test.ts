// The render cache with the real tools: the second render of the same inputs does not run the tool, in the
// same renderer (memory) or in a new one reading the on-disk cache; failed renders are not cached.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { execToolRunner, Renderer, type RenderRequest, type ToolRunner } from "../../src/render/index.js";
import { TempDirs } from "../source/git-fixture.js";
import { type FixtureRepo, fixtureRepo } from "./render-fixture.js";

const signal = AbortSignal.timeout(180_000);
const app = { name: "guestbook", namespace: "bosun" };

describe("render cache", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let fixture: FixtureRepo;
  let cacheDir: string;
  const runs: string[] = [];
  const pinned = execToolRunner();
  const counting: ToolRunner = async (invocation) => {
    runs.push(invocation.tool);
    return await pinned(invocation);
  };
  const request = (path: string, source: RenderRequest["source"], commit?: string): RenderRequest => ({
    repoRoot: fixture.dir,
    path,
    ...(commit !== undefined ? { commit } : {}),
    source,
    app,
    destinationNamespace: "guestbook",
    signal,
  });

  before(async () => {
    fixture = await fixtureRepo(temp, {
      kustomize: "kustomize-base-two-overlays",
      chart: "helm-chart-vendored-subchart",
    });
    cacheDir = join(await temp.make("bosun-render-cache-"), "renders");
  });

  const cases: Array<[string, string, RenderRequest["source"]]> = [
    ["kustomize", "kustomize/overlays/prod", {}],
    ["helm", "chart", { helm: { valueFiles: ["values-prod.yaml"] } }],
  ];
  for (const [tool, path, source] of cases) {
    test(`${tool}: the second render is served from the cache, also after a restart`, async () => {
      const before = runs.length;
      const first = new Renderer({ runTool: counting, cacheDir });
      const cold = await first.render(request(path, source, fixture.sha));
      assert.deepEqual([cold.fromCache, runs.length - before], [false, 1]);
      const warm = await first.render(request(path, source, fixture.sha));
      assert.deepEqual([warm.fromCache, runs.length - before], [true, 1]);
      assert.deepEqual(warm.objects, cold.objects);
      const restarted = new Renderer({ runTool: counting, cacheDir });
      const fromDisk = await restarted.render(request(path, source, fixture.sha));
      assert.deepEqual([fromDisk.fromCache, runs.length - before], [true, 1]);
      assert.deepEqual(fromDisk.objects, cold.objects);
      assert.equal(fromDisk.tool, tool);
    });
  }

  test("other inputs render again: app path, spec, destination (helm), commit", async () => {
    const renderer = new Renderer({ runTool: counting, cacheDir });
    const before = runs.length;
    await renderer.render(request("kustomize/overlays/dev", {}, fixture.sha));
    await renderer.render(request("chart", { helm: { valueFiles: ["values-staging.yaml"] } }, fixture.sha));
    await renderer.render({
      ...request("chart", { helm: { valueFiles: ["values-prod.yaml"] } }, fixture.sha),
      destinationNamespace: "elsewhere",
    });
    const next = await fixture.repo.commit("touch", { "README.md": "new commit\n" });
    await renderer.render(request("kustomize/overlays/prod", {}, next));
    assert.equal(runs.length - before, 4);
  });

  test("a failed render is not cached; without a commit nothing is cached", async () => {
    const renderer = new Renderer({ runTool: counting, cacheDir });
    const before = runs.length;
    const entries = (await readdir(cacheDir)).length;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(renderer.render(request("chart", { helm: {} }, fixture.sha)), /image\.tag is required/);
    }
    await renderer.render(request("kustomize/overlays/prod", {}));
    await renderer.render(request("kustomize/overlays/prod", {}));
    assert.equal(runs.length - before, 4);
    assert.equal((await readdir(cacheDir)).length, entries, "no file for the failed or uncommitted renders");
  });
});
