// Lifting an automatic rollback's quarantine from the dashboard, in headless Chromium against bosun's server
// without an agent (the quarantine is written into status here): the button asks the API, which sets the same
// `bosun.dev/unquarantine` request `bosun app unquarantine` sets (the agent's side of it is in
// test/controller/auto-rollback.test.ts) and records who asked; a read-only token sees the button disabled; a
// revision that is not quarantined is refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildUi } from "../../scripts/build-ui.js";
import { ANNOTATIONS, APPLICATION_API_VERSION, APPLICATION_KIND, type Application } from "../../src/api/index.js";
import { CLUSTER_TARGETS, testNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";
import { createStatusApp } from "../harness/status-apps.js";
import { call, startServer } from "../server/server-harness.js";
import { collectPageErrors, launchChromium, logIn, newPage, Screenshots, WAIT_MS } from "./browser.js";

const BAD = "badc0ffee0000000000000000000000000000001";
const GOOD = "0123456789abcdef0123456789abcdef01234567";

for (const target of CLUSTER_TARGETS)
  test(`the dashboard lifts a quarantined revision through the API; read-only tokens may not [${target}]`, async (t) => {
    const browser = await launchChromium(t);
    const ns = await testNamespace(t, target);
    await buildUi();
    const server = await startServer(t, ns);
    await createStatusApp(server.client, ns.name, { name: "shop", sync: "OutOfSync", health: "Healthy" });
    const quarantinedAt = new Date(Date.now() - 60_000).toISOString();
    await server.client.mergePatchStatus(
      { apiVersion: APPLICATION_API_VERSION, kind: APPLICATION_KIND, namespace: ns.name, name: "shop" },
      {
        status: {
          quarantined: [{ revision: BAD, at: quarantinedAt, reason: "Degraded after the sync", rolledBackTo: GOOD }],
        },
      },
    );
    const appPath = `/api/applications/${ns.name}/shop`;
    const annotation = async () =>
      (
        (await server.client.get({
          apiVersion: APPLICATION_API_VERSION,
          kind: APPLICATION_KIND,
          namespace: ns.name,
          name: "shop",
        })) as Application | undefined
      )?.metadata.annotations?.[ANNOTATIONS.unquarantine];

    // The API refuses what is not quarantined and a read-only token, and writes nothing for either.
    const unknown = await call(server, "POST", `${appPath}/unquarantine`, {
      token: server.tokens.admin,
      body: { revision: GOOD },
    });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.json(), {
      error: "0123456789abcdef0123456789abcdef01234567 is not quarantined in shop (quarantined: badc0ff)",
    });
    const readOnly = await call(server, "POST", `${appPath}/unquarantine`, {
      token: server.tokens.readonly,
      body: { revision: BAD },
    });
    assert.equal(readOnly.status, 403);
    assert.equal(await annotation(), undefined, "a refused request wrote nothing");

    const shots = new Screenshots(t, `${target}/quarantine`);
    const { page } = await newPage(browser);
    const pageErrors = collectPageErrors(page);
    const lift = page.getByRole("button", { name: "Lift quarantine of badc0ff" });
    try {
      // A read-only token (its own browser context) sees the quarantine and a disabled button saying why.
      const reader = await newPage(browser);
      await logIn(reader.page, server.url, server.tokens.readonly);
      await reader.page.goto(`${server.url}/#/apps/${ns.name}/shop`);
      await reader.page.getByText("Degraded after the sync").waitFor();
      const readerLift = reader.page.getByRole("button", { name: "Lift quarantine of badc0ff" });
      assert.equal(await readerLift.isDisabled(), true);
      assert.match((await readerLift.getAttribute("title")) ?? "", /read-only/);
      await reader.context.close();

      // The admin lifts it: the request is the CLI's, and the Event names the admin.
      await logIn(page, server.url, server.tokens.admin);
      await page.goto(`${server.url}/#/apps/${ns.name}/shop`);
      await page.getByText("Degraded after the sync").waitFor();
      await shots.take(page, "quarantined");
      await lift.click();
      await page.getByRole("button", { name: "Cancel" }).click();
      assert.equal(await annotation(), undefined, "cancelled: nothing asked");
      await lift.click();
      await shots.take(page, "confirm");
      await page.getByRole("button", { name: "Confirm: automated sync may take badc0ff again" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: "Lifting the quarantine of badc0ff requested." })
        .waitFor({ timeout: WAIT_MS });
      await shots.take(page, "lift-requested");
      const request = JSON.parse((await annotation()) ?? "{}") as { revision?: string; at?: string };
      assert.equal(request.revision, BAD);
      assert.ok(Date.parse(request.at ?? "") >= Date.parse(quarantinedAt), "asked after the quarantine: it lifts it");
      await waitFor(
        "the request's Event",
        async () => {
          const events = (await call(server, "GET", `${appPath}/events`, { token: server.tokens.readonly })).json() as {
            items: Array<{ reason: string; message: string }>;
          };
          return events.items.some(
            (e) =>
              e.reason === "UnquarantineRequested" &&
              /^admin requested lifting the quarantine of badc0ff through the API/.test(e.message),
          );
        },
        { timeoutMs: 15_000 },
      );
      assert.deepEqual(pageErrors, []);
    } catch (err) {
      await shots.take(page, "failure");
      throw err;
    }
  });
