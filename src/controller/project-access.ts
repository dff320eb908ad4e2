// An Application's project, read from the Projects the agent watches, and what follows from it before any
// git fetch: whether the Application may live where it lives, use its repository and deploy where it
// says, and the client its writes go through (the project's service account, impersonated).
import {
  type Application,
  applicationSources,
  DEFAULT_PROJECT,
  type ObjectRef,
  PROJECT_KIND,
  type Project,
  type ProjectSpec,
} from "../api/index.js";
import { type KubeClient, serviceAccountUser, type WatchCache } from "../cluster/index.js";
import type { ClusterConnection } from "./clusters.js";
import {
  appNamespaceRule,
  type DestinationCluster,
  destinationRule,
  type PolicyContext,
  sourceRule,
} from "./project-policy.js";

/** What an Application may do, once its project is known and its own spec passed the project's checks. */
export interface AppAccess {
  policy: PolicyContext;
  cluster: DestinationCluster;
  /** The destination cluster as the agent reaches it: its watch cache, discovery and version. */
  connection: ClusterConnection;
  /** Dry runs, applies, deletes and the reads of a sync go through this client (on the destination cluster). */
  client: KubeClient;
}

/** Why an Application may do nothing at all; the reasons are its Ready condition's. */
export interface AccessRefused {
  reason: "ProjectNotFound" | "UnknownCluster" | "NotPermitted";
  message: string;
}

export const projectOf = (app: Application): string => app.spec.project || DEFAULT_PROJECT;

export class ProjectAccess {
  /** Per cluster (a replaced cluster's go with it), per impersonated user. */
  private readonly clients = new WeakMap<ClusterConnection, Map<string, KubeClient>>();

  constructor(
    private readonly deps: {
      /** Projects of the agent's namespace, kept by a watch. */
      projects: WatchCache;
      /** The clusters the agent knows. */
      resolveCluster: (dest: Application["spec"]["destination"]) => ClusterConnection | undefined;
      agentNamespace: string;
    },
  ) {}

  get agentNamespace(): string {
    return this.deps.agentNamespace;
  }

  project(name: string): Project | undefined {
    const ref: ObjectRef = { group: "bosun.dev", kind: PROJECT_KIND, namespace: this.deps.agentNamespace, name };
    return this.deps.projects.get(ref) as unknown as Project | undefined;
  }

  /** The Application's access, or why it has none. Reads no more than the watch caches. */
  resolve(app: Application): AppAccess | AccessRefused {
    return appAccess({
      app,
      project: this.project(projectOf(app)),
      agentNamespace: this.deps.agentNamespace,
      resolveCluster: this.deps.resolveCluster,
      clientFor: (connection, account) => this.clientFor(connection, account),
    });
  }

  /** Applications of a project, by name, to reconcile again when it changes. */
  affected(apps: readonly Application[], projectName: string): Application[] {
    return apps.filter((a) => projectOf(a) === projectName);
  }

  private clientFor(connection: ClusterConnection, account: ProjectSpec["serviceAccount"]): KubeClient {
    if (!account) return connection.client;
    const user = serviceAccountUser(account.namespace, account.name);
    let perUser = this.clients.get(connection);
    if (!perUser) {
      perUser = new Map();
      this.clients.set(connection, perUser);
    }
    let client = perUser.get(user);
    if (!client) {
      client = projectClient(connection.client, account);
      perUser.set(user, client);
    }
    return client;
  }
}

/** The client a project's writes go through: its service account, impersonated, or the agent itself. */
export function projectClient(agent: KubeClient, account: ProjectSpec["serviceAccount"]): KubeClient {
  return account ? agent.impersonating({ user: serviceAccountUser(account.namespace, account.name) }) : agent;
}

/**
 * An Application's access given its project (undefined when it does not exist): the checks of its own
 * spec (where it lives, its repository, its destination), made before anything is fetched.
 */
export function appAccess(input: {
  app: Application;
  project: Project | undefined;
  agentNamespace: string;
  resolveCluster: (dest: Application["spec"]["destination"]) => ClusterConnection | undefined;
  clientFor: (connection: ClusterConnection, account: ProjectSpec["serviceAccount"]) => KubeClient;
}): AppAccess | AccessRefused {
  const { app, project, agentNamespace } = input;
  if (!project)
    return {
      reason: "ProjectNotFound",
      message: `project ${projectOf(app)} does not exist in namespace ${agentNamespace}`,
    };
  const policy: PolicyContext = { project, agentNamespace };
  const dest = app.spec.destination;
  const connection = input.resolveCluster(dest);
  if (!connection)
    return {
      reason: "UnknownCluster",
      message: `the destination cluster ${dest.name ?? dest.server} is not one bosun knows; nothing is applied anywhere`,
    };
  const cluster: DestinationCluster = { name: connection.name, server: connection.server };
  const refused =
    appNamespaceRule(policy, app.metadata.namespace) ??
    applicationSources(app)
      .map((source) => sourceRule(policy, source.repoURL))
      .find((rule) => rule !== undefined) ??
    destinationRule(policy, cluster, dest);
  if (refused) return { reason: "NotPermitted", message: refused };
  return { policy, cluster, connection, client: input.clientFor(connection, project.spec.serviceAccount) };
}
