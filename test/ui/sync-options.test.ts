// The dashboard's Sync options (dry run, chosen objects, prune) and Suspend/Resume, in headless Chromium against
// bosun's server beside an agent, on both targets.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildUi } from "../../scripts/build-ui.js";
import { appTestSetup, getApp } from "../controller/agent-harness.js";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { startServerWithAgent } from "../server/server-harness.js";
import {
  collectPageErrors,
  launchChromium,
  logIn,
  manualApplication,
  newPage,
  Screenshots,
  WAIT_MS,
} from "./browser.js";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

for (const target of CLUSTER_TARGETS)
  test(`the dashboard's sync options: dry run, chosen objects, prune; suspend and resume [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    await repo.commit("a and b", { "app/a.yaml": cm("a"), "app/b.yaml": cm("b") });
    await buildUi();
    const server = await startServerWithAgent(t, ns);
    ns.kubectl(["apply", "-f", "-"], manualApplication("shop", ns.name, repo.fileUrl, dest, { interval: "1s" }));
    const exists = (name: string) =>
      ns.kubectl(["-n", dest, "get", "configmap", name, "--ignore-not-found", "-o", "name"]) !== "";
    const shots = new Screenshots(t, `${target}/sync-options`);
    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    const options = page.getByRole("region", { name: "Sync options" });
    const outcome = page.getByRole("status").filter({ hasText: "requested" });
    const operation = page.getByRole("region", { name: "Operation" });
    try {
      await logIn(page, server.url, server.tokens.admin);
      await page.goto(`${server.url}/#/apps/${ns.name}/shop`);
      await page.locator(`tr[aria-label="ConfigMap ${dest}/b"]`).waitFor();

      // A dry run: the operation says what a sync would do; nothing is written.
      await page.getByRole("button", { name: "Sync options…" }).click();
      await options.getByLabel("Dry run").check();
      await shots.take(page, "options-dry-run");
      await options.getByRole("button", { name: "Start dry run" }).click();
      await outcome.filter({ hasText: "A dry run requested." }).waitFor();
      await operation.getByText("dry run: would create 2, change 0, prune 0").waitFor();
      assert.equal(exists("a") || exists("b"), false, "a dry run wrote nothing");
      assert.equal(await options.count(), 0, "the options close once requested");
      await shots.take(page, "dry-run-result");

      // Only ConfigMap a.
      await page.getByRole("button", { name: "Sync options…" }).click();
      await options.getByRole("checkbox", { name: `Sync only ConfigMap ${dest}/a` }).check();
      await options.getByText("Objects to sync (1 chosen)").waitFor();
      await shots.take(page, "options-chosen");
      await options.getByRole("button", { name: "Start sync" }).click();
      await outcome.filter({ hasText: "A sync of 1 chosen object requested." }).waitFor();
      await waitFor("ConfigMap a", async () => exists("a"), { timeoutMs: WAIT_MS });
      await page.locator(`tr[aria-label="ConfigMap ${dest}/a"]`).getByTitle("Sync: Synced").waitFor();
      await page.locator(`tr[aria-label="ConfigMap ${dest}/b"]`).getByTitle("Sync: Missing").waitFor();
      assert.equal(exists("b"), false, "b was not chosen");
      await shots.take(page, "chosen-synced");

      // Suspend and resume.
      await page.getByRole("button", { name: "Suspend" }).click();
      await page.locator(".facts .tag", { hasText: "suspended" }).waitFor();
      assert.equal(getApp(ns, "shop").spec.syncPolicy?.suspend, true);
      await shots.take(page, "suspended");
      await page.getByRole("button", { name: "Resume" }).click();
      await page.locator(".facts .tag", { hasText: "suspended" }).waitFor({ state: "detached" });
      assert.equal(getApp(ns, "shop").spec.syncPolicy?.suspend, false);
      await page.getByRole("button", { name: "Suspend" }).waitFor();
    } catch (err) {
      await shots.take(page, "failed").catch(() => {});
      throw err;
    }
    assert.deepEqual(pageErrors, []);
  });
