// Charts from a Helm repository (HTTPS, basic auth, a CA of its own) and from an OCI registry (htpasswd,
// plain HTTP, pushed by the pinned helm), synced by the agent on both targets: a version range, an upgrade
// when a matching version is published, the objects helm template gives, Capabilities from discovery, and
// a range nothing matches reported without touching what is deployed.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, type TestContext, test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { Application, KubeObject } from "../../src/api/index.js";
import { lockDigest } from "../../src/source/index.js";
import {
  type AppTestSetup,
  applyApplication,
  appTestSetup,
  getApp,
  runBosun,
  simpleCrd,
  startTestAgent,
  waitForApp,
} from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { runHelm } from "../harness/helm-cli.js";
import {
  buildChartRepo,
  type ChartSpec,
  type HelmRepoServer,
  startHelmRepoServer,
} from "../harness/helm-repo-server.js";
import { waitFor } from "../harness/net.js";
import { helmPush, type OciRegistry, orasPushManifests, startOciRegistry } from "../harness/oci-registry.js";
import { TempDirs } from "../source/git-fixture.js";

const signal = AbortSignal.timeout(600_000);
const AUTH = { username: "charts-reader", password: "a-password-only-the-secret-holds" };
/** A kind only this run's clusters serve, and one no cluster serves: the chart renders the first only. */
const WIDGET_GROUP = `widgets-${randomBytes(4).toString("hex")}.bosun.test`;

function webChart(version: string): ChartSpec {
  return {
    name: "web",
    version,
    files: {
      "values.yaml": "greeting: hello\n",
      "templates/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
  chartVersion: {{ .Chart.Version | quote }}
  {{- with .Values.token }}
  token: {{ . | quote }}
  {{- end }}
`,
      "templates/widget.yaml": `{{- if .Capabilities.APIVersions.Has "${WIDGET_GROUP}/v1/Widget" }}
apiVersion: ${WIDGET_GROUP}/v1
kind: Widget
metadata:
  name: {{ .Release.Name }}-widget
spec:
  size: 3
{{- end }}
`,
      "templates/gadget.yaml": `{{- if .Capabilities.APIVersions.Has "gadgets.nowhere.bosun.test/v1/Gadget" }}
apiVersion: gadgets.nowhere.bosun.test/v1
kind: Gadget
metadata:
  name: {{ .Release.Name }}-gadget
{{- end }}
`,
    },
  };
}

const temp = new TempDirs();
let registry: OciRegistry;
const pushed = new Map<string, string>();

/** A Helm repository of its own for one test (it publishes versions into it). */
async function chartRepository(t: TestContext): Promise<{ dir: string; server: HelmRepoServer }> {
  const dir = await temp.make("bosun-e2e-chart-repo-");
  await buildChartRepo(dir, [webChart("1.0.0"), webChart("2.0.0")], { signal });
  const server = await startHelmRepoServer({ dir, auth: AUTH });
  t.after(() => server.close());
  return { dir, server };
}

before(async () => {
  registry = await startOciRegistry({ auth: AUTH });
  const ociDir = await temp.make("bosun-e2e-oci-charts-");
  await buildChartRepo(ociDir, [webChart("0.1.0"), webChart("0.2.0"), webChart("1.0.0")], { signal });
  for (const version of ["0.1.0", "0.2.0", "1.0.0"]) {
    pushed.set(version, (await helmPush(registry, join(ociDir, `web-${version}.tgz`), "charts", AUTH)).digest);
  }
});
after(async () => {
  await registry?.stop();
  await temp.cleanup();
});

function repositorySecret(setup: AppTestSetup, name: string, data: Record<string, string>): void {
  setup.ns.kubectl(
    ["apply", "-f", "-"],
    JSON.stringify({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: setup.ns.name, labels: { "bosun.dev/secret-type": "repository" } },
      stringData: data,
    }),
  );
}

type Live = KubeObject & { data?: Record<string, string> };

const patchApp = (setup: AppTestSetup, name: string, patch: object) =>
  setup.ns.kubectl(["patch", "applications.bosun.dev", name, "--type=merge", "-p", JSON.stringify(patch)]);

function live(setup: AppTestSetup, kind: string, name: string): Live | undefined {
  try {
    return JSON.parse(setup.ns.kubectl(["-n", setup.dest, "get", kind, name, "-o", "json"])) as Live;
  } catch {
    return undefined;
  }
}

const syncedAt = (pattern: RegExp) => (app: Application) =>
  app.status?.sync?.status === "Synced" &&
  pattern.test(app.status.sync.revision ?? "") &&
  app.status.health?.status === "Healthy" &&
  app.status.operation?.phase !== "Running";

/** What the pinned helm template renders for a packaged chart, release, namespace, values and API versions. */
async function helmTemplate(
  archive: string,
  release: string,
  namespace: string,
  values: object,
): Promise<KubeObject[]> {
  const home = await temp.make("bosun-helm-home-");
  const valuesFile = join(home, "values.json");
  await writeFile(valuesFile, JSON.stringify(values));
  const out = await runHelm(
    [
      "template",
      release,
      archive,
      `--namespace=${namespace}`,
      `--values=${valuesFile}`,
      `--api-versions=${WIDGET_GROUP}/v1/Widget`,
    ],
    { home, signal },
  );
  assert.equal(out.exitCode, 0, out.stderr);
  return parseAllDocuments(out.stdout)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

async function withWidgets(t: TestContext, setup: AppTestSetup): Promise<void> {
  const crd = simpleCrd(WIDGET_GROUP, "Widget");
  setup.ns.kubectl(["apply", "-f", "-"], JSON.stringify(crd));
  const name = crd.metadata.name ?? "";
  t.after(() => setup.ns.kubectl(["delete", "crd", name, "--ignore-not-found", "--wait=false"]));
  setup.ns.kubectl(["wait", "--for=condition=Established", `crd/${name}`, "--timeout=60s"]);
}

for (const target of CLUSTER_TARGETS) {
  test(`a chart from a Helm repository with auth: a range, what helm template gives, an upgrade, a range nothing matches [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { dir: repoDir, server: repo } = await chartRepository(t);
    await withWidgets(t, setup);
    repositorySecret(setup, "chart-repo", { ...AUTH, "ca.crt": repo.caCert });
    await startTestAgent(t, setup.ns);
    const values = { greeting: "hello from the Application" };
    applyApplication(setup, "web", {
      path: "",
      repoURL: repo.url,
      revision: "<2",
      source: { path: undefined, chart: "web", credentialsRef: { name: "chart-repo" }, helm: { values } },
    });
    const first = await waitForApp(setup.ns, "web", "Synced at 1.0.0", syncedAt(/^1\.0\.0@sha256:[0-9a-f]{64}$/));
    assert.match(first.status?.sourceRevision?.message ?? "", /^chart web 1\.0\.0 \(sha256:/);

    const expected = await helmTemplate(join(repoDir, "web-1.0.0.tgz"), "web", setup.dest, values);
    assert.deepEqual(
      expected.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      ["ConfigMap/web-greeting", "Widget/web-widget"],
      "helm renders the Widget (its API is given) and never the Gadget",
    );
    for (const object of expected) {
      const kind = object.kind === "Widget" ? `widgets.${WIDGET_GROUP}` : object.kind;
      const actual = live(setup, kind, object.metadata.name ?? "");
      assert.ok(actual, `${object.kind}/${object.metadata.name} is in the cluster`);
      for (const field of ["data", "spec"] as const)
        assert.deepEqual(actual[field], object[field], `${object.kind} ${field}`);
    }
    assert.equal(first.status?.resources?.length, 2, "the Gadget, whose API the cluster lacks, was not rendered");
    const diff = await runBosun(setup.ns, ["app", "diff", "web", "--exit-code"]);
    assert.equal(diff.code, 0, `bosun app diff renders the chart as the agent does:\n${diff.out}${diff.err}`);
    assert.match(diff.out, /^revision 1\.0\.0@[0-9a-f]{7} \(chart web 1\.0\.0/);

    // A new version inside the range is published: the Application upgrades by itself.
    await buildChartRepo(repoDir, [webChart("1.5.0")], { merge: true, signal });
    await waitForApp(setup.ns, "web", "Synced at 1.5.0", syncedAt(/^1\.5\.0@sha256:/));
    assert.equal(live(setup, "configmap", "web-greeting")?.data?.chartVersion, "1.5.0");

    // A range nothing matches: a condition naming the chart and repository; what is deployed stays.
    patchApp(setup, "web", { spec: { source: { revision: ">=7" } } });
    const stuck = await waitForApp(setup.ns, "web", "the error in its conditions", (app) =>
      (app.status?.conditions ?? []).some((c) => /no version of chart web matches/.test(c.message)),
    );
    const message = (stuck.status?.conditions ?? []).map((c) => c.message).join(" | ");
    assert.ok(message.includes(repo.url), message);
    assert.ok(!message.includes(AUTH.password), "the password appears nowhere");
    assert.equal(
      live(setup, "configmap", "web-greeting")?.data?.chartVersion,
      "1.5.0",
      "nothing was pruned or changed",
    );
  });

  test(`a chart from an OCI registry: the highest version in range, at the digest helm push printed [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    repositorySecret(setup, "registry", { ...AUTH, insecure: "true" });
    await startTestAgent(t, setup.ns);
    applyApplication(setup, "web", {
      path: "",
      repoURL: `${registry.url}/charts`,
      revision: ">=0.1 <1",
      source: { path: undefined, chart: "web", insecure: true, credentialsRef: { name: "registry" } },
    });
    const synced = await waitForApp(setup.ns, "web", "Synced at 0.2.0", syncedAt(/^0\.2\.0@/));
    assert.equal(synced.status?.sync?.revision, `0.2.0@${pushed.get("0.2.0")}`);
    assert.equal(live(setup, "configmap", "web-greeting")?.data?.chartVersion, "0.2.0");
    assert.equal(
      synced.status?.history?.at(-1)?.revision,
      `0.2.0@${pushed.get("0.2.0")}`,
      "history records version and digest",
    );
  });
}

const SECRET_TOKEN = "tok-only-in-a-secret-1234";

for (const target of CLUSTER_TARGETS) {
  test(`helm.valuesFrom: a ConfigMap and a labelled Secret; a ConfigMap change syncs at once; the Secret's value shows nowhere [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { server: repo } = await chartRepository(t);
    repositorySecret(setup, "chart-repo", { ...AUTH, "ca.crt": repo.caCert });
    const values = (greeting: string) => ({ "values.yaml": `greeting: ${greeting}\n` });
    setup.ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "web-values" },
        data: values("from a ConfigMap"),
      }),
    );
    const secret = (labels: Record<string, string>) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "web-token", labels },
        stringData: { token: SECRET_TOKEN },
      });
    setup.ns.kubectl(["apply", "-f", "-"], secret({}));
    await startTestAgent(t, setup.ns);
    applyApplication(setup, "web", {
      path: "",
      repoURL: repo.url,
      revision: "1.0.0",
      interval: "1h", // only the watch of the ConfigMap can bring its change in time
      source: {
        path: undefined,
        chart: "web",
        credentialsRef: { name: "chart-repo" },
        helm: {
          valuesFrom: [
            { kind: "ConfigMap", name: "web-values" },
            { kind: "Secret", name: "web-token", valuesKey: "token", targetPath: "token" },
          ],
        },
      },
    });
    const refused = await waitForApp(setup.ns, "web", "a Secret without the label refused", (app) =>
      (app.status?.conditions ?? []).some((c) => /is not labelled bosun\.dev\/secret-type=values/.test(c.message)),
    );
    assert.equal(refused.status?.sync?.status === "Synced", false);
    assert.equal(live(setup, "configmap", "web-greeting"), undefined, "nothing was applied");

    setup.ns.kubectl(["apply", "-f", "-"], secret({ "bosun.dev/secret-type": "values" }));
    await waitForApp(setup.ns, "web", "Synced with the values", syncedAt(/^1\.0\.0@/));
    assert.deepEqual(live(setup, "configmap", "web-greeting")?.data, {
      greeting: "from a ConfigMap",
      chartVersion: "1.0.0",
      token: SECRET_TOKEN,
    });

    setup.ns.kubectl([
      "patch",
      "configmap",
      "web-values",
      "--type=merge",
      "-p",
      JSON.stringify({ data: values("changed") }),
    ]);
    await waitFor(
      "the ConfigMap's change applied",
      async () => live(setup, "configmap", "web-greeting")?.data?.greeting === "changed",
      {
        timeoutMs: 60_000,
      },
    );

    // Automated sync suspended, then a change behind Git's back to the field holding the Secret's value:
    // recorded as drift, its values masked in status, Events and the diff.
    patchApp(setup, "web", { spec: { syncPolicy: { suspend: true } } });
    await waitForApp(
      setup.ns,
      "web",
      "the suspension seen",
      (app) => app.status?.observedGeneration === app.metadata.generation,
    );
    setup.ns.kubectl([
      "-n",
      setup.dest,
      "patch",
      "configmap",
      "web-greeting",
      "--type=merge",
      "-p",
      '{"data":{"token":"overwritten-by-hand"}}',
    ]);
    const drifted = await waitForApp(setup.ns, "web", "the drift recorded", (app) =>
      (app.status?.drift ?? []).some((d) => d.fields.includes("/data/token")),
    );
    const drift = drifted.status?.drift?.find((d) => d.fields.includes("/data/token"));
    assert.deepEqual(
      drift?.changes?.find((c) => c.path === "/data/token"),
      {
        path: "/data/token",
        from: "<secret>",
        to: "overwritten-by-hand",
      },
    );
    assert.ok(!JSON.stringify(drifted.status).includes(SECRET_TOKEN), "status never holds the Secret's value");
    const events = setup.ns.kubectl(["get", "events", "-o", "json"]);
    assert.ok(events.includes("DriftDetected") && !events.includes(SECRET_TOKEN), "no Event holds it");
    const diff = await runBosun(setup.ns, ["app", "diff", "web"]);
    assert.match(diff.out, /overwritten-by-hand/, diff.out + diff.err);
    assert.match(diff.out, /<secret>/);
    assert.ok(!diff.out.includes(SECRET_TOKEN), `the diff masks it:\n${diff.out}`);
  });
}

/** A chart in Git whose only template comes from one dependency on a Helm repository or an OCI registry. */
function umbrella(dependency: { repository: string; version: string }, lock?: { version: string; digest?: string }) {
  const declared = [{ name: "web", version: dependency.version, repository: dependency.repository }];
  const files: Record<string, string> = {
    "Chart.yaml": `apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: web\n    version: "${dependency.version}"\n    repository: ${dependency.repository}\n`,
    "values.yaml": "web:\n  greeting: from the umbrella\n",
  };
  if (lock) {
    const locked = [{ name: "web", version: lock.version, repository: dependency.repository }];
    files["Chart.lock"] =
      `dependencies:\n- name: web\n  repository: ${dependency.repository}\n  version: ${lock.version}\ndigest: ${lock.digest ?? lockDigest(declared, locked)}\ngenerated: "2026-12-05T00:00:00Z"\n`;
  }
  return files;
}

const prefixed = (dir: string, files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [`${dir}/${k}`, v]));

for (const target of CLUSTER_TARGETS) {
  test(`a chart in Git with remote dependencies: a Helm repository pinned by Chart.lock, an OCI registry; a tampered lock is refused [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { dir: repoDir, server: repo } = await chartRepository(t);
    // 1.5.0 matches the range too: only Chart.lock keeps the dependency at 1.0.0.
    await buildChartRepo(repoDir, [webChart("1.5.0")], { merge: true, signal });
    repositorySecret(setup, "charts-https", { ...AUTH, "ca.crt": repo.caCert, url: repo.url });
    repositorySecret(setup, "charts-oci", { ...AUTH, insecure: "true", url: `oci://${registry.host}/` });
    const ociRepository = `oci://${registry.host}/charts`;
    const files = {
      ...prefixed("from-repo", umbrella({ repository: repo.url, version: "^1.0.0" }, { version: "1.0.0" })),
      ...prefixed("from-oci", umbrella({ repository: ociRepository, version: ">=0.1 <1" })),
    };
    await setup.repo.commit("umbrella charts", files);
    await startTestAgent(t, setup.ns);
    applyApplication(setup, "deps-repo", { path: "from-repo" });
    applyApplication(setup, "deps-oci", { path: "from-oci", source: { insecure: true } });
    const synced = (app: Application) =>
      app.status?.sync?.status === "Synced" && app.status.health?.status === "Healthy";
    await waitForApp(setup.ns, "deps-repo", "Synced with its dependency", synced);
    await waitForApp(setup.ns, "deps-oci", "Synced with its dependency", synced);
    assert.deepEqual(
      live(setup, "configmap", "deps-repo-greeting")?.data,
      { greeting: "from the umbrella", chartVersion: "1.0.0" },
      "the version Chart.lock pins, with the umbrella's values",
    );
    assert.equal(live(setup, "configmap", "deps-oci-greeting")?.data?.chartVersion, "0.2.0", "the highest in range");

    // A lock edited by hand (1.5.0, its digest left as it was) is refused as helm dependency build refuses it.
    await setup.repo.commit("lock edited by hand", {
      ...files,
      ...prefixed(
        "from-repo",
        umbrella(
          { repository: repo.url, version: "^1.0.0" },
          {
            version: "1.5.0",
            digest: lockDigest(
              [{ name: "web", version: "^1.0.0", repository: repo.url }],
              [{ name: "web", version: "1.0.0", repository: repo.url }],
            ),
          },
        ),
      ),
    });
    await waitForApp(setup.ns, "deps-repo", "the tampered lock refused", (app) =>
      (app.status?.conditions ?? []).some((c) =>
        /from-repo\/Chart\.lock is out of sync with Chart\.yaml/.test(c.message),
      ),
    );
    assert.equal(
      live(setup, "configmap", "deps-repo-greeting")?.data?.chartVersion,
      "1.0.0",
      "the cluster keeps its state",
    );
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`an OCI artifact of manifests pushed as flux push artifact does: a semver range over its tags, a new tag upgrades [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    repositorySecret(setup, "registry", { ...AUTH, insecure: "true" });
    const repository = `manifests/${setup.ns.name}`;
    const push = async (tag: string, message: string) => {
      const dir = await temp.make("bosun-e2e-artifact-");
      await mkdir(join(dir, "prod"), { recursive: true });
      const configMap = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  message: ${message}\n`;
      await writeFile(join(dir, "prod", "settings.yaml"), configMap);
      await writeFile(join(dir, "staging.yaml"), configMap.replace("settings", "staging-settings"));
      return (await orasPushManifests(registry, { dir, repository, tag, auth: AUTH, signal })).digest;
    };
    const first = await push("1.0.0", "one");
    await startTestAgent(t, setup.ns);
    applyApplication(setup, "artifact", {
      path: "prod",
      repoURL: `oci://${registry.host}/${repository}`,
      revision: "1.x",
      source: { insecure: true, credentialsRef: { name: "registry" } },
    });
    const synced = await waitForApp(setup.ns, "artifact", "Synced at 1.0.0", syncedAt(/^1\.0\.0@sha256:/));
    assert.equal(synced.status?.sync?.revision, `1.0.0@${first}`);
    assert.equal(live(setup, "configmap", "settings")?.data?.message, "one");
    assert.equal(live(setup, "configmap", "staging-settings"), undefined, "only the path is rendered");
    const second = await push("1.1.0", "two");
    await waitForApp(setup.ns, "artifact", "Synced at 1.1.0", syncedAt(/^1\.1\.0@/));
    assert.equal(getApp(setup.ns, "artifact").status?.sync?.revision, `1.1.0@${second}`);
    assert.equal(live(setup, "configmap", "settings")?.data?.message, "two");
  });
}

for (const target of CLUSTER_TARGETS) {
  test(`several sources: a chart from a Helm repository takes its value file from Git ($ref); a commit to it syncs [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { server: repo } = await chartRepository(t);
    repositorySecret(setup, "chart-repo", { ...AUTH, "ca.crt": repo.caCert });
    const first = await setup.repo.commit("values", { "envs/prod/values.yaml": "greeting: from Git\n" });
    await startTestAgent(t, setup.ns);
    setup.ns.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "bosun.dev/v1alpha1",
        kind: "Application",
        metadata: { name: "web", namespace: setup.ns.name },
        spec: {
          sources: [
            {
              repoURL: repo.url,
              chart: "web",
              revision: "1.0.0",
              credentialsRef: { name: "chart-repo" },
              helm: { valueFiles: ["$values/envs/prod/values.yaml"] },
            },
            { repoURL: setup.repo.fileUrl, revision: "HEAD", ref: "values" },
          ],
          destination: { namespace: setup.dest },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            interval: "1s",
            syncOptions: ["CreateNamespace=true"],
          },
        },
      }),
    );
    const synced = await waitForApp(
      setup.ns,
      "web",
      "Synced from both sources",
      syncedAt(new RegExp(`^1\\.0\\.0@sha256:[0-9a-f]{64},${first}$`)),
    );
    assert.equal(live(setup, "configmap", "web-greeting")?.data?.greeting, "from Git");
    assert.match(synced.status?.sourceRevision?.message ?? "", /^chart web 1\.0\.0 .*; values$/);

    const second = await setup.repo.commit("new greeting", { "envs/prod/values.yaml": "greeting: changed in Git\n" });
    const upgraded = await waitForApp(setup.ns, "web", "Synced at the new commit", syncedAt(new RegExp(`,${second}$`)));
    assert.equal(live(setup, "configmap", "web-greeting")?.data?.greeting, "changed in Git");
    const history = upgraded.status?.history ?? [];
    assert.ok(
      history.some((h) => h.revision.endsWith(`,${first}`)) && history.some((h) => h.revision.endsWith(`,${second}`)),
      `history records both sources' revisions: ${JSON.stringify(history)}`,
    );
    const listed = await runBosun(setup.ns, ["app", "list"]);
    assert.match(listed.out, new RegExp(`1\\.0\\.0@[0-9a-f]{7},${second.slice(0, 7)}`), listed.out);
  });
}
