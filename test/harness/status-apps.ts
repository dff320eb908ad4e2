// Applications whose status is written directly through the status subresource, as an agent would write it:
// many of them quickly, for what only reads them (the dashboard's list). No agent may run beside them (it
// would overwrite the status), and nothing is synced.
import {
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  type ApplicationStatus,
  type KubeObject,
} from "../../src/api/index.js";
import type { KubeClient } from "../../src/cluster/index.js";

export interface StatusApp {
  name: string;
  sync: "Synced" | "OutOfSync" | "Unknown";
  health: "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";
  /** spec.project; absent: the default project. */
  project?: string;
  /** spec.destination.name (the summary's cluster); absent: in-cluster. */
  cluster?: string;
}

const SHA = "0123456789abcdef0123456789abcdef01234567";

function applicationOf(namespace: string, app: StatusApp): KubeObject {
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: APPLICATION_KIND,
    metadata: { name: app.name, namespace },
    spec: {
      ...(app.project ? { project: app.project } : {}),
      source: { repoURL: "https://git.example/fleet.git", path: `apps/${app.name}`, revision: "main" },
      destination: { namespace: `${app.name}-ns`, ...(app.cluster ? { name: app.cluster } : {}) },
      syncPolicy: { interval: "1h" },
    },
  };
}

function statusOf(app: StatusApp): ApplicationStatus {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return {
    sync: { status: app.sync, revision: SHA },
    health: { status: app.health, message: "" },
    history: [{ id: 1, revision: SHA, deployedAt: at, initiatedBy: "automated", result: "Succeeded" }],
    sourceRevision: { sha: SHA, message: `deploy ${app.name}`, author: "bench", time: at },
    reconciledAt: at,
  };
}

/** Creates one Application and writes its status (its sync and health as given). */
export async function createStatusApp(client: KubeClient, namespace: string, app: StatusApp): Promise<void> {
  await client.create(applicationOf(namespace, app));
  await client.mergePatchStatus(
    { apiVersion: APPLICATION_API_VERSION, kind: APPLICATION_KIND, namespace, name: app.name },
    { status: statusOf(app) },
  );
}

/** Creates every Application, `concurrency` at a time. */
export async function createStatusApps(
  client: KubeClient,
  namespace: string,
  apps: readonly StatusApp[],
  concurrency = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < apps.length; i = next++) {
      const app = apps[i];
      if (app) await createStatusApp(client, namespace, app);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
