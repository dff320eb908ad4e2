// The Application form and History compare in headless Chromium, served by bosun's HTTP server beside a
// running agent: create an Application from the form (refusals shown first), see it sync, compare two synced
// commits in the History tab (a ConfigMap's value, a Secret's only as masked text), edit the Application and
// find the spec changed and the rest of it kept; a read-only token finds the form's buttons disabled.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { buildUi } from "../../scripts/build-ui.js";
import type { Application } from "../../src/api/index.js";
import { appTestSetup, getApp, waitForApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { startServerWithAgent } from "../server/server-harness.js";
import {
  collectPageErrors,
  launchChromium,
  logIn,
  newPage,
  overflowsSideways,
  Screenshots,
  WAIT_MS,
} from "./browser.js";

const settings = (color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${color}\n`;
const secret = (password: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${password}\n`;
const FIRST_PASSWORD = "hunter2-first-plaintext";
const SECOND_PASSWORD = "s3cret-second-plaintext";

const syncedAt = (sha: string) => (app: Application) =>
  app.status?.sync?.status === "Synced" &&
  app.status.sync.revision === sha &&
  app.status.operation?.phase !== "Running";

/** The form's text field by its label. */
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** No Secret value, as typed or in base64, anywhere in the page. */
async function assertNoSecretValues(page: Page): Promise<void> {
  const html = await page.content();
  for (const value of [FIRST_PASSWORD, SECOND_PASSWORD]) {
    assert.ok(!html.includes(value), `the page shows ${value}`);
    assert.ok(!html.includes(Buffer.from(value).toString("base64")), `the page shows ${value} in base64`);
  }
}

for (const target of CLUSTER_TARGETS)
  test(`the Application form creates and edits; History compares two syncs, Secrets masked [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const first = await repo.commit("blue", {
      "app/settings.yaml": settings("blue"),
      "app/secret.yaml": secret(FIRST_PASSWORD),
      "alt/settings.yaml": settings("alt"),
    });
    await buildUi();
    const server = await startServerWithAgent(t, ns);
    const formShots = new Screenshots(t, `${target}/app-form`);
    const compareShots = new Screenshots(t, `${target}/history-compare`);
    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    const header = page.locator(".app-header");
    const newForm = page.getByRole("form", { name: "New Application" });
    const alert = newForm.getByRole("alert");

    try {
      await logIn(page, server.url, server.tokens.admin);
      await page.getByRole("link", { name: "New Application" }).click();
      await newForm.waitFor();
      assert.equal(await field(page, "Project").inputValue(), "default");
      await formShots.take(page, "new-empty");

      // Required fields are checked before anything is sent.
      await newForm.getByRole("button", { name: "Create" }).click();
      await newForm.getByText("A name is required.").waitFor();
      await newForm.getByText("A repository URL is required.").waitFor();
      assert.equal(await field(page, "Name").getAttribute("aria-invalid"), "true");

      // The server's refusals, shown beside the form: a repository URL bosun does not fetch (400, naming
      // the field), a name the API server refuses (422), one that exists (409).
      await field(page, "Name").fill("shop");
      await field(page, "Repository URL").fill("ftp://example.invalid/deploy.git");
      await newForm.getByRole("button", { name: "Create" }).click();
      await alert.filter({ hasText: "repoURL:" }).filter({ hasText: "ftp transport is not allowed" }).waitFor();
      assert.equal(await field(page, "Repository URL").getAttribute("aria-invalid"), "true");
      await formShots.take(page, "refused-repo-url");
      await field(page, "Repository URL").fill(repo.fileUrl);
      await field(page, "Name").fill("Bad_Name");
      await newForm.getByRole("button", { name: "Create" }).click();
      await alert.filter({ hasText: '"Bad_Name"' }).waitFor();
      assert.match((await alert.textContent()) ?? "", /invalid|Invalid/);
      await formShots.take(page, "refused-name");

      // A valid one: automated (on by default), polled every second.
      await field(page, "Name").fill("shop");
      await field(page, "Path").fill("app");
      await field(page, "Revision").fill("main");
      await field(page, "Destination namespace").fill(dest);
      await field(page, "Interval").fill("1s");
      assert.equal(await page.getByLabel("Automated sync").isChecked(), true);
      await formShots.take(page, "new-filled");
      await newForm.getByRole("button", { name: "Create" }).click();
      await page.getByRole("heading", { name: "shop", exact: true }).waitFor();
      await header.getByTitle("Sync: Synced").waitFor({ timeout: WAIT_MS });
      await waitForApp(ns, "shop", "the first commit synced", syncedAt(first));
      const created = getApp(ns, "shop");
      assert.equal(created.metadata.namespace, ns.name, "in the agent's namespace");
      assert.deepEqual(created.spec.source, { repoURL: repo.fileUrl, path: "app", revision: "main" });
      assert.deepEqual(created.spec.destination, { namespace: dest });
      assert.deepEqual(created.spec.syncPolicy, {
        automated: { prune: false, selfHeal: false },
        interval: "1s",
        syncOptions: ["CreateNamespace=true"],
      });
      assert.equal(ns.kubectl(["-n", dest, "get", "configmap", "settings", "-o", "jsonpath={.data.color}"]), "blue");
      await formShots.take(page, "created-synced");

      // The same name again: the API server's 409, passed on.
      await page.goto(`${server.url}/#/new`);
      await field(page, "Name").fill("shop");
      await field(page, "Repository URL").fill(repo.fileUrl);
      await newForm.getByRole("button", { name: "Create" }).click();
      await alert.filter({ hasText: "already exists" }).waitFor();

      // A second commit, synced by itself: History compares the two.
      const second = await repo.commit("green", {
        "app/settings.yaml": settings("green"),
        "app/secret.yaml": secret(SECOND_PASSWORD),
      });
      await waitForApp(ns, "shop", "the second commit synced", syncedAt(second));
      await page.goto(`${server.url}/#/apps/${ns.name}/shop/history`);
      const latest = page.locator('tr[aria-label="History 2"]');
      await latest.getByText("deployed").waitFor();
      assert.equal(
        await page.locator('tr[aria-label="History 1"]').getByRole("button", { name: "Changes" }).isDisabled(),
        true,
        "the first sync has nothing before it",
      );
      await latest.getByRole("button", { name: "Changes" }).click();
      const region = page.getByRole("region", { name: "Compare history 1 and 2" });
      const configDiff = region.getByRole("table", { name: /^Diff of ConfigMap\/.*settings$/ });
      await configDiff.locator("tr.removed", { hasText: "color: blue" }).waitFor();
      await configDiff.locator("tr.added", { hasText: "color: green" }).waitFor();
      const secretDiff = region.getByRole("table", { name: /^Diff of Secret\/.*db$/ });
      await secretDiff.locator("tr.removed", { hasText: "<secret: live value>" }).waitFor();
      await secretDiff.locator("tr.added", { hasText: "<secret: desired value>" }).waitFor();
      assert.match((await region.locator(".compare-summary").textContent()) ?? "", /2 changed, 0 added, 0 removed/);
      await assertNoSecretValues(page);
      await compareShots.take(page, "changes-unified");
      await region.getByRole("button", { name: "Side by side" }).click();
      const row = configDiff.locator("tr", { has: page.locator("td.removed", { hasText: "color: blue" }) });
      await row.locator("td.added", { hasText: "color: green" }).waitFor();
      await compareShots.take(page, "changes-side-by-side");
      await region.getByRole("button", { name: "Close" }).click();
      await region.waitFor({ state: "detached" });
      // Any two, ticked.
      await page.getByLabel("Pick #2 to compare").check();
      await page.getByLabel("Pick #1 to compare").check();
      await page.getByRole("button", { name: "Compare #1 and #2" }).click();
      await configDiff.locator("tr.added", { hasText: "color: green" }).waitFor();
      await assertNoSecretValues(page);
      await page.setViewportSize({ width: 380, height: 800 });
      assert.equal(await overflowsSideways(page), false, "the comparison fits 380 px");
      await compareShots.take(page, "narrow");
      await page.setViewportSize({ width: 1280, height: 900 });

      // Edit: spec fields the form does not cover, set by someone else, must stay.
      ns.kubectl([
        "patch",
        "applications.bosun.dev",
        "shop",
        "--type=merge",
        "-p",
        JSON.stringify({
          spec: {
            syncPolicy: { retry: { limit: 2 }, syncOptions: ["CreateNamespace=true", "PruneLast=true"] },
            ignoreDifferences: [{ group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] }],
          },
        }),
      ]);
      await page.goto(`${server.url}/#/apps/${ns.name}/shop`);
      await header.getByRole("link", { name: "Edit" }).click();
      const editForm = page.getByRole("form", { name: "Edit Application shop" });
      await editForm.waitFor();
      assert.equal(await field(page, "Path").inputValue(), "app", "filled from the Application");
      assert.equal(await field(page, "Revision").inputValue(), "main");
      assert.equal(await field(page, "Destination namespace").inputValue(), dest);
      assert.equal(await field(page, "Name").isDisabled(), true, "an edit cannot rename");
      await field(page, "Path").fill("alt");
      await page.getByLabel("Automated sync").uncheck();
      await formShots.take(page, "edit");
      await editForm.getByRole("button", { name: "Save" }).click();
      await page.getByRole("heading", { name: "shop", exact: true }).waitFor();
      const edited = await waitForApp(ns, "shop", "the edit written", (a) => a.spec.source.path === "alt");
      assert.equal(edited.spec.syncPolicy?.automated, undefined, "automated sync is off");
      assert.deepEqual(edited.spec.syncPolicy?.retry, { limit: 2 });
      assert.deepEqual(edited.spec.syncPolicy?.syncOptions, ["CreateNamespace=true", "PruneLast=true"]);
      assert.equal(edited.spec.syncPolicy?.interval, "1s");
      assert.deepEqual(edited.spec.ignoreDifferences, [
        { group: "apps", kind: "Deployment", jsonPointers: ["/spec/replicas"] },
      ]);
      assert.deepEqual(edited.spec.source, { repoURL: repo.fileUrl, path: "alt", revision: "main" });
      assert.deepEqual(edited.spec.destination, { namespace: dest });
      // Who did it, as Events on the Application.
      await page.getByRole("link", { name: "Events" }).click();
      await page.getByRole("cell", { name: "Created", exact: true }).first().waitFor();
      await page.getByRole("cell", { name: "Updated", exact: true }).first().waitFor();
      assert.match(
        (await page
          .locator("tr", { has: page.getByRole("cell", { name: "Updated", exact: true }) })
          .first()
          .textContent()) ?? "",
        /admin changed path, automated/,
      );

      await page.setViewportSize({ width: 380, height: 800 });
      await page.goto(`${server.url}/#/new`);
      await newForm.waitFor();
      assert.equal(await overflowsSideways(page), false, "the form fits 380 px");
      await formShots.take(page, "narrow-form");
    } catch (err) {
      await formShots.take(page, "failed").catch(() => {});
      throw err;
    }

    // A read-only token sees the form, and may not send it.
    const reader = await newPage(browser);
    try {
      await logIn(reader.page, server.url, server.tokens.readonly);
      const newButton = reader.page.getByRole("button", { name: "New Application" });
      assert.equal(await newButton.isDisabled(), true, "New Application is disabled");
      assert.equal(await newButton.getAttribute("title"), "needs the admin role; this token is read-only");
      await reader.page.goto(`${server.url}/#/new`);
      const create = reader.page.getByRole("button", { name: "Create" });
      assert.equal(await create.isDisabled(), true, "Create is disabled");
      assert.equal(await create.getAttribute("title"), "needs the admin role; this token is read-only");
      await reader.page.goto(`${server.url}/#/apps/${ns.name}/shop`);
      const edit = reader.page.locator(".app-header").getByRole("button", { name: "Edit" });
      assert.equal(await edit.isDisabled(), true, "Edit is disabled");
      await reader.page.goto(`${server.url}/#/apps/${ns.name}/shop/edit`);
      await reader.page.getByRole("form", { name: "Edit Application shop" }).waitFor();
      assert.equal(await reader.page.getByRole("button", { name: "Save" }).isDisabled(), true, "Save is disabled");
      await formShots.take(reader.page, "read-only");
    } catch (err) {
      await formShots.take(reader.page, "read-only-failed").catch(() => {});
      throw err;
    }
    assert.deepEqual(pageErrors, [], "no script errors, nothing refused by the page's policy");
  });
