// Bad input loses nothing: an empty render prunes nothing, a render error and an unreachable repository
// leave the live state as it was and say why in the Application's conditions.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { CLUSTER_TARGETS } from "../harness/cluster-fixture.js";
import { applyApplication, appTestSetup, startTestAgent, syncedAndHealthy, waitForApp } from "./agent-harness.js";

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

for (const target of CLUSTER_TARGETS) {
  test(`an empty render, a render error and an unreachable repository change nothing live [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, dest, repo } = setup;
    const good = await repo.commit("two config maps", {
      "app/a.yaml": configMap("a", "1"),
      "app/b.yaml": configMap("b", "1"),
    });
    await startTestAgent(t, ns);
    applyApplication(setup, "bad", { path: "app" });
    await waitForApp(ns, "bad", "the first sync", syncedAndHealthy(good));
    const live = () =>
      ns
        .kubectl([
          "-n",
          dest,
          "get",
          "configmaps",
          "-o",
          "jsonpath={range .items[*]}{.metadata.name}={.data.value} {end}",
        ])
        .trim()
        .split(" ")
        .filter((entry) => !entry.startsWith("kube-root-ca.crt="))
        .join(" ");
    assert.equal(live(), "a=1 b=1");

    // Malformed YAML: the error names the file and line; nothing live changes.
    await repo.commit("break b.yaml", {
      "app/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  value: [unclosed\n",
      "app/a.yaml": configMap("a", "2"),
    });
    let app = await waitForApp(
      ns,
      "bad",
      "a render error in conditions",
      (a) => a.status?.conditions?.some((c) => c.type === "Ready" && c.reason === "RenderFailed") ?? false,
    );
    const ready = app.status?.conditions?.find((c) => c.type === "Ready");
    assert.match(ready?.message ?? "", /app\/b\.yaml.*line \d+|app\/b\.yaml:\d+/);
    assert.equal(live(), "a=1 b=1", "a half-good render applied nothing");

    // An empty render does not prune.
    const empty = await repo.commit("remove everything", {
      "app/a.yaml": null,
      "app/b.yaml": null,
      "app/README.md": "nothing here\n",
    });
    app = await waitForApp(
      ns,
      "bad",
      "the empty render to be noticed",
      (a) =>
        a.status?.sourceRevision?.sha === empty &&
        a.status.conditions?.some((c) => c.reason === "EmptyRender") === true,
    );
    assert.equal(live(), "a=1 b=1", "nothing was pruned");
    assert.equal(app.status?.inventory?.length, 2);

    // An unreachable repository keeps the last state.
    const fixed = await repo.commit("restore", {
      "app/a.yaml": configMap("a", "3"),
      "app/b.yaml": configMap("b", "3"),
      "app/README.md": null,
    });
    await waitForApp(ns, "bad", "the fix to be synced", syncedAndHealthy(fixed));
    rmSync(repo.dir, { recursive: true, force: true });
    app = await waitForApp(
      ns,
      "bad",
      "the unreachable source to be reported",
      (a) =>
        a.status?.conditions?.some((c) => c.reason === "SourceUnreachable" || c.reason === "SourceFailed") ?? false,
    );
    assert.equal(live(), "a=3 b=3");
    assert.equal(app.status?.sync?.revision, fixed);
  });
}

for (const target of CLUSTER_TARGETS)
  test(`a Secret whose value the API server cannot read is refused without its value anywhere [${target}]`, async (t) => {
    const setup = await appTestSetup(t, target);
    const { ns, repo } = setup;
    // An unquoted number in stringData: the server's refusal quotes it (`got …{Value:482913}`).
    await repo.commit("a pin as a number", {
      "app/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pins\nstringData:\n  pin: 482913\n",
    });
    const agent = await startTestAgent(t, ns);
    applyApplication(setup, "pins", { path: "app" });
    const app = await waitForApp(
      ns,
      "pins",
      "the refusal in the resource's status",
      (a) => a.status?.resources?.some((r) => r.kind === "Secret" && r.message !== undefined) ?? false,
    );
    const message = app.status?.resources?.find((r) => r.kind === "Secret")?.message ?? "";
    assert.match(message, /stringData/, "the refusal says what is wrong");
    assert.match(message, /<secret>/, "and shows the value as a placeholder");
    const everything = [
      JSON.stringify(app.status),
      ns.kubectl(["-n", ns.name, "get", "events", "-o", "json"]),
      agent.logs.join(""),
    ].join("\n");
    assert.equal(everything.includes("482913"), false, "the value is nowhere: status, Events, logs");
  });
