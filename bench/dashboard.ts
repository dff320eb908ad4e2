// bench/dashboard: the dashboard's Applications list at 1,000 Applications, in headless Chromium against
// bosun's HTTP server (no agent) and the embedded API server. Prints figures; asserts nothing.
//   npx tsx bench/dashboard.ts [--apps 1000] [--runs 5]
// Figures (median of the runs, each in a fresh browser context): navigation → first rows painted; a
// filter change (Health: Degraded) → only those rows shown; scroll to the end → the last Application's row
// shown; how many rows are in the DOM (few, when the list is virtualised); and the API's answer times.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { chromium, type Page } from "playwright-core";
import { buildUi } from "../scripts/build-ui.js";
import { applicationCrd, projectCrd } from "../src/api/index.js";
import { applyObjects, KubeClient, loadClusterConfig } from "../src/cluster/index.js";
import { createServer, ensureApiTokens } from "../src/server/index.js";
import { startEmbeddedProcess } from "../test/harness/embedded-process.js";
import { createStatusApps, type StatusApp } from "../test/harness/status-apps.js";
import { median } from "./stats.js";

const { values } = parseArgs({
  options: { apps: { type: "string", default: "1000" }, runs: { type: "string", default: "5" } },
});
const APPS = Number(values.apps);
const RUNS = Number(values.runs);
const NS = "bench-dashboard";
const CHROMIUM = "/usr/bin/chromium";
const ROW = 'tr[aria-label^="Application "]';
const SYNC = ["Synced", "Synced", "OutOfSync"] as const;
const HEALTH = ["Healthy", "Healthy", "Progressing", "Healthy", "Degraded"] as const;
const PROJECTS = ["default", "payments", "search", "web"];

/** The fleet: sync, health, project and cluster spread with different periods, so every mix occurs. */
function fleet(count: number): StatusApp[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `app-${String(i).padStart(4, "0")}`,
    sync: SYNC[i % SYNC.length] ?? "Synced",
    health: HEALTH[i % HEALTH.length] ?? "Healthy",
    project: PROJECTS[i % PROJECTS.length],
    cluster: i % 7 === 0 ? "edge" : undefined,
  }));
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

/**
 * Marks, in the page, when the first Application rows are painted (performance.now(): from navigation
 * start): the frame after they are in the DOM has been laid out and painted once a task queued from its
 * requestAnimationFrame runs. A string: tsx's transform would add helpers to a function that the page lacks.
 */
const MARK_FIRST_ROW = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('${ROW}')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__firstRowAt = performance.now(); }));
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

// The page's policy forbids eval: what is waited for is a function (inline arrows: tsx names no helper into them).
async function timeUntil(
  page: Page,
  act: () => Promise<unknown>,
  done: (selector: string) => boolean,
  selector: string,
): Promise<number> {
  const started = performance.now();
  await act();
  await page.waitForFunction(done, selector, { polling: "raf", timeout: 60_000 });
  return performance.now() - started;
}

interface Run {
  firstRows: number;
  filter: number;
  lastRows: number;
  rowsAtTop: number;
  rowsAtEnd: number;
}

async function oneRun(page: Page, url: string, token: string, last: string): Promise<Run> {
  await page.goto(`${url}/`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator(ROW).first().waitFor();
  // Logged in (the token is kept for the tab): the figure is a reload's, navigation → first rows.
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { __firstRowAt?: number }).__firstRowAt !== undefined);
  const firstRows = await page.evaluate(() => (window as unknown as { __firstRowAt: number }).__firstRowAt);
  const rowsAtTop = await page.locator(ROW).count();

  const health = page.getByRole("combobox", { name: "Health" });
  const filter = await timeUntil(
    page,
    () => health.selectOption("Degraded"),
    (row) => {
      const rows = [...document.querySelectorAll(row)];
      return rows.length > 0 && rows.every((r) => r.querySelector('[title="Health: Degraded"]'));
    },
    ROW,
  );
  await health.selectOption("");
  await page.locator(`${ROW} [title="Health: Healthy"]`).first().waitFor();

  const lastRow = `tr[aria-label="Application ${NS}/${last}"]`;
  const lastRows = await timeUntil(
    page,
    () => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight)),
    (selector) => {
      const r = document.querySelector(selector);
      return r !== null && r.getBoundingClientRect().top < innerHeight;
    },
    lastRow,
  );
  const rowsAtEnd = await page.locator(ROW).count();
  return { firstRows, filter, lastRows, rowsAtTop, rowsAtEnd };
}

async function apiTimes(url: string, token: string): Promise<{ all: number; filtered: number; bytes: number }> {
  const get = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { ms: performance.now() - started, bytes: text.length };
  };
  const all: number[] = [];
  const filtered: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 10; i++) {
    const a = await get("/api/applications");
    bytes = a.bytes;
    all.push(a.ms);
    filtered.push((await get("/api/applications?health=Degraded&q=app-0&limit=50")).ms);
  }
  return { all: median(all), filtered: median(filtered), bytes };
}

console.log(`bench/dashboard: ${APPS} Applications, ${RUNS} runs; node ${process.version}; headless ${CHROMIUM}`);
const dir = mkdtempSync(join(tmpdir(), "bosun-bench-dashboard-"));
mkdirSync(join(dir, "embedded"));
const embedded = await startEmbeddedProcess(join(dir, "embedded"));
const stopServer: Array<() => Promise<void>> = [];
try {
  // The embedded server does not pace its clients: no client-side limit slows the 2,000 writes.
  const client = new KubeClient(loadClusterConfig({ kubeconfig: embedded.kubeconfig }), { qps: 2000, burst: 2000 });
  const installed = await applyObjects(client, [applicationCrd(), projectCrd()], { fieldManager: "bosun-bench" });
  const failed = installed.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`CRDs: ${failed.map((r) => r.error?.message).join("; ")}`);
  await client.ensureNamespace(NS);
  const apps = fleet(APPS);
  let started = performance.now();
  await createStatusApps(client, NS, apps);
  console.log(`created ${APPS} Applications with status in ${ms(performance.now() - started)}`);

  const uiDir = join(dir, "ui");
  await buildUi({ outDir: uiDir });
  const tokens = await ensureApiTokens(client, NS, AbortSignal.timeout(30_000));
  started = performance.now();
  const server = await createServer({
    client,
    tokens,
    log: pino({ level: "silent" }),
    namespace: NS,
    cacheDir: join(dir, "server"),
    uiDir,
  });
  stopServer.push(async () => await server.close());
  await server.listen({ host: "127.0.0.1", port: 0 });
  const address = server.server.address();
  if (!address || typeof address === "string") throw new Error("the server has no TCP address");
  const url = `http://127.0.0.1:${address.port}`;
  console.log(`bosun's server watching them after ${ms(performance.now() - started)}`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  stopServer.push(async () => await browser.close());
  const runs: Run[] = [];
  const last = apps.at(-1)?.name ?? "";
  const degraded = apps.filter((a) => a.health === "Degraded").length;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(MARK_FIRST_ROW);
    try {
      runs.push(await oneRun(page, url, tokens.admin, last));
    } finally {
      await context.close();
    }
  }
  const api = await apiTimes(url, tokens.admin);
  const row = (what: string, xs: number[], unit: (n: number) => string) =>
    console.log(
      `| ${what.padEnd(44)} | ${unit(median(xs)).padStart(8)} | ${unit(Math.min(...xs)).padStart(8)} | ${unit(Math.max(...xs)).padStart(8)} |`,
    );
  const count = (n: number) => String(n);
  console.log(`| ${"".padEnd(44)} | ${"median".padStart(8)} | ${"min".padStart(8)} | ${"max".padStart(8)} |`);
  console.log(`| ${"-".repeat(44)} | ${"-".repeat(8)} | ${"-".repeat(8)} | ${"-".repeat(8)} |`);
  row(
    "navigation → first rows painted",
    runs.map((r) => r.firstRows),
    ms,
  );
  row(
    `filter Health: Degraded → its ${degraded} rows shown`,
    runs.map((r) => r.filter),
    ms,
  );
  row(
    "scroll to the end → the last row shown",
    runs.map((r) => r.lastRows),
    ms,
  );
  row(
    "Application rows in the DOM, at the top",
    runs.map((r) => r.rowsAtTop),
    count,
  );
  row(
    "Application rows in the DOM, at the end",
    runs.map((r) => r.rowsAtEnd),
    count,
  );
  console.log(
    `GET /api/applications: ${ms(api.all)} (all ${APPS}, ${(api.bytes / 1024).toFixed(0)} KiB); with health, q and limit=50: ${ms(api.filtered)} (median of 10)`,
  );
} finally {
  for (const stop of stopServer.reverse()) await stop().catch(() => {});
  await embedded.stop();
  rmSync(dir, { recursive: true, force: true });
}
