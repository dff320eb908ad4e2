import assert from "node:assert/strict";
import { test } from "node:test";
import type { HistoryEntry, KubeObject } from "../api/index.js";
import { diffRenders, pickEntries } from "./history-diff.js";

const configMap = (name: string, color: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "shop" },
  data: { color },
});
const secret = (password: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "db", namespace: "shop" },
  stringData: { password, user: "app" },
});

test("two renders: a changed ConfigMap value as a unified diff, objects added and removed by name", () => {
  const changes = diffRenders(
    { revision: "a".repeat(40), objects: [configMap("settings", "blue"), configMap("old", "x")] },
    { revision: "b".repeat(40), objects: [configMap("settings", "green"), configMap("new", "y")] },
  );
  assert.equal(changes.changed, 1);
  assert.deepEqual(changes.added, ["ConfigMap/shop/new"]);
  assert.deepEqual(changes.removed, ["ConfigMap/shop/old"]);
  const lines = changes.text.split("\n");
  assert.equal(lines[0], "revision aaaaaaa → bbbbbbb");
  assert.ok(lines.includes("--- live/ConfigMap/shop/settings"), changes.text);
  assert.ok(lines.includes("-  color: blue") && lines.includes("+  color: green"), changes.text);
  assert.ok(lines.includes("+  color: y"), "an added object shows whole");
  assert.ok(lines.includes("-  color: x"), "a removed object shows whole");
});

test("a Secret whose value changes shows only that it changed, never either value", () => {
  const changes = diffRenders(
    { revision: "a1", objects: [secret("hunter2-old")] },
    { revision: "b2", objects: [secret("s3cr3t-new")] },
  );
  assert.equal(changes.changed, 1);
  for (const value of ["hunter2-old", "s3cr3t-new", "app"]) {
    assert.ok(!changes.text.includes(value), `${value} must not show`);
    assert.ok(!changes.text.includes(Buffer.from(value).toString("base64")), `${value} in base64 must not show`);
  }
  assert.match(changes.text, /^-\s+password: "<secret: live value>"$/m);
  assert.match(changes.text, /^\+\s+password: "<secret: desired value>"$/m);
  assert.match(changes.text, /^ \s+user: <secret>$/m, "an unchanged value is masked the same on both sides");
});

test("values from Secrets (helm.valuesFrom) of either render are masked wherever they appear", () => {
  const changes = diffRenders(
    { revision: "a", objects: [configMap("settings", "token-one")], sensitive: ["token-one"] },
    { revision: "b", objects: [configMap("settings", "token-two")], sensitive: ["token-two"] },
  );
  assert.ok(!changes.text.includes("token-one") && !changes.text.includes("token-two"), changes.text);
  assert.match(changes.text, /-\s+color: <secret>/);
});

test("equal renders: no differences, nothing counted", () => {
  const same = [configMap("settings", "blue"), secret("pw")];
  const changes = diffRenders({ revision: "a", objects: same }, { revision: "b", objects: same });
  assert.deepEqual(
    { ...changes, text: changes.text.split("\n")[1] },
    {
      text: "no differences",
      changed: 0,
      added: [],
      removed: [],
    },
  );
});

test("history entries to compare: ids as numbers or query strings; the same one twice or an unknown one refused", () => {
  const history: HistoryEntry[] = [1, 2, 3].map((id) => ({
    id,
    revision: `r${id}`,
    deployedAt: "",
    initiatedBy: "agent",
    result: "Succeeded",
  }));
  const picked = pickEntries(history, "1", 3);
  assert.ok("from" in picked);
  assert.deepEqual([picked.from.revision, picked.to.revision], ["r1", "r3"]);
  assert.deepEqual(pickEntries(history, "2", "2"), {
    code: 400,
    error: "from and to are both history entry 2: nothing to compare",
  });
  assert.deepEqual(pickEntries(history, "1", "9"), { code: 404, error: "history entry 9 not found" });
  assert.equal((pickEntries(history, undefined, "1") as { code: number }).code, 400);
  assert.equal((pickEntries(history, "1.5", "1") as { code: number }).code, 400);
});
