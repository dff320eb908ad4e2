// What the dashboard's browser tests share: headless Chromium (Debian's), pages, logging in, page errors and
// screenshots. Screenshots go to a temporary folder the test prints, or under $BOSUN_SCREENSHOTS_DIR (the
// checked-in docs/screenshots/ is refreshed so: BOSUN_SCREENSHOTS_DIR=docs/screenshots npm test).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestContext } from "node:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** Syncs on the test cluster take seconds; a loaded 2-core machine may take much longer. */
export const WAIT_MS = 90_000;
export const SCREENSHOTS_ENV = "BOSUN_SCREENSHOTS_DIR";

export async function launchChromium(t: TestContext): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `the dashboard tests need Debian's Chromium at ${CHROMIUM}: ` +
      "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium (.ci/run installs it)",
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.after(async () => await browser.close());
  return browser;
}

/** Numbered screenshots of each step in one folder: `$BOSUN_SCREENSHOTS_DIR/<name>`, else a new temporary one. */
export class Screenshots {
  private n = 0;
  readonly dir: string;

  constructor(t: TestContext, name: string) {
    const root = process.env[SCREENSHOTS_ENV];
    if (root) {
      this.dir = resolve(root, name);
      rmSync(this.dir, { recursive: true, force: true });
      mkdirSync(this.dir, { recursive: true });
    } else {
      this.dir = mkdtempSync(join(tmpdir(), `bosun-screenshots-${name.replaceAll("/", "-")}-`));
    }
    t.diagnostic(`screenshots: ${this.dir}`);
  }

  async take(page: Page, name: string): Promise<void> {
    this.n++;
    await page.screenshot({ path: join(this.dir, `${String(this.n).padStart(2, "0")}-${name}.png`), fullPage: true });
  }
}

export async function newPage(browser: Browser, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  return { context, page };
}

export async function logIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Applications" }).waitFor();
}

/** Script errors and refusals by the Content-Security-Policy, collected as they happen (a 401's log is expected). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  return errors;
}

/** The page body is no wider than the viewport: nothing to scroll sideways on a narrow screen. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/**
 * An Application of `app/` in the repository with automated sync off: it waits OutOfSync until someone
 * presses Sync, and a `kubectl scale` behind Git's back stays (the diff shows it). Polls every `interval`
 * (default 1h); `spec` adds to (or replaces parts of) its spec, e.g. another destination or dependsOn.
 */
export function manualApplication(
  name: string,
  namespace: string,
  repoURL: string,
  dest: string,
  options: { interval?: string; spec?: Record<string, unknown> } = {},
): string {
  return JSON.stringify({
    apiVersion: "bosun.dev/v1alpha1",
    kind: "Application",
    metadata: { name, namespace },
    spec: {
      source: { repoURL, path: "app", revision: "main" },
      destination: { namespace: dest },
      syncPolicy: { interval: options.interval ?? "1h", syncOptions: ["CreateNamespace=true"] },
      ...options.spec,
    },
  });
}
