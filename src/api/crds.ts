import { APPLICATION_KIND, APPLICATION_PLURAL, DEFAULT_APP_NAMESPACE } from "./application.js";
import { APPLICATION_SET_KIND, APPLICATION_SET_PLURAL } from "./application-set.js";
import { GROUP } from "./names.js";
import { NOTIFICATION_EVENTS, NOTIFIER_KIND, NOTIFIER_PLURAL, NOTIFIER_TYPES } from "./notifier.js";
import type { KubeObject } from "./object.js";
import { defaultProject, PROJECT_KIND, PROJECT_PLURAL } from "./project.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const bool: Schema = { type: "boolean" };
const strings: Schema = { type: "array", items: str };
const stringMap: Schema = { type: "object", additionalProperties: str };
const obj = (properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: "object",
  properties,
  ...(required ? { required } : {}),
});
const free: Schema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

const sourceSchema = obj(
  {
    repoURL: { type: "string", minLength: 1 },
    revision: str,
    chart: str,
    insecure: bool,
    ref: str,
    path: str,
    directory: obj({ recurse: bool, include: str, exclude: str }),
    kustomize: obj({
      namePrefix: str,
      nameSuffix: str,
      namespace: str,
      images: strings,
      patches: { type: "array", items: obj({ patch: str, path: str, target: stringMap }) },
      commonLabels: stringMap,
      commonAnnotations: stringMap,
    }),
    helm: obj({
      releaseName: str,
      valueFiles: strings,
      values: free,
      valuesFrom: {
        type: "array",
        items: obj(
          {
            kind: { type: "string", enum: ["ConfigMap", "Secret"] },
            name: str,
            valuesKey: str,
            targetPath: str,
            optional: bool,
          },
          ["kind", "name"],
        ),
      },
      skipCrds: bool,
    }),
    decryption: obj({ provider: { type: "string", enum: ["sops"] }, secretRef: obj({ name: str }, ["name"]) }, [
      "provider",
      "secretRef",
    ]),
    credentialsRef: obj({ name: str }, ["name"]),
    postBuild: obj({
      substitute: stringMap,
      substituteFrom: {
        type: "array",
        items: obj({ kind: { type: "string", enum: ["ConfigMap", "Secret"] }, name: str, optional: bool }, [
          "kind",
          "name",
        ]),
      },
    }),
  },
  ["repoURL"],
);

const specSchema = obj(
  {
    project: str,
    source: sourceSchema,
    sources: { type: "array", items: sourceSchema },
    destination: obj({ namespace: str, server: str, name: str }),
    syncPolicy: obj({
      automated: obj({ prune: bool, selfHeal: bool, allowEmpty: bool }),
      interval: str,
      timeout: str,
      retry: obj({
        limit: { type: "integer", minimum: 0 },
        backoff: obj({ duration: str, factor: { type: "number" }, maxDuration: str }),
      }),
      syncOptions: strings,
      suspend: bool,
      autoRollback: bool,
    }),
    ignoreDifferences: {
      type: "array",
      items: obj(
        { group: str, kind: str, name: str, namespace: str, jsonPointers: strings, managedFieldsManagers: strings },
        ["kind"],
      ),
    },
    driftPolicy: {
      type: "array",
      items: obj(
        {
          managers: strings,
          jsonPointers: strings,
          kinds: strings,
          action: { type: "string", enum: ["revert", "detect", "allow"] },
        },
        ["action"],
      ),
    },
    healthChecks: {
      type: "array",
      items: obj(
        {
          apiVersion: { type: "string", minLength: 1 },
          kind: { type: "string", minLength: 1 },
          current: { type: "string", minLength: 1 },
          inProgress: str,
          failed: str,
        },
        ["apiVersion", "kind", "current"],
      ),
    },
    dependsOn: { type: "array", items: obj({ name: { type: "string", minLength: 1 }, namespace: str }, ["name"]) },
  },
  ["destination"],
);

const groupKinds: Schema = { type: "array", items: obj({ group: str, kind: str }, ["group", "kind"]) };

const projectSpecSchema = obj({
  description: str,
  sourceRepos: strings,
  destinations: { type: "array", items: obj({ namespace: str, server: str, name: str }) },
  sourceNamespaces: strings,
  clusterResourceWhitelist: groupKinds,
  clusterResourceBlacklist: groupKinds,
  namespaceResourceWhitelist: groupKinds,
  namespaceResourceBlacklist: groupKinds,
  serviceAccount: obj({ namespace: { type: "string", minLength: 1 }, name: { type: "string", minLength: 1 } }, [
    "namespace",
    "name",
  ]),
  syncWindows: {
    type: "array",
    items: obj(
      {
        kind: { type: "string", enum: ["allow", "deny"] },
        schedule: { type: "string", minLength: 1 },
        duration: { type: "string", minLength: 1 },
        applications: strings,
        namespaces: strings,
        clusters: strings,
        manualSync: bool,
        timeZone: str,
      },
      ["kind", "schedule", "duration"],
    ),
  },
});

interface CrdNames {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
}

function crd(
  names: CrdNames,
  spec: Schema,
  columns: Array<{ name: string; type: string; jsonPath: string; priority?: number }>,
  options: { status: boolean; required: string[] },
): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${names.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: { ...names, categories: ["bosun"] },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          ...(options.status ? { subresources: { status: {} } } : {}),
          additionalPrinterColumns: columns,
          schema: {
            openAPIV3Schema: obj(
              {
                apiVersion: str,
                kind: str,
                metadata: { type: "object" },
                spec,
                ...(options.status ? { status: free } : {}),
              },
              options.required,
            ),
          },
        },
      ],
    },
  };
}

const AGE = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** The Application CRD: OpenAPI schema for spec, a status subresource, and kubectl printer columns. */
export function applicationCrd(): KubeObject {
  return crd(
    { kind: APPLICATION_KIND, plural: APPLICATION_PLURAL, singular: "application", shortNames: ["app", "apps"] },
    specSchema,
    [
      { name: "Project", type: "string", jsonPath: ".spec.project", priority: 1 },
      { name: "Sync", type: "string", jsonPath: ".status.sync.status" },
      { name: "Health", type: "string", jsonPath: ".status.health.status" },
      { name: "Revision", type: "string", jsonPath: ".status.sync.revision" },
      AGE,
    ],
    { status: true, required: ["spec"] },
  );
}

/** The Project CRD: what the Applications of one team may change. */
export function projectCrd(): KubeObject {
  return crd(
    { kind: PROJECT_KIND, plural: PROJECT_PLURAL, singular: "project", shortNames: ["proj"] },
    projectSpecSchema,
    [
      { name: "Service Account", type: "string", jsonPath: ".spec.serviceAccount.name" },
      { name: "Description", type: "string", jsonPath: ".spec.description", priority: 1 },
      AGE,
    ],
    { status: false, required: ["spec"] },
  );
}

const selectorSchema = obj({
  matchLabels: stringMap,
  matchExpressions: {
    type: "array",
    items: obj(
      {
        key: str,
        operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
        values: strings,
      },
      ["key", "operator"],
    ),
  },
});

const leafGenerators = {
  list: obj({ elements: { type: "array", items: free } }, ["elements"]),
  clusters: obj({ selector: selectorSchema, values: stringMap }),
  git: obj(
    {
      repoURL: { type: "string", minLength: 1 },
      revision: str,
      directories: { type: "array", items: obj({ path: str, exclude: bool }, ["path"]) },
      files: { type: "array", items: obj({ path: str }, ["path"]) },
      credentialsRef: obj({ name: str }, ["name"]),
      requeueAfterSeconds: { type: "integer", minimum: 1 },
    },
    ["repoURL"],
  ),
};

const applicationSetSpecSchema = obj(
  {
    generators: {
      type: "array",
      items: obj({
        ...leafGenerators,
        matrix: obj({ generators: { type: "array", minItems: 2, maxItems: 2, items: obj(leafGenerators) } }, [
          "generators",
        ]),
      }),
    },
    template: obj({ metadata: free, spec: free }, ["metadata", "spec"]),
    syncPolicy: obj({ preserveResourcesOnDeletion: bool }),
  },
  ["generators", "template"],
);

/** The ApplicationSet CRD: Applications generated from a template and generators, as Argo CD's. */
export function applicationSetCrd(): KubeObject {
  return crd(
    { kind: APPLICATION_SET_KIND, plural: APPLICATION_SET_PLURAL, singular: "applicationset", shortNames: ["appset"] },
    applicationSetSpecSchema,
    [
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
      AGE,
    ],
    { status: true, required: ["spec"] },
  );
}

const notifierSpecSchema = obj(
  {
    type: { type: "string", enum: [...NOTIFIER_TYPES] },
    address: str,
    secretRef: obj({ name: { type: "string", minLength: 1 }, key: str }, ["name"]),
    events: { type: "array", items: { type: "string", enum: [...NOTIFICATION_EVENTS] } },
    applications: strings,
    suspend: bool,
  },
  ["type"],
);

/** The Notifier CRD: where bosun tells what happens to Applications (webhook, Slack, commit statuses). */
export function notifierCrd(): KubeObject {
  return crd(
    { kind: NOTIFIER_KIND, plural: NOTIFIER_PLURAL, singular: "notifier", shortNames: ["ntf"] },
    notifierSpecSchema,
    [
      { name: "Type", type: "string", jsonPath: ".spec.type" },
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: "Reason", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].reason' },
      { name: "Last Delivery", type: "string", jsonPath: ".status.lastDelivery.result", priority: 1 },
      AGE,
    ],
    { status: true, required: ["spec"] },
  );
}

const RBAC = "rbac.authorization.k8s.io";
const READ = ["get", "list", "watch"];

/** The names `bosun install` gives the agent's identities: `bosun-agent` and `bosun-deployer` in namespace bosun. */
export function installNames(namespace: string = DEFAULT_APP_NAMESPACE): { agent: string; deployer: string } {
  // Cluster-scoped names carry the namespace, so two installs in two namespaces do not share a role.
  return { agent: `${namespace}-agent`, deployer: `${namespace}-deployer` };
}

function binding(kind: "ClusterRoleBinding" | "RoleBinding", name: string, namespace: string, role: string) {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: kind === "RoleBinding" ? { name, namespace } : { name },
    roleRef: { apiGroup: RBAC, kind: kind === "RoleBinding" ? "Role" : "ClusterRole", name: role },
    subjects: [{ kind: "ServiceAccount", name, namespace }],
  };
}

/**
 * What `bosun install` applies: the CRDs, the agent's namespace, and two identities.
 *
 * - `<ns>-agent`, the agent itself: reads everything (its watch caches, discovery, drift), writes only in its
 *   own namespace (Applications, Projects, Notifiers' status, API tokens, sealing keys, Events, the
 *   notifications' delivery state), records Events and status on
 *   Applications elsewhere, and impersonates service accounts, which is how every write outside its
 *   namespace happens. With `--sealed-secrets` it also writes the Secrets it unseals.
 * - `<ns>-deployer`, the identity of the `default` project: full write. A Project naming its own
 *   `serviceAccount` writes with that account's RBAC instead.
 */
export function installManifests(namespace: string = DEFAULT_APP_NAMESPACE): KubeObject[] {
  const { agent, deployer } = installNames(namespace);
  return [
    applicationCrd(),
    projectCrd(),
    applicationSetCrd(),
    notifierCrd(),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: agent, namespace } },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: agent },
      rules: [
        // Watch caches of every kind an Application manages, discovery, and the live side of every diff.
        { apiGroups: ["*"], resources: ["*"], verbs: READ },
        { nonResourceURLs: ["*"], verbs: ["get"] },
        // Every write outside the agent's namespace goes through a project's service account.
        { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
        // Status, finalizers and Events of Applications living outside the agent's namespace.
        { apiGroups: [GROUP], resources: ["applications", "applications/status"], verbs: ["update", "patch"] },
        { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch"] },
        // --sealed-secrets: the Secrets it unseals and the SealedSecrets' status.
        { apiGroups: [""], resources: ["secrets"], verbs: ["create", "update", "patch"] },
        {
          apiGroups: ["bitnami.com"],
          resources: ["sealedsecrets", "sealedsecrets/status"],
          verbs: ["update", "patch"],
        },
      ],
    },
    binding("ClusterRoleBinding", agent, namespace, agent),
    {
      apiVersion: `${RBAC}/v1`,
      kind: "Role",
      metadata: { name: agent, namespace },
      // Its own namespace: Applications (generated by ApplicationSets), Projects, the API tokens, sealing keys and
      // cluster Secrets, Events, and the Leases of leader election. No workloads: nothing here runs as the agent.
      rules: [
        {
          apiGroups: [GROUP],
          resources: ["applications", "applicationsets", "projects", "notifiers"].flatMap((r) => [r, `${r}/status`]),
          verbs: ["*"],
        },
        { apiGroups: [""], resources: ["secrets", "events"], verbs: ["*"] },
        { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["*"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["*"] },
        // The notifications' delivery state (pending deliveries, the ones sent) survives a restart here.
        { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "update", "patch"] },
      ],
    },
    binding("RoleBinding", agent, namespace, agent),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: deployer, namespace } },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: deployer },
      // The default project applies whatever its repositories hold; bosun's project checks bound it first.
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    },
    binding("ClusterRoleBinding", deployer, namespace, deployer),
    defaultProject(namespace, { namespace, name: deployer }) as unknown as KubeObject,
  ];
}
