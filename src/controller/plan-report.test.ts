import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ObjectRef } from "../api/index.js";
import { sameRepository } from "./plan.js";
import {
  type AppPlanInput,
  buildPlanReport,
  failedApp,
  NO_DRY_RUN_NOTE,
  type PlanReport,
  planJson,
  planMarkdown,
} from "./plan-report.js";

const ref = (kind: string, name: string, namespace = "shop", group = ""): ObjectRef => ({
  group,
  kind,
  namespace,
  name,
});
const SHA_A = "a".repeat(40);
const SHA_B = "b".repeat(40);

const app = (name: string, more: Partial<AppPlanInput> = {}): AppPlanInput => ({
  name,
  namespace: "bosun",
  status: "changed",
  revisions: { base: SHA_A, head: SHA_B },
  created: [],
  changed: [],
  pruned: [],
  notes: [],
  ...more,
});

const report = (applications: AppPlanInput[]): PlanReport =>
  buildPlanReport({ repo: "https://git.example/org/deploy.git", base: SHA_A, head: SHA_B, applications });

const WEB_DIFF = "--- live\n+++ desired\n-  value: one\n+  value: two\n";

describe("plan report", () => {
  test("counts objects and Applications, sorts by name, and exits 3 when something would change", () => {
    const r = report([
      app("web", {
        created: [ref("ConfigMap", "extra")],
        changed: [{ ref: ref("ConfigMap", "web"), diff: WEB_DIFF }],
        pruned: [ref("Secret", "old"), ref("Deployment", "gone", "shop", "apps")],
      }),
      app("api", { status: "unchanged" }),
      app("db", { status: "new", revisions: { head: SHA_B }, created: [ref("ConfigMap", "db")] }),
    ]);
    assert.deepEqual(
      r.applications.map((a) => a.name),
      ["api", "db", "web"],
    );
    assert.deepEqual(r.summary, {
      applications: { new: 1, changed: 1, unchanged: 1, failed: 0 },
      objects: { created: 2, changed: 1, pruned: 2 },
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.version, 1);
    assert.equal(r.serverSideDryRun, true);
    assert.equal(r.note, undefined);
    assert.deepEqual(r.applications[2]?.pruned[1], {
      group: "apps",
      kind: "Deployment",
      namespace: "shop",
      name: "gone",
    });
  });

  test("exit code: 0 when only unchanged Applications or a changed render the cluster already matches; 1 on a failure", () => {
    assert.equal(report([app("api", { status: "unchanged" })]).exitCode, 0);
    assert.equal(report([app("api")]).exitCode, 0);
    assert.equal(report([]).exitCode, 0);
    const failed = report([
      app("web", { created: [ref("ConfigMap", "x")] }),
      failedApp({ name: "api", namespace: "bosun" }, "render failed: api/cm.yaml: bad indentation"),
    ]);
    assert.equal(failed.exitCode, 1);
    assert.equal(failed.summary.applications.failed, 1);
  });

  test("markdown: heading, summary table, and a section per changed Application with created, pruned and diffs", () => {
    const md = planMarkdown(
      report([
        app("web", {
          created: [ref("ConfigMap", "extra")],
          changed: [{ ref: ref("ConfigMap", "web"), diff: WEB_DIFF }],
          pruned: [ref("Secret", "old")],
        }),
        app("api", { status: "unchanged" }),
        app("db", { status: "new", created: [ref("ConfigMap", "db")] }),
      ]),
    );
    assert.match(md, /^## bosun plan: aaaaaaa\.\.bbbbbbb\n/);
    assert.match(md, /\| Application \| Status \| Created \| Changed \| Pruned \|/);
    assert.match(md, /\| bosun\/web \| changed \| 1 \| 1 \| 1 \|/);
    assert.match(md, /\| bosun\/api \| unchanged \(not changed by this change\) \| 0 \| 0 \| 0 \|/);
    assert.match(md, /### bosun\/db \(new Application\)\n/);
    assert.match(md, /Would be created:\n\n- `ConfigMap\/shop\/extra`/);
    assert.match(md, /Would be pruned:\n\n- `Secret\/shop\/old`/);
    assert.ok(md.includes(`\`ConfigMap/shop/web\`\n\n\`\`\`diff\n${WEB_DIFF}\`\`\`\n`));
    assert.doesNotMatch(md, /### bosun\/api/, "an unchanged Application has no section");
  });

  test("a diff holding backticks gets a longer fence; table cells lose pipes and line breaks", () => {
    const md = planMarkdown(
      report([
        app("web", { changed: [{ ref: ref("ConfigMap", "web"), diff: "+  script: ```x```\n" }] }),
        failedApp({ name: "api", namespace: "bosun" }, "line one\nline | two"),
      ]),
    );
    assert.ok(md.includes("````diff\n+  script: ```x```\n````\n"));
    assert.match(md, /The plan failed: line one line \\\| two/);
    assert.match(md, /\| bosun\/api \| \*\*failed\*\* \|/);
  });

  test("values from Secrets are masked in diffs, notes and errors, in markdown and json alike", () => {
    const secret = "s3cr3t-value";
    const r = report([
      app("web", {
        changed: [{ ref: ref("ConfigMap", "web"), diff: `+  password: ${secret}\n` }],
        notes: [`ConfigMap/shop/web: the dry run was refused: ${secret} is invalid`],
        sensitive: [secret],
      }),
      failedApp({ name: "api", namespace: "bosun" }, `render failed near ${secret}`, [secret]),
    ]);
    for (const text of [planMarkdown(r), planJson(r)]) {
      assert.ok(!text.includes(secret), text);
      assert.match(text, /<secret>/);
    }
  });

  test("a comparison without a server-side dry run is said so, in the report and the Application's section", () => {
    const r = report([
      app("web", { changed: [{ ref: ref("ConfigMap", "web"), diff: WEB_DIFF }], withoutDryRun: true }),
    ]);
    assert.equal(r.serverSideDryRun, false);
    assert.equal(r.note, NO_DRY_RUN_NOTE);
    assert.equal(r.applications[0]?.serverSideDryRun, false);
    assert.equal(r.exitCode, 3);
    const md = planMarkdown(r);
    assert.equal(md.split(NO_DRY_RUN_NOTE).length - 1, 2, "once at the top, once in web's section");
  });

  test("json: the documented shape, parseable, with the same counts", () => {
    const r = report([app("web", { created: [ref("ConfigMap", "x", "")] })]);
    const parsed = JSON.parse(planJson(r)) as PlanReport;
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(r)));
    assert.deepEqual(Object.keys(parsed), [
      "version",
      "repo",
      "base",
      "head",
      "serverSideDryRun",
      "summary",
      "exitCode",
      "applications",
    ]);
    assert.deepEqual(parsed.applications[0]?.created, [{ group: "", kind: "ConfigMap", name: "x" }]);
    assert.deepEqual(Object.keys(parsed.applications[0] ?? {}), [
      "name",
      "namespace",
      "status",
      "revisions",
      "created",
      "changed",
      "pruned",
      "notes",
      "serverSideDryRun",
    ]);
  });
});

describe("which Applications a plan takes (plan.ts)", () => {
  test("a repository is the same whatever its URL's .git, trailing slash, host case or scp-like form", () => {
    const urls = ["https://GitHub.com/org/deploy.git"];
    assert.ok(sameRepository("https://github.com/org/deploy/", urls));
    assert.ok(sameRepository("ssh://git@host.example/org/repo", ["git@Host.example:org/repo.git"]));
    assert.ok(!sameRepository("https://github.com/org/other", urls));
    assert.ok(!sameRepository("ssh://git@github.com/org/deploy", urls), "another transport is another URL");
    assert.ok(!sameRepository("not a url", urls));
  });
});
