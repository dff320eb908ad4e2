// `bosun up`: the embedded API server, the agent and the dashboard in one process. With no arguments it
// serves an example repository; the whole loop works through the kubeconfig it writes; Ctrl-C stops it
// cleanly and a second start resumes from the stored state; a SIGKILL during a sync loses nothing.
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type TestContext, test } from "node:test";
import Database from "better-sqlite3";
import type { Application } from "../../src/api/index.js";
import { waitFor } from "../harness/net.js";
import { git, Repo, TempDirs } from "../source/git-fixture.js";
import { startUp, type UpProcess } from "./up-process.js";

/** Every path below dir (dir included) whose mode gives group or others any bit; symbolic links aside. */
function readableByOthers(dir: string): string[] {
  const open: string[] = [];
  const walk = (path: string): void => {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) open.push(`${relative(dir, path) || "."} (${(info.mode & 0o777).toString(8)})`);
    if (info.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return open;
}

function dataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "bosun-up-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const getApp = (up: UpProcess, name: string): Application =>
  JSON.parse(up.kubectl(["-n", "bosun", "get", "applications.bosun.dev", name, "-o", "json"])) as Application;

async function waitForApp(up: UpProcess, name: string, what: string, check: (a: Application) => boolean) {
  let last: Application | undefined;
  await waitFor(
    what,
    async () => {
      try {
        last = getApp(up, name);
      } catch {
        return false; // not created yet
      }
      return check(last);
    },
    {
      timeoutMs: 90_000,
      detail: () => `${JSON.stringify(last?.status, null, 1)?.slice(0, 3000)}\n${up.output().slice(-3000)}`,
    },
  );
  return last as Application;
}

const synced = (sha?: string) => (a: Application) =>
  a.status?.sync?.status === "Synced" &&
  (sha === undefined || a.status.sync.revision === sha) &&
  a.status.health?.status === "Healthy" &&
  a.status.operation?.phase !== "Running";

test("bosun up serves the example: synced in waves, healthy, self-healing, following commits; resumes after Ctrl-C", async (t) => {
  const dir = dataDir(t);
  const up = await startUp(t, dir);
  let app = await waitForApp(up, "guestbook", "the example to be Synced and Healthy", synced());
  const firstSha = app.status?.sync?.revision ?? "";
  const deployment = () =>
    JSON.parse(up.kubectl(["-n", "guestbook", "get", "deployment", "guestbook", "-o", "json"])) as {
      metadata: { uid: string; creationTimestamp: string };
      spec: { replicas: number };
      status: { readyReplicas?: number };
    };
  assert.equal(deployment().spec.replicas, 3, "the overlay's patch applied");
  assert.equal(deployment().status.readyReplicas, 3, "the simulator made the pods ready");
  const config = JSON.parse(up.kubectl(["-n", "guestbook", "get", "configmap", "guestbook-config", "-o", "json"])) as {
    metadata: { creationTimestamp: string };
  };
  assert.ok(
    Date.parse(config.metadata.creationTimestamp) <= Date.parse(deployment().metadata.creationTimestamp),
    "wave 0 before wave 1",
  );

  // The dashboard and its API answer with the token the banner printed.
  const list = await fetch(`${up.dashboardUrl}/api/applications`, {
    headers: { authorization: `Bearer ${up.adminToken}` },
  });
  assert.equal(list.status, 200);
  assert.match(await list.text(), /"name":"guestbook"/);
  assert.equal((await fetch(`${up.dashboardUrl}/api/applications`)).status, 401);

  // Drift is reverted and attributed.
  up.kubectl(["-n", "guestbook", "scale", "deployment/guestbook", "--replicas=5"]);
  app = await waitForApp(up, "guestbook", "the scale to be reverted", (a) =>
    (a.status?.drift ?? []).some((d) => d.manager === "kubectl" && d.corrected),
  );
  await waitFor("replicas back to 3", async () => deployment().spec.replicas === 3, { timeoutMs: 30_000 });

  // A commit to the example repository is picked up.
  const repo = join(dir, "example-repo");
  await git(repo, ["-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "--allow-empty", "-qm", "touch"]);
  const second = (await git(repo, ["rev-parse", "HEAD"])).trim();
  assert.notEqual(second, firstSha);
  app = await waitForApp(up, "guestbook", "the new commit to be synced", synced(second));
  const historyBefore = app.status?.history?.length ?? 0;
  const uid = deployment().metadata.uid;

  // Ctrl-C stops everything cleanly.
  up.child.kill("SIGINT");
  assert.equal(await up.exited, 0, up.output());
  assert.match(up.output(), /bosun stopped\./);
  assert.equal(existsSync(join(dir, "bosun-up.pid")), false, "the lock is released");

  // The data directory holds every Secret and the admin token: nothing in it is readable by anyone else.
  const open = readableByOthers(dir);
  assert.deepEqual(open, [], `readable by group or others: ${open.join(", ")}`);
  for (const file of ["state.db", "kubeconfig", "token", "tls.key"])
    assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
  assert.equal(statSync(dir).mode & 0o777, 0o700);

  // Started again, it resumes: the same objects, nothing synced again.
  const again = await startUp(t, dir);
  app = await waitForApp(again, "guestbook", "the example to be Synced again", synced(second));
  const redeployed = JSON.parse(again.kubectl(["-n", "guestbook", "get", "deployment", "guestbook", "-o", "json"])) as {
    metadata: { uid: string };
  };
  assert.equal(redeployed.metadata.uid, uid, "the Deployment survived the restart");
  assert.equal(app.status?.history?.length ?? 0, historyBefore, "no new sync after the restart");
  again.child.kill("SIGINT");
  assert.equal(await again.exited, 0, again.output());
});

const slowApp = {
  "app/config.yaml":
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  annotations: { bosun.dev/sync-wave: "0" }\ndata:\n  a: b\n',
  // Slow pods (ready after ~10 s in the simulator) keep wave 1 waiting long enough to interrupt it.
  "app/web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: { bosun.dev/sync-wave: "1" }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
      annotations: { bosun.dev/simulate: slow }
    spec:
      containers: [{ name: web, image: nginx }]
`,
  "app/last.yaml":
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  annotations: { bosun.dev/sync-wave: "2" }\ndata:\n  done: "yes"\n',
};

test("bosun up killed with SIGKILL during a sync: the store is intact, the sync resumes and converges", async (t) => {
  const dir = dataDir(t);
  const temp = new TempDirs();
  t.after(() => temp.cleanup());
  const repo = await Repo.init(await temp.make("bosun-up-repo-"));
  const sha = await repo.commit("slow app", slowApp);
  const args = ["--repo", repo.dir, "--path", "app"];
  const name =
    repo.dir
      .split("/")
      .pop()
      ?.toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-") ?? "";

  const first = await startUp(t, dir, args);
  await waitForApp(
    first,
    name,
    "the sync to wait on wave 1",
    (a) => a.status?.operation?.phase === "Running" && a.status.operation.wave === 1,
  );
  const webUid = first.kubectl(["-n", name, "get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]);
  first.child.kill("SIGKILL");
  assert.equal(await first.exited, "SIGKILL");
  assert.throws(() => first.kubectl(["-n", name, "get", "configmap", "last"]), "wave 2 had not started");

  // Everything acknowledged is in the database, and the database is consistent.
  const db = new Database(join(dir, "state.db"));
  try {
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  } finally {
    db.close();
  }

  const second = await startUp(t, dir, args);
  const app = await waitForApp(second, name, "the resumed sync to converge", synced(sha));
  assert.equal(
    second.kubectl(["-n", name, "get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]),
    webUid,
    "the Deployment from before the kill is the one that converged",
  );
  assert.equal(second.kubectl(["-n", name, "get", "configmap", "last", "-o", "jsonpath={.data.done}"]), "yes");
  assert.equal(app.status?.history?.filter((h) => h.result === "Succeeded").length, 1, "one sync, resumed");
  second.child.kill("SIGINT");
  assert.equal(await second.exited, 0, second.output());
});
