// What `bosun install` applies and `charts/bosun` renders: the cluster-side base (CRDs, namespace, RBAC,
// default Project) and the agent's workload (Deployment, Service, PodDisruptionBudget). Pure.
import { stringify } from "yaml";
import {
  APPLICATION_API_VERSION,
  APPLICATION_KIND,
  DEFAULT_APP_NAMESPACE,
  GROUP,
  IN_CLUSTER,
  installManifests,
  installNames,
  type KubeObject,
  PROJECT_API_VERSION,
  PROJECT_KIND,
} from "../api/index.js";
import { sealedSecretCrd } from "../secrets/index.js";

/** The Deployment, Service, PodDisruptionBudget and Lease of the agent share this name in its namespace. */
export const AGENT_WORKLOAD = "bosun-agent";
export const API_PORT = 8080;
export const SEALED_SECRETS_PORT = 8081;
export const DEFAULT_IMAGE_REPOSITORY = "ghcr.io/bosun-dev/bosun";

export interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface AgentWorkloadOptions {
  image: string;
  replicas: number;
  resources: Resources;
  /** Appended to the agent's command line. */
  extraArgs: readonly string[];
  /** `--shards N`: the replicas split the Applications (see controller/shards.ts); absent, one leader reconciles. */
  shards?: number;
  /** `--dashboard-url URL`: where users reach the dashboard; notifications link there. */
  dashboardUrl?: string;
}

export const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: "100m", memory: "256Mi" },
  limits: { memory: "1Gi" },
};

export const DEFAULT_REPLICAS = 2;

/** Labels of every workload object; the selector is the first two. */
export function workloadLabels(): Record<string, string> {
  return {
    "app.kubernetes.io/name": "bosun",
    "app.kubernetes.io/component": "agent",
    "app.kubernetes.io/part-of": "bosun",
  };
}

function selectorLabels(): Record<string, string> {
  const { "app.kubernetes.io/name": name, "app.kubernetes.io/component": component } = workloadLabels();
  return { "app.kubernetes.io/name": name as string, "app.kubernetes.io/component": component as string };
}

/** The agent's command line in its Pod (the image's entrypoint is `bosun`). */
export function agentArgs(
  namespace: string,
  options: Partial<Pick<AgentWorkloadOptions, "extraArgs" | "shards" | "dashboardUrl">> = {},
): string[] {
  const { extraArgs = [], shards, dashboardUrl } = options;
  return [
    "agent",
    "--in-cluster",
    "--leader-elect",
    "--namespace",
    namespace,
    "--listen",
    `0.0.0.0:${API_PORT}`,
    "--sealed-secrets",
    "--sealed-secrets-namespace",
    namespace,
    "--sealed-secrets-listen",
    `0.0.0.0:${SEALED_SECRETS_PORT}`,
    ...(shards ? ["--shards", String(shards)] : []),
    ...(dashboardUrl ? ["--dashboard-url", dashboardUrl] : []),
    ...extraArgs,
  ];
}

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });

function podSpec(namespace: string, options: AgentWorkloadOptions): Record<string, unknown> {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: "http" },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 5,
  });
  return {
    serviceAccountName: installNames(namespace).agent,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    },
    terminationGracePeriodSeconds: 30,
    containers: [
      {
        name: "agent",
        image: options.image,
        args: agentArgs(namespace, options),
        env: [fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace")],
        ports: [
          { name: "http", containerPort: API_PORT, protocol: "TCP" },
          { name: "sealed-secrets", containerPort: SEALED_SECRETS_PORT, protocol: "TCP" },
        ],
        startupProbe: probe("/healthz", 2, 60),
        livenessProbe: probe("/healthz", 10, 3),
        readinessProbe: probe("/readyz", 5, 3),
        resources: options.resources,
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [
          { name: "tmp", mountPath: "/tmp" },
          { name: "cache", mountPath: "/var/cache/bosun" },
        ],
      },
    ],
    volumes: [
      { name: "tmp", emptyDir: {} },
      { name: "cache", emptyDir: {} },
    ],
    // Replicas on different nodes and zones where there are some; one node still runs them all.
    topologySpreadConstraints: ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: selectorLabels() },
    })),
  };
}

/** The agent's Deployment, its Service (Sealed Secrets' port first: kubeseal proxies to the first port) and PDB. */
export function agentWorkload(namespace: string, options: AgentWorkloadOptions): KubeObject[] {
  const metadata = { name: AGENT_WORKLOAD, namespace, labels: workloadLabels() };
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: selectorLabels() },
        // A new replica is ready before an old one goes, so a standby is always there to take the Lease.
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: { metadata: { labels: workloadLabels() }, spec: podSpec(namespace, options) },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        type: "ClusterIP",
        selector: selectorLabels(),
        ports: [
          { name: "sealed-secrets", port: SEALED_SECRETS_PORT, targetPort: "sealed-secrets", protocol: "TCP" },
          { name: "http", port: API_PORT, targetPort: "http", protocol: "TCP" },
        ],
      },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata,
      spec: { minAvailable: 1, selector: { matchLabels: selectorLabels() } },
    },
  ];
}

/**
 * Everything `bosun install` applies: without an agent workload, the CRDs, the namespace, RBAC and the
 * default Project (the agent runs elsewhere); with one, also the SealedSecret CRD (the agent's identity may not
 * create CRDs) and the Deployment, Service and PodDisruptionBudget.
 */
export function clusterInstall(namespace: string, agent?: AgentWorkloadOptions): KubeObject[] {
  const base = installManifests(namespace);
  if (!agent) return base;
  return [...base, sealedSecretCrd(), ...agentWorkload(namespace, agent)];
}

/** charts/bosun/crds/: each CRD `bosun install` applies with the agent, as file name and YAML text. */
export function chartCrdFiles(): Array<[string, string]> {
  return clusterInstall(DEFAULT_APP_NAMESPACE, {
    image: "unused",
    replicas: 1,
    resources: DEFAULT_RESOURCES,
    extraArgs: [],
  })
    .filter((o) => o.kind === "CustomResourceDefinition")
    .map((o) => [
      `${o.metadata.name}.yaml`,
      `# Generated by \`npm run chart:crds\` from bosun's code; do not edit.\n${stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 })}`,
    ]);
}

export const BOOTSTRAP_NAME = "bosun";

export interface BootstrapSource {
  repoURL: string;
  path: string;
  /** A branch; absent for the repository's default branch. */
  revision?: string;
  /** A repository Secret in bosun's namespace, for a private repository. */
  credentialsRef?: string;
}

/**
 * The Project that lets one repository manage bosun itself: bosun's own kinds and its namespace are granted
 * only literally (see controller/project-policy.ts), so the default Project cannot, by design.
 */
export function bootstrapProject(namespace: string, source: BootstrapSource): KubeObject {
  const kinds = (entries: Array<[string, string]>) => entries.map(([group, kind]) => ({ group, kind }));
  return {
    apiVersion: PROJECT_API_VERSION,
    kind: PROJECT_KIND,
    metadata: { name: BOOTSTRAP_NAME, namespace },
    spec: {
      description: `bosun's own installation, from ${source.repoURL}`,
      sourceRepos: [source.repoURL],
      destinations: [{ server: IN_CLUSTER.server, namespace }],
      clusterResourceWhitelist: kinds([
        ["", "Namespace"],
        ["apiextensions.k8s.io", "CustomResourceDefinition"],
        ["rbac.authorization.k8s.io", "ClusterRole"],
        ["rbac.authorization.k8s.io", "ClusterRoleBinding"],
      ]),
      namespaceResourceWhitelist: kinds([
        [GROUP, PROJECT_KIND],
        ["", "ServiceAccount"],
        ["", "Service"],
        ["rbac.authorization.k8s.io", "Role"],
        ["rbac.authorization.k8s.io", "RoleBinding"],
        ["apps", "Deployment"],
        ["policy", "PodDisruptionBudget"],
      ]),
      serviceAccount: { namespace, name: installNames(namespace).deployer },
    },
  };
}

/** The Application that keeps bosun's manifests at `path` applied: upgrading bosun is then a commit. */
export function bootstrapApplication(namespace: string, source: BootstrapSource): KubeObject {
  return {
    apiVersion: APPLICATION_API_VERSION,
    kind: APPLICATION_KIND,
    metadata: { name: BOOTSTRAP_NAME, namespace },
    spec: {
      project: BOOTSTRAP_NAME,
      source: {
        repoURL: source.repoURL,
        path: source.path,
        ...(source.revision ? { revision: source.revision } : {}),
        ...(source.credentialsRef ? { credentialsRef: { name: source.credentialsRef } } : {}),
      },
      destination: { server: IN_CLUSTER.server, namespace },
      // No prune: a path emptied by mistake must not uninstall bosun and, with its CRDs, every Application.
      syncPolicy: { automated: { prune: false, selfHeal: true } },
    },
  };
}

/** The file `bosun bootstrap` commits at `path`: what `bosun install` applies, as YAML documents. */
export function bootstrapFileText(objects: readonly KubeObject[], version: string): string {
  const header = `# bosun ${version}, written by \`bosun bootstrap\`. bosun applies this file to itself: edit and commit it to upgrade.\n`;
  return header + objects.map((o) => `---\n${stringify(o, { aliasDuplicateObjects: false, lineWidth: 0 })}`).join("");
}
