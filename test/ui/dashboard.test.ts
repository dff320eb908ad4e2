// The web dashboard in headless Chromium, served by bosun's HTTP server beside a running agent on the
// real control plane: log in, Sync an OutOfSync Application, see drift from `kubectl scale` arrive
// without a reload, read the diff both ways, roll back from the history, and a read-only token that may
// only look. Screenshots of every step go to a folder the test prints.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildUi } from "../../scripts/build-ui.js";
import { appTestSetup, getApp, waitForApp } from "../controller/agent-harness.js";
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

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
const settings = (color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${color}\n`;

for (const target of CLUSTER_TARGETS)
  test(`the dashboard: log in, sync, drift, diff, rollback; a read-only token only looks [${target}]`, async (t) => {
    const browser = await launchChromium(t); // first: without Chromium, fail before building anything
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const first = await repo.commit("deploy web", {
      "app/deployment.yaml": deployment,
      "app/settings.yaml": settings("blue"),
    });
    await buildUi();
    const server = await startServerWithAgent(t, ns);
    const shots = new Screenshots(t, `${target}/dashboard`);

    const { page } = await newPage(browser);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    let loads = 0;
    page.on("load", () => loads++);
    const pageErrors = collectPageErrors(page);
    const appRow = page.locator(`tr[aria-label="Application ${ns.name}/shop"]`);
    const header = page.locator(".app-header");
    const revisionShown = page.locator(".facts .sha");

    try {
      // A wrong token is refused; the admin token logs in.
      await page.goto(`${server.url}/`);
      await page.getByLabel("API token").fill("not-a-token");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").filter({ hasText: "does not accept this token" }).waitFor();
      await shots.take(page, "login-refused");
      await page.getByLabel("API token").fill(server.tokens.admin);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Applications" }).waitFor();
      assert.equal(await page.locator(".role").textContent(), "admin");
      // The token is kept for this tab: a reload stays logged in.
      await page.reload();
      await page.getByRole("heading", { name: "Applications" }).waitFor();
      assert.equal(await page.locator(".role").textContent(), "admin");

      // The Application appears live (created after the page loaded) and OutOfSync: automated sync is off.
      ns.kubectl(["apply", "-f", "-"], manualApplication("shop", ns.name, repo.fileUrl, dest));
      await appRow.getByTitle("Sync: OutOfSync").waitFor();
      await shots.take(page, "list-out-of-sync");

      // Sync from the Application's page: Synced and Healthy, in the page and in the list.
      await appRow.getByRole("link", { name: "shop" }).click();
      await header.getByTitle("Sync: OutOfSync").waitFor();
      await page.getByRole("button", { name: "Sync", exact: true }).click();
      await page.getByRole("status").filter({ hasText: "A sync requested." }).waitFor();
      await header.getByTitle("Sync: Synced").waitFor({ timeout: WAIT_MS });
      await header.getByTitle("Health: Healthy").waitFor({ timeout: WAIT_MS });
      assert.equal(await revisionShown.textContent(), first.slice(0, 7));
      assert.equal(getApp(ns, "shop").status?.sync?.revision, first, "the page shows what the cluster says");
      await page.locator(`tr[aria-label="Deployment.apps ${dest}/web"]`).getByTitle("Health: Healthy").waitFor();
      await shots.take(page, "app-synced-healthy");
      await page.getByRole("link", { name: "Applications" }).click();
      await appRow.getByTitle("Sync: Synced").waitFor();
      await appRow.getByTitle("Health: Healthy").waitFor();
      assert.match((await appRow.textContent()) ?? "", new RegExp(`${first.slice(0, 7)}\\s*deploy web`));
      await shots.take(page, "list-synced-healthy");

      // kubectl scale behind Git's back: the drift record arrives over the event stream, no reload.
      await appRow.getByRole("link", { name: "shop" }).click();
      await page.getByRole("link", { name: "Drift" }).click();
      await page.getByText("No drift recorded.").waitFor();
      const loadsBefore = loads;
      ns.kubectl(["-n", dest, "scale", "deployment/web", "--replicas=3"]);
      const driftRow = page.locator(`tr[aria-label="Drift of Deployment.apps/${dest}/web"]`);
      await driftRow.waitFor();
      assert.equal(loads, loadsBefore, "the page was not reloaded");
      assert.equal((await driftRow.locator(".manager").textContent())?.startsWith("kubectl"), true);
      assert.match((await driftRow.textContent()) ?? "", /replicas/);
      // The values: 1 in Git, 3 as kubectl scaled it.
      await driftRow.locator("li", { hasText: "/spec/replicas" }).filter({ hasText: "1 → 3" }).waitFor();
      assert.match((await driftRow.textContent()) ?? "", /detected only/, "self-heal is off: drift is only detected");
      await shots.take(page, "drift-recorded");

      // The Events tab: who asked for the sync, and the drift.
      await page.getByRole("link", { name: "Events" }).click();
      await page.getByRole("cell", { name: "SyncRequested" }).first().waitFor();
      await page.getByRole("cell", { name: "DriftDetected" }).first().waitFor();
      await shots.take(page, "events");

      // The diff: live replicas 3 against 1 in Git, unified and side by side.
      await page.getByRole("link", { name: "Diff" }).click();
      const webDiff = page.getByRole("table", { name: `Diff of Deployment.apps/${dest}/web` });
      await webDiff.locator("tr.removed", { hasText: "replicas: 3" }).waitFor();
      await webDiff.locator("tr.added", { hasText: "replicas: 1" }).waitFor();
      await shots.take(page, "diff-unified");
      await page.getByRole("button", { name: "Side by side" }).click();
      const row = webDiff.locator("tr", { has: page.locator("td.removed", { hasText: "replicas: 3" }) });
      await row.locator("td.added", { hasText: "replicas: 1" }).waitFor();
      await shots.take(page, "diff-side-by-side");

      // A second revision, synced; then roll back to the first from the history.
      const second = await repo.commit("paint it green", { "app/settings.yaml": settings("green") });
      await page.getByRole("button", { name: "Sync", exact: true }).click();
      await revisionShown.filter({ hasText: second.slice(0, 7) }).waitFor();
      await header.getByTitle("Sync: Synced").waitFor();
      await page.getByRole("link", { name: "History" }).click();
      const firstEntry = page.locator('tr[aria-label="History 1"]');
      await page.locator('tr[aria-label="History 2"]').getByText("deployed").waitFor();
      await shots.take(page, "history");
      await firstEntry.getByRole("button", { name: "Roll back" }).click();
      await firstEntry.getByRole("button", { name: `Confirm rollback to ${first.slice(0, 7)}` }).click();
      await revisionShown.filter({ hasText: first.slice(0, 7) }).waitFor();
      await header.getByText("rolled back to #1").waitFor();
      await waitForApp(ns, "shop", "the rollback to converge", (a) => a.status?.sync?.revision === first);
      assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "settings", "-o", "jsonpath={.data.color}"]), "blue");
      await shots.take(page, "rolled-back");

      // A narrow screen: nothing scrolls sideways.
      await page.setViewportSize({ width: 380, height: 800 });
      await page.getByRole("link", { name: "Resources" }).click();
      assert.equal(await overflowsSideways(page), false, "the Application page fits 380 px");
      await shots.take(page, "narrow-app");
      await page.getByRole("link", { name: "Drift" }).click();
      await page.locator(`tr[aria-label="Drift of Deployment.apps/${dest}/web"]`).first().waitFor();
      assert.equal(await overflowsSideways(page), false, "the Drift tab fits 380 px");
      await shots.take(page, "narrow-drift");
      await page.getByRole("link", { name: "Applications" }).click();
      await appRow.waitFor();
      assert.equal(await overflowsSideways(page), false, "the list fits 380 px");
      await shots.take(page, "narrow-list");
    } catch (err) {
      await shots.take(page, "failed").catch(() => {});
      throw err;
    }

    // A read-only token sees everything and may do nothing.
    const reader = await newPage(browser);
    try {
      await logIn(reader.page, server.url, server.tokens.readonly);
      assert.equal(await reader.page.locator(".role").textContent(), "read-only");
      await reader.page.locator(`tr[aria-label="Application ${ns.name}/shop"]`).getByRole("link").click();
      for (const name of ["Sync", "Refresh", "Resume"])
        assert.equal(
          await reader.page.getByRole("button", { name, exact: true }).isDisabled(),
          true,
          `${name} is disabled`,
        );
      await reader.page.getByRole("link", { name: "History" }).click();
      const rollback = reader.page.locator('tr[aria-label="History 2"]').getByRole("button", { name: "Roll back" });
      assert.equal(await rollback.isDisabled(), true, "Roll back is disabled");
      await shots.take(reader.page, "read-only");
    } catch (err) {
      await shots.take(reader.page, "read-only-failed").catch(() => {});
      throw err;
    }

    assert.deepEqual(pageErrors, [], "no script errors, nothing refused by the page's policy");
    // Everything came from bosun itself (no CDN), no token ever went into a URL, and no Secret was asked for.
    const all = [...requests];
    assert.ok(all.length > 0);
    for (const url of all) {
      assert.ok(url.startsWith(`${server.url}/`), `a request left the server: ${url}`);
      assert.ok(
        !url.includes(server.tokens.admin) && !url.includes(server.tokens.readonly),
        `a token in a URL: ${url}`,
      );
      assert.ok(!/secret/i.test(url), `the dashboard asked for a Secret: ${url}`);
    }
  });

function clusterSecret(namespace: string, secret: string, data: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: secret, namespace, labels: { "bosun.dev/secret-type": "cluster" } },
    stringData: data,
  });
}

for (const target of CLUSTER_TARGETS)
  test(`the dashboard: a Cluster column and filter, the clusters page, and what an Application depends on [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("settings", { "app/settings.yaml": settings("blue") });
    // A cluster nothing answers for (port 1), and a cluster Secret the agent refuses (an exec plugin).
    ns.kubectl(
      ["apply", "-f", "-"],
      clusterSecret(ns.name, "cluster-far", {
        name: "far",
        server: "https://127.0.0.1:1",
        config: JSON.stringify({ bearerToken: "far-token-Saffron-Otter-9", tlsClientConfig: { insecure: true } }),
      }),
    );
    ns.kubectl(
      ["apply", "-f", "-"],
      clusterSecret(ns.name, "cluster-broken", {
        name: "broken",
        server: "https://127.0.0.1:2",
        config: JSON.stringify({ bearerToken: "x", execProviderConfig: { command: "steal" } }),
      }),
    );
    await buildUi();
    const server = await startServerWithAgent(t, ns);
    ns.kubectl(["apply", "-f", "-"], manualApplication("db", ns.name, repo.fileUrl, dest));
    ns.kubectl(
      ["apply", "-f", "-"],
      manualApplication("web", ns.name, repo.fileUrl, dest, {
        spec: { dependsOn: [{ name: "db" }, { name: "ghost" }] },
      }),
    );
    ns.kubectl(
      ["apply", "-f", "-"],
      manualApplication("remote", ns.name, repo.fileUrl, dest, {
        spec: { destination: { name: "far", namespace: `${dest}-far` } },
      }),
    );
    t.after(() => ns.kubectl(["delete", "namespace", `${dest}-far`, "--wait=false", "--ignore-not-found"]));
    const shots = new Screenshots(t, `${target}/clusters`);

    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    let loads = 0;
    page.on("load", () => loads++);
    const row = (name: string) => page.locator(`tr[aria-label="Application ${ns.name}/${name}"]`);
    const clusterCell = (name: string) => row(name).locator('td[data-label="Cluster"]');
    const shownApps = page.locator('table.apps tr[aria-label^="Application "]');
    const clusterFilter = page.getByRole("combobox", { name: "Cluster" });
    const hash = () => new URL(page.url()).hash;

    try {
      await logIn(page, server.url, server.tokens.admin);
      // The Cluster column: the two in the agent's own cluster and the one on far.
      await row("remote").waitFor();
      assert.equal((await clusterCell("remote").textContent())?.trim(), "far");
      assert.equal((await clusterCell("db").textContent())?.trim(), "in-cluster");
      assert.equal((await clusterCell("web").textContent())?.trim(), "in-cluster");
      await page.getByRole("columnheader", { name: "Cluster" }).waitFor();
      assert.equal(await clusterFilter.inputValue(), "", "all clusters at first");
      assert.deepEqual(await clusterFilter.locator("option").allTextContents(), ["all clusters", "far", "in-cluster"]);
      await shots.take(page, "list-cluster-column");

      // The filter keeps one cluster's Applications, and lives in the location (a reload keeps it).
      await clusterFilter.selectOption("far");
      await row("db").waitFor({ state: "detached" });
      assert.equal(hash(), "#/?cluster=far");
      assert.equal(await shownApps.count(), 1);
      await row("remote").waitFor();
      await page.reload();
      await row("remote").waitFor();
      assert.equal(await clusterFilter.inputValue(), "far");
      assert.equal(await shownApps.count(), 1, "the filter survived the reload");
      await clusterFilter.selectOption("in-cluster");
      await row("remote").waitFor({ state: "detached" });
      assert.deepEqual(
        (await shownApps.locator("a.app-link").allTextContents()).sort(),
        ["db", "web"],
        "only the in-cluster ones",
      );
      await shots.take(page, "list-filtered-in-cluster");
      await clusterFilter.selectOption("");
      await row("remote").waitFor();
      assert.equal(hash(), "#/");
      assert.equal(await shownApps.count(), 3);

      // The clusters page, from the header: each cluster's state, version and Applications.
      await page.locator(".topbar").getByRole("link", { name: "Clusters" }).click();
      await page.getByRole("heading", { name: "Clusters" }).waitFor();
      assert.equal(hash(), "#/clusters");
      const home = page.locator('tr[aria-label="Cluster in-cluster"]');
      const far = page.locator('tr[aria-label="Cluster far"]');
      await home.getByTitle("State: Reachable").waitFor();
      assert.match((await home.locator('td[data-label="Version"]').textContent()) ?? "", /^\d+\.\d+\.\d+$/);
      assert.equal(await home.getByRole("link").textContent(), "2 Applications");
      // The agent finds far unreachable when it reconciles remote; the page reads the clusters again as it ticks.
      await far.getByTitle("State: Unreachable").waitFor();
      assert.notEqual((await far.locator('td[data-label="Message"]').textContent())?.trim(), "—", "it says why");
      assert.match((await far.textContent()) ?? "", /https:\/\/127\.0\.0\.1:1/);
      assert.equal(await far.getByRole("link").textContent(), "1 Application");
      const rejected = page.getByRole("region", { name: "Cluster Secrets not used" });
      assert.match((await rejected.textContent()) ?? "", /cluster-broken.*execProviderConfig is not supported/);
      assert.equal((await page.content()).includes("far-token-Saffron-Otter-9"), false, "a credential on the page");
      await shots.take(page, "clusters");
      await page.setViewportSize({ width: 380, height: 800 });
      assert.equal(await overflowsSideways(page), false, "the clusters page fits 380 px");
      await shots.take(page, "narrow-clusters");
      await page.setViewportSize({ width: 1280, height: 900 });

      // Its count links to the list of that cluster's Applications.
      await far.getByRole("link", { name: "1 Application" }).click();
      await row("db").waitFor({ state: "detached" });
      await row("remote").waitFor();
      assert.equal(hash(), "#/?cluster=far");
      assert.equal(await clusterFilter.inputValue(), "far");

      // web's page: what it depends on, each with a link, a badge and why it is not ready.
      await page.goto(`${server.url}/#/apps/${ns.name}/web`);
      const dependsOn = page.getByRole("region", { name: "Depends on" });
      const db = dependsOn.locator(`li[aria-label="Dependency ${ns.name}/db"]`);
      const ghost = dependsOn.locator(`li[aria-label="Dependency ${ns.name}/ghost"]`);
      await db.getByTitle(`Dependency ${ns.name}/db: Waiting`).waitFor();
      await db.locator(".why", { hasText: "OutOfSync" }).waitFor();
      await ghost.getByTitle(`Dependency ${ns.name}/ghost: Waiting`).waitFor();
      assert.equal(await ghost.locator(".why").textContent(), "not found");
      assert.equal(await page.locator(".facts").getByRole("link", { name: "in-cluster" }).count(), 1);
      await shots.take(page, "depends-on-waiting");

      // db synced (through the API, behind the page's back): web's page says it is ready, without a reload.
      const loadsBefore = loads;
      const sync = await call(server, "POST", `/api/applications/${ns.name}/db/sync`, {
        token: server.tokens.admin,
        body: {},
      });
      assert.equal(sync.status, 202, sync.text);
      await db.getByTitle(`Dependency ${ns.name}/db: Ready`).waitFor();
      assert.equal(await db.locator(".why").count(), 0, "a ready dependency has no why");
      assert.equal(loads, loadsBefore, "the page was not reloaded");
      await shots.take(page, "depends-on-ready");
      await db.getByRole("link", { name: "db" }).click();
      await page.locator(".app-header").getByRole("heading", { name: "db" }).waitFor();
      assert.equal(hash(), `#/apps/${ns.name}/db`);
      assert.equal(await page.getByRole("region", { name: "Depends on" }).count(), 0, "db depends on nothing");
    } catch (err) {
      await shots.take(page, "failed").catch(() => {});
      throw err;
    }
    assert.deepEqual(pageErrors, [], "no script errors, nothing refused by the page's policy");
  });
