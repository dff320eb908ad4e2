// The Applications overview in headless Chromium, against bosun's HTTP server without an agent (the status
// each Application has is written here, through the status subresource, and nothing overwrites it): the
// counts by sync, health, project and cluster; a click on one filters; the name filter is the server's; only
// the rows near the viewport are in the DOM; new Applications appear live, read again at a bounded pace; and
// the page fits 380 px. GET /api/applications' parameters are checked over HTTP too.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { buildUi } from "../../scripts/build-ui.js";
import { createNamedToken } from "../../src/server/index.js";
import { CLUSTER_TARGETS, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { createStatusApp, createStatusApps, type StatusApp } from "../harness/status-apps.js";
import { call, startServer } from "../server/server-harness.js";
import { collectPageErrors, launchChromium, newPage, overflowsSideways, Screenshots, WAIT_MS } from "./browser.js";

const ROW = 'tr[aria-label^="Application "]';

/** 60 Applications: Degraded every 5th from 1, Progressing every 5th from 2, OutOfSync every 4th from 3,
 * project payments every 3rd, cluster edge every 10th. */
function fleet(): StatusApp[] {
  return Array.from({ length: 60 }, (_, i) => ({
    name: `app-${String(i).padStart(2, "0")}`,
    sync: i % 4 === 3 ? "OutOfSync" : "Synced",
    health: i % 5 === 1 ? "Degraded" : i % 5 === 2 ? "Progressing" : "Healthy",
    ...(i % 3 === 0 ? { project: "payments" } : {}),
    ...(i % 10 === 0 ? { cluster: "edge" } : {}),
  }));
}

function tally(apps: readonly StatusApp[], of: (a: StatusApp) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of apps) counts[of(a)] = (counts[of(a)] ?? 0) + 1;
  return counts;
}

function expectedCounts(apps: readonly StatusApp[]) {
  return {
    Sync: tally(apps, (a) => a.sync),
    Health: tally(apps, (a) => a.health),
    Project: tally(apps, (a) => a.project ?? "default"),
    Cluster: tally(apps, (a) => a.cluster ?? "in-cluster"),
  };
}

/** What the overview shows: each group's buttons as value → count. */
async function countsShown(page: Page): Promise<Record<string, Record<string, number>>> {
  const overview = page.getByRole("region", { name: "Overview" });
  const shown: Record<string, Record<string, number>> = {};
  for (const group of ["Sync", "Health", "Project", "Cluster"]) {
    const texts = await overview.getByRole("group", { name: group }).getByRole("button").allTextContents();
    shown[group] = Object.fromEntries(
      texts.map((text) => {
        const match = /^(.+) ([\d,]+)$/.exec(text.trim());
        return [match?.[1] ?? text, Number(match?.[2]?.replaceAll(",", "") ?? Number.NaN)];
      }),
    );
  }
  return shown;
}

/** The same counts, in whatever order each group lists them (deepEqual ignores the order of keys). */
function sameCounts(a: Record<string, Record<string, number>>, b: Record<string, Record<string, number>>): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

async function rowNames(page: Page): Promise<string[]> {
  return await page
    .locator(ROW)
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute("aria-label") ?? "").replace(/^Application [^/]+\//, "")));
}

async function inViewport(page: Page, selector: string): Promise<boolean> {
  return await page.evaluate((s) => {
    const rect = document.querySelector(s)?.getBoundingClientRect();
    return rect !== undefined && rect.top >= 0 && rect.bottom <= innerHeight;
  }, selector);
}

for (const target of CLUSTER_TARGETS)
  test(`the Applications overview: counts that filter, the server filters, a virtualised live list [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const ns = await testNamespace(t, target);
    await buildUi();
    const server = await startServer(t, ns);
    const apps = fleet();
    await createStatusApps(server.client, ns.name, apps);
    const admin = server.tokens.admin;

    // The API: counts of all, a page of the matches, and bad parameters refused with what is wrong.
    await waitFor(
      "the server to see the 60 Applications with their status",
      async () => {
        const res = await call(server, "GET", "/api/applications?health=Degraded&offset=10&limit=5", { token: admin });
        const body = res.json() as { matched: number; total: number; items: Array<{ name: string }> };
        return body.total === 60 && body.matched === 12;
      },
      { timeoutMs: 60_000 },
    );
    const page2 = (
      await call(server, "GET", "/api/applications?health=Degraded&offset=10&limit=5", { token: admin })
    ).json() as {
      items: Array<{ name: string; project: string }>;
      counts: Record<string, Record<string, number>>;
    };
    assert.deepEqual(
      page2.items.map((a) => a.name),
      ["app-51", "app-56"],
      "the 11th and 12th Degraded: a short last page",
    );
    assert.equal(page2.items[0]?.project, "payments", "a summary names its project");
    const expected = expectedCounts(apps);
    assert.deepEqual(page2.counts.health, expected.Health, "the counts are of all, whatever the filter");
    assert.deepEqual(page2.counts.project, expected.Project);
    for (const [query, message] of [
      ["limit=-1", 'limit must be a whole number from 0 to 500, not "-1"'],
      ["limit=abc", 'limit must be a whole number from 0 to 500, not "abc"'],
      ["offset=x", 'offset must be a whole number from 0 to 9007199254740991, not "x"'],
      ["sync=Synced&sync=OutOfSync", "sync may be given once"],
    ]) {
      const res = await call(server, "GET", `/api/applications?${query}`, { token: admin });
      assert.equal(res.status, 400, query);
      assert.deepEqual(res.json(), { error: message });
    }
    // A token of one project: its Applications only, and the counts over them alone.
    const payments = await createNamedToken(server.client, ns.name, {
      name: "payments-viewer",
      role: "readonly",
      project: "payments",
      signal: AbortSignal.timeout(30_000),
    });
    await waitFor(
      "the project's token to be accepted",
      async () => (await call(server, "GET", "/api/whoami", { token: payments })).status === 200,
      { timeoutMs: 30_000 },
    );
    const scoped = (await call(server, "GET", "/api/applications?limit=0", { token: payments })).json() as {
      total: number;
      items: unknown[];
      counts: Record<string, Record<string, number>>;
    };
    assert.equal(scoped.total, 20);
    assert.deepEqual(scoped.items, [], "limit=0: the counts alone");
    assert.deepEqual(scoped.counts.project, { payments: 20 });

    const shots = new Screenshots(t, `${target}/overview`);
    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    const listRequests: URL[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname === "/api/applications") listRequests.push(url);
    });
    let loads = 0;
    page.on("load", () => loads++);
    const overview = page.getByRole("region", { name: "Overview" });
    const countButton = (group: string, name: RegExp) =>
      overview.getByRole("group", { name: group }).getByRole("button", { name });
    const listCount = page.locator(".list-count");
    const hash = () => new URL(page.url()).hash;

    try {
      await page.goto(`${server.url}/`);
      await page.getByLabel("API token").fill(admin);
      await page.getByRole("button", { name: "Log in" }).click();
      await listCount.filter({ hasText: /^60 Applications$/ }).waitFor();
      await waitFor(
        "the overview to show the counts written",
        async () => sameCounts(await countsShown(page), expected),
        { timeoutMs: WAIT_MS, detail: () => JSON.stringify(expected) },
      );
      assert.deepEqual(await countsShown(page), expected);
      await shots.take(page, "overview");

      // A click on Degraded: exactly the Degraded ones, asked of the server; the counts do not move.
      await countButton("Health", /^Degraded 12$/).click();
      await listCount.filter({ hasText: /^12 of 60 Applications match$/ }).waitFor();
      const degraded = apps.filter((a) => a.health === "Degraded").map((a) => a.name);
      assert.deepEqual(await rowNames(page), degraded);
      assert.equal(await page.locator(`${ROW} [title="Health: Degraded"]`).count(), 12);
      assert.equal(await countButton("Health", /^Degraded/).getAttribute("aria-pressed"), "true");
      assert.equal(await page.getByRole("combobox", { name: "Health" }).inputValue(), "Degraded");
      assert.ok(listRequests.some((u) => u.searchParams.get("health") === "Degraded"));
      assert.deepEqual(await countsShown(page), expected, "the overview counts all, whatever the filter");
      await shots.take(page, "degraded");

      // With a project: both filters at once.
      await countButton("Project", /^payments 20$/).click();
      await listCount.filter({ hasText: /^4 of 60 Applications match$/ }).waitFor();
      assert.deepEqual(await rowNames(page), ["app-06", "app-21", "app-36", "app-51"]);
      await countButton("Project", /^payments/).click();
      await countButton("Health", /^Degraded/).click();
      await listCount.filter({ hasText: /^60 Applications$/ }).waitFor();
      assert.equal(await countButton("Health", /^Degraded/).getAttribute("aria-pressed"), "false");

      // The name filter is the server's: the request carries q.
      await page.getByRole("searchbox", { name: "Name" }).fill("APP-1");
      await listCount.filter({ hasText: /^10 of 60 Applications match$/ }).waitFor();
      assert.deepEqual(
        await rowNames(page),
        Array.from({ length: 10 }, (_, i) => `app-1${i}`),
      );
      assert.ok(
        listRequests.some((u) => u.searchParams.get("q") === "APP-1"),
        `a request with q=APP-1 among ${listRequests.map(String).join(" ")}`,
      );
      await shots.take(page, "name-filter");
      await page.getByRole("searchbox", { name: "Name" }).fill("");
      await listCount.filter({ hasText: /^60 Applications$/ }).waitFor();

      // A cluster's count: the filter goes into the location, as the combobox's does.
      await countButton("Cluster", /^edge 6$/).click();
      await listCount.filter({ hasText: /^6 of 60 Applications match$/ }).waitFor();
      assert.equal(hash(), "#/?cluster=edge");
      assert.equal(await page.getByRole("combobox", { name: "Cluster" }).inputValue(), "edge");
      assert.deepEqual(await rowNames(page), ["app-00", "app-10", "app-20", "app-30", "app-40", "app-50"]);
      await page.getByRole("combobox", { name: "Cluster" }).selectOption("");
      await listCount.filter({ hasText: /^60 Applications$/ }).waitFor();
      assert.equal(hash(), "#/");

      // A short viewport: a few rows in the DOM, whichever part of the list is in view.
      await page.setViewportSize({ width: 1280, height: 400 });
      await page.locator(`${ROW}[aria-label$="/app-00"]`).waitFor();
      await waitFor("the window to shrink to the viewport", async () => (await page.locator(ROW).count()) < 30, {
        timeoutMs: 10_000,
      });
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.locator(`${ROW}[aria-label$="/app-59"]`).waitFor();
      await waitFor(
        "the last Application in view",
        async () => await inViewport(page, `${ROW}[aria-label$="/app-59"]`),
        {
          timeoutMs: 10_000,
        },
      );
      const atEnd = await page.locator(ROW).count();
      assert.ok(atEnd < 30, `${atEnd} rows in the DOM of 60`);
      assert.equal(await page.locator(`${ROW}[aria-label$="/app-00"]`).count(), 0, "the first row left the DOM");
      await shots.take(page, "scrolled-to-the-end");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator(`${ROW}[aria-label$="/app-00"]`).waitFor();

      // Live: a new Application appears, and the counts move, without a reload.
      await createStatusApp(server.client, ns.name, { name: "app-00-new", sync: "OutOfSync", health: "Degraded" });
      await page.locator(`${ROW}[aria-label$="/app-00-new"]`).getByTitle("Health: Degraded").waitFor();
      await countButton("Health", /^Degraded 13$/).waitFor();
      await countButton("Sync", /^OutOfSync 16$/).waitFor();
      await listCount.filter({ hasText: /^61 Applications$/ }).waitFor();
      assert.equal(loads, 1, "the page was not reloaded");

      // Many changes at once are read a few times, not once each (40 events: each is created, then its status).
      const readsBefore = listRequests.length;
      const bulk = Array.from(
        { length: 20 },
        (_, i): StatusApp => ({
          name: `bulk-${String(i).padStart(2, "0")}`,
          sync: "Synced",
          health: "Healthy",
        }),
      );
      await createStatusApps(server.client, ns.name, bulk);
      await listCount.filter({ hasText: /^81 Applications$/ }).waitFor();
      const reads = listRequests.length - readsBefore;
      assert.ok(reads >= 1 && reads < 20, `${reads} reads of the list for 20 new Applications`);

      // 380 px wide: cards, nothing sideways, still virtualised, the last one reachable.
      await page.setViewportSize({ width: 380, height: 800 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator(`${ROW}[aria-label$="/app-00"]`).waitFor();
      assert.equal(await overflowsSideways(page), false, "the overview and the list fit 380 px");
      await shots.take(page, "narrow");
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.locator(`${ROW}[aria-label$="/bulk-19"]`).waitFor();
      await waitFor("the last card in view", async () => await inViewport(page, `${ROW}[aria-label$="/bulk-19"]`), {
        timeoutMs: 10_000,
      });
      const cards = await page.locator(ROW).count();
      assert.ok(cards < 30, `${cards} cards in the DOM of 81`);
      assert.equal(await overflowsSideways(page), false);
      await shots.take(page, "narrow-end");
    } catch (err) {
      await shots.take(page, "failed").catch(() => {});
      throw err;
    }
    assert.deepEqual(pageErrors, [], "no script errors, nothing refused by the page's policy");
  });
