// A notification's link to the dashboard (built by the agent) is a route the dashboard reads (src/ui): the two
// modules may not import each other, so they are held together here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dashboardLink } from "../../src/controller/notifications/notification.js";
import { parseRoute } from "../../src/ui/hash-route.js";

test("a notification's dashboard link opens the Application's page, whatever its namespace and name hold", () => {
  for (const app of [
    { namespace: "team", name: "shop" },
    { namespace: "a b", name: "c#d" },
    { namespace: "x/y", name: "?q=1&r" },
  ]) {
    const link = new URL(dashboardLink("https://ops.example/bosun/", app));
    assert.equal(link.pathname, "/bosun/");
    assert.deepEqual(parseRoute(link.hash), { page: "app", ...app, tab: "resources" });
  }
});
