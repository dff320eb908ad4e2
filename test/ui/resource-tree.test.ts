// The Resources tab's tree in headless Chromium, served by bosun's HTTP server beside a running agent: an
// Application of a Deployment (2 replicas), a Service, a Secret and a StatefulSet with a claim template,
// synced; the tree shows what each cluster made of them (ReplicaSet and Pods, EndpointSlices, the
// StatefulSet's Pod and claim), each with a health badge; a Deployment's live and desired manifests, its diff
// after `kubectl scale`; a Secret's manifests with placeholders only; nothing outside the tree is readable.
// Screenshots of every step go to a folder the test prints.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { buildUi } from "../../scripts/build-ui.js";
import { appTestSetup, waitForApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { call, startServerWithAgent } from "../server/server-harness.js";
import {
  collectPageErrors,
  launchChromium,
  logIn,
  manualApplication,
  newPage,
  overflowsSideways,
  Screenshots,
  WAIT_MS,
} from "./browser.js";

const SECRET_VALUE = "Quokka-Lantern-7731";

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
stringData:
  password: ${SECRET_VALUE}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: { app: db }
  template:
    metadata:
      labels: { app: db }
    spec:
      containers:
        - name: db
          image: postgres:16
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 1Gi } }
`;

interface Node {
  kind: string;
  name: string;
  health?: { status: string };
  children: Node[];
}

/** The tree's rows as the page shows them, in order: each row's label and depth. */
async function rows(page: Page): Promise<Array<{ label: string; depth: number }>> {
  return await page.$$eval("table.resource-tree tbody tr[aria-label]", (trs) =>
    trs.map((tr) => ({
      label: tr.getAttribute("aria-label") ?? "",
      depth: Number(/depth-(\d)/.exec(tr.className)?.[1] ?? "-1"),
    })),
  );
}

/** The labels of the rows below `label` (its descendants, as shown), with their depth below it. */
async function shownBelow(page: Page, label: string): Promise<string[]> {
  const all = await rows(page);
  const at = all.findIndex((r) => r.label === label);
  assert.ok(at >= 0, `no row ${label}`);
  const top = all[at]?.depth ?? 0;
  const out: string[] = [];
  for (const r of all.slice(at + 1)) {
    if (r.depth <= top) break;
    out.push(`${r.depth - top}:${r.label}`);
  }
  return out;
}

for (const target of CLUSTER_TARGETS)
  test(`the resource tree: what the cluster made, live and desired manifests, the diff; Secrets masked [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("web, db and their secret", { "app/manifests.yaml": manifests });
    await buildUi();
    const server = await startServerWithAgent(t, ns);
    const shots = new Screenshots(t, `${target}/resource-tree`);
    const appPath = `/api/applications/${ns.name}/rt`;
    ns.kubectl(["apply", "-f", "-"], manualApplication("rt", ns.name, repo.fileUrl, dest));
    await waitForApp(ns, "rt", "the Application to be compared", (a) => (a.status?.resources?.length ?? 0) === 4);
    const sync = await call(server, "POST", `${appPath}/sync`, { token: server.tokens.admin, body: {} });
    assert.equal(sync.status, 202, sync.text);
    await waitForApp(
      ns,
      "rt",
      "the sync to apply everything",
      (a) => a.status?.sync?.status === "Synced" && a.status.operation?.phase === "Succeeded",
    );

    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    const bodies: string[] = [];
    page.on("response", (res) => {
      if (new URL(res.url()).pathname.startsWith("/api/") && !res.url().includes("/api/events/stream"))
        res.text().then(
          (text) => bodies.push(text),
          () => {},
        );
    });
    const row = (label: string) => page.locator(`tr[aria-label="${label}"]`);
    const deployment = `Deployment.apps ${dest}/web`;
    const statefulSet = `StatefulSet.apps ${dest}/db`;
    const service = `Service ${dest}/web`;
    const secret = `Secret ${dest}/creds`;
    const base64Value = Buffer.from(SECRET_VALUE).toString("base64");
    const noSecretOnPage = async (step: string) => {
      const html = await page.content();
      assert.equal(html.includes(SECRET_VALUE), false, `the Secret's value on the page (${step})`);
      assert.equal(html.includes(base64Value), false, `the Secret's value, base64, on the page (${step})`);
    };

    try {
      await logIn(page, server.url, server.tokens.admin);
      await page.goto(`${server.url}/#/apps/${ns.name}/rt`);
      // Deployment → ReplicaSet → 2 Pods, each Healthy once the cluster runs them (the tree is read again as it goes).
      const pods = page.locator(`tr.depth-2[aria-label^="Pod ${dest}/web-"]`);
      await pods.nth(1).getByTitle("Health: Healthy").waitFor({ timeout: WAIT_MS });
      await row(deployment).getByTitle("Health: Healthy").waitFor();
      const underDeployment = await shownBelow(page, deployment);
      assert.equal(underDeployment.length, 3, underDeployment.join(", "));
      assert.match(underDeployment[0] ?? "", new RegExp(`^1:ReplicaSet\\.apps ${dest}/web-[a-z0-9]+$`));
      for (const pod of underDeployment.slice(1)) assert.match(pod, new RegExp(`^2:Pod ${dest}/web-`));
      for (const label of underDeployment.map((l) => l.slice(2)))
        assert.equal(await row(label).locator('[title^="Health: "]').count(), 1, `${label} has a health badge`);
      assert.match((await row(deployment).textContent()) ?? "", /2\/2 ready/);
      // The wave is still there: the section heading, and the sync status of the Application's own objects.
      await page
        .locator("section.wave", { has: row(deployment) })
        .getByRole("heading", { name: "Wave 0" })
        .waitFor();
      await row(deployment).getByTitle("Sync: Synced").waitFor();

      // StatefulSet → its Pod and its claim (`<template>-<statefulset>-<ordinal>`), which both clusters make.
      // The test control plane has no storage provisioner: there the claim stays Pending and the Pod unscheduled.
      await row(`PersistentVolumeClaim ${dest}/data-db-0`).waitFor();
      await row(`Pod ${dest}/db-0`).waitFor();
      assert.deepEqual((await shownBelow(page, statefulSet)).sort(), [
        `1:PersistentVolumeClaim ${dest}/data-db-0`,
        `1:Pod ${dest}/db-0`,
      ]);
      const claimHealth = target === "embedded" ? "Healthy" : "Progressing";
      await row(`PersistentVolumeClaim ${dest}/data-db-0`).getByTitle(`Health: ${claimHealth}`).waitFor();
      assert.equal(await row(`Pod ${dest}/db-0`).locator('[title^="Health: "]').count(), 1);

      // Service → EndpointSlice: kube-controller-manager's EndpointSlice controller makes one, as the simulator does.
      const slice = page.locator(`tr.depth-1[aria-label^="EndpointSlice.discovery.k8s.io ${dest}/web-"]`);
      await slice.waitFor();
      const underService = await shownBelow(page, service);
      assert.equal(underService.length, 1, underService.join(", "));
      assert.equal(await slice.locator('[title^="Health: "]').count(), 1);
      await shots.take(page, "tree");

      // The same tree as JSON: nested nodes, each with its health.
      const tree = (await call(server, "GET", `${appPath}/tree`, { token: server.tokens.readonly })).json() as {
        nodes: Node[];
        omitted: number;
      };
      assert.equal(tree.omitted, 0);
      const web = tree.nodes.find((n) => n.kind === "Deployment" && n.name === "web");
      assert.equal(web?.children.length, 1);
      assert.equal(web?.children[0]?.kind, "ReplicaSet");
      assert.deepEqual(
        web?.children[0]?.children.map((p) => [p.kind, p.health?.status]),
        [
          ["Pod", "Healthy"],
          ["Pod", "Healthy"],
        ],
      );

      // Folding the Deployment hides what it made.
      await row(deployment)
        .getByRole("button", { name: `Hide what ${deployment} made` })
        .click();
      await pods.first().waitFor({ state: "detached" });
      await shots.take(page, "deployment-folded");
      await row(deployment)
        .getByRole("button", { name: `Show what ${deployment} made` })
        .click();
      await pods.nth(1).waitFor();

      // The Deployment: live and desired both say 2 replicas, and the location names it.
      await row(deployment).getByRole("link", { name: "web" }).click();
      const panel = page.getByRole("region", { name: `Resource ${deployment}` });
      const live = panel.getByRole("figure", { name: `Live manifest of ${deployment}` });
      await live.waitFor();
      assert.match((await live.textContent()) ?? "", /\nspec:\n(?: {2}.*\n)*? {2}replicas: 2\n/);
      assert.equal(((await live.textContent()) ?? "").includes("managedFields"), false);
      assert.equal(new URL(page.url()).hash, `#/apps/${ns.name}/rt/resources?resource=apps/Deployment/${dest}/web`);
      await shots.take(page, "deployment-live");
      await panel.getByRole("tab", { name: "Desired" }).click();
      const desired = panel.getByRole("figure", { name: `Desired manifest of ${deployment}` });
      assert.match((await desired.textContent()) ?? "", /\nspec:\n(?: {2}.*\n)*? {2}replicas: 2\n/);
      await shots.take(page, "deployment-desired");
      await panel.getByRole("tab", { name: "Diff" }).click();
      await panel.getByText("No differences").waitFor();

      // Scaled behind Git's back: read again, the diff is 3 live against 2 in Git.
      ns.kubectl(["-n", dest, "scale", "deployment/web", "--replicas=3"]);
      await panel.getByRole("button", { name: "Read again" }).click();
      await panel.getByTitle("Sync: OutOfSync").waitFor();
      const diff = panel.getByRole("table", { name: `Diff of Deployment.apps/${dest}/web` });
      await diff.locator("tr.removed", { hasText: "replicas: 3" }).waitFor();
      await diff.locator("tr.added", { hasText: "replicas: 2" }).waitFor();
      await shots.take(page, "deployment-diff");
      await panel.getByRole("tab", { name: "Live" }).click();
      assert.match((await live.textContent()) ?? "", /\nspec:\n(?: {2}.*\n)*? {2}replicas: 3\n/);

      // A link names the open object: a reload opens it again.
      await page.reload();
      await page
        .getByRole("region", { name: `Resource ${deployment}` })
        .getByRole("tab", { name: "Live" })
        .waitFor();

      // A Pod the cluster made: its live manifest only.
      const podLabel = underDeployment[1]?.slice(2) ?? "";
      await row(podLabel).getByRole("link").click();
      const podPanel = page.getByRole("region", { name: `Resource ${podLabel}` });
      await podPanel.getByRole("figure", { name: `Live manifest of ${podLabel}` }).waitFor();
      assert.deepEqual(await podPanel.getByRole("tab").allTextContents(), ["Live"]);
      assert.match((await podPanel.textContent()) ?? "", /kind: Pod/);
      await shots.take(page, "pod-live-only");

      // The Secret: placeholders on both sides, never its value.
      await row(secret).getByRole("link", { name: "creds" }).click();
      const secretPanel = page.getByRole("region", { name: `Resource ${secret}` });
      const secretLive = secretPanel.getByRole("figure", { name: `Live manifest of ${secret}` });
      await secretLive.waitFor();
      assert.match((await secretLive.textContent()) ?? "", /password: <secret>/);
      await noSecretOnPage("Secret live");
      await shots.take(page, "secret-live");
      await secretPanel.getByRole("tab", { name: "Desired" }).click();
      const secretDesired = secretPanel.getByRole("figure", { name: `Desired manifest of ${secret}` });
      assert.match((await secretDesired.textContent()) ?? "", /password: <secret>/);
      await noSecretOnPage("Secret desired");
      await secretPanel.getByRole("tab", { name: "Diff" }).click();
      await secretPanel.getByText("No differences").waitFor();
      await shots.take(page, "secret-desired");

      // A narrow screen, a manifest open: nothing scrolls sideways.
      await page.setViewportSize({ width: 380, height: 800 });
      await secretPanel.getByRole("tab", { name: "Live" }).click();
      assert.equal(await overflowsSideways(page), false, "the tree and a manifest fit 380 px");
      await shots.take(page, "narrow");
    } catch (err) {
      await shots.take(page, "failed").catch(() => {});
      throw err;
    }

    // Only the tree's objects can be read: not another Secret of the namespace, nor what does not exist.
    ns.kubectl(["-n", dest, "create", "secret", "generic", "other", `--from-literal=k=${SECRET_VALUE}`]);
    const resource = (q: string, token = server.tokens.readonly) =>
      call(server, "GET", `${appPath}/resource?${q}`, { token });
    for (const q of [
      `kind=Secret&namespace=${dest}&name=other`,
      `kind=Pod&namespace=${dest}&name=nope`,
      `group=apps&kind=Deployment&namespace=${ns.name}&name=web`,
    ]) {
      const refused = await resource(q);
      assert.equal(refused.status, 404, `${q}: ${refused.text}`);
      bodies.push(refused.text);
    }
    const own = await resource(`kind=Secret&namespace=${dest}&name=creds`);
    assert.equal(own.status, 200, own.text);
    assert.equal((own.json() as { status: string }).status, "Synced");
    bodies.push(own.text);
    assert.equal((await resource(`kind=Secret&namespace=${dest}&name=creds`, "not-a-token")).status, 401);

    for (const body of bodies) {
      assert.equal(body.includes(SECRET_VALUE), false, "the Secret's value in an answer");
      assert.equal(body.includes(base64Value), false, "the Secret's value, base64, in an answer");
    }
    assert.ok(bodies.length > 5, "the answers were read");
    assert.deepEqual(pageErrors, [], "no script errors, nothing refused by the page's policy");
  });
