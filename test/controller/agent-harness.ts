// An in-process bosun agent against the test cluster, stopped when the test ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { pino } from "pino";
import type { Application } from "../../src/api/index.js";
import { type Agent, startAgent } from "../../src/controller/index.js";
import type { TestNamespace } from "../harness/cluster-fixture.js";
import { waitFor } from "../harness/net.js";

export interface RunningAgent {
  agent: Agent;
  logs: string[];
  stop: () => Promise<void>;
}

/** Starts an agent for the Applications in ns; its JSON log lines are kept in `logs`. */
export async function startTestAgent(t: TestContext, ns: TestNamespace): Promise<RunningAgent> {
  const controller = new AbortController();
  const cacheDir = mkdtempSync(join(tmpdir(), "bosun-agent-"));
  const logs: string[] = [];
  agentLogs = logs;
  const log = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const agent = await startAgent({
    kubeconfig: ns.kubeconfig,
    namespace: ns.name,
    concurrency: 2,
    cacheDir,
    log,
    signal: controller.signal,
  });
  const stop = async () => {
    if (controller.signal.aborted) return;
    controller.abort();
    await agent.done;
    rmSync(cacheDir, { recursive: true, force: true });
  };
  t.after(async () => {
    await stop();
    // On failure the agent's own account is the first thing to read.
    if (process.exitCode || t.signal.aborted) return;
  });
  t.afterEach?.(() => undefined);
  return { agent, logs, stop };
}

let agentLogs: string[] | undefined;

export function getApp(ns: TestNamespace, name: string): Application {
  return JSON.parse(ns.kubectl(["get", "applications.bosun.dev", name, "-o", "json"])) as Application;
}

/** Polls the Application until check() holds; the failure names the last status seen. */
export async function waitForApp(
  ns: TestNamespace,
  name: string,
  what: string,
  check: (app: Application) => boolean,
  timeoutMs = 90_000,
): Promise<Application> {
  let last: Application | undefined;
  await waitFor(
    what,
    async () => {
      last = getApp(ns, name);
      return check(last);
    },
    {
      timeoutMs,
      intervalMs: 250,
      detail: () =>
        `${JSON.stringify(last?.status, null, 1)?.slice(0, 4000) ?? "(no status)"}${agentLogs ? `\nagent log:\n${agentLogs.slice(-30).join("")}` : ""}`,
    },
  );
  return last as Application;
}

export const syncedAndHealthy = (sha: string) => (app: Application) =>
  app.status?.sync?.status === "Synced" &&
  app.status.sync.revision === sha &&
  app.status.health?.status === "Healthy" &&
  app.status.operation?.phase !== "Running";
