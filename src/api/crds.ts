import { APPLICATION_KIND, APPLICATION_PLURAL, DEFAULT_APP_NAMESPACE } from "./application.js";
import { GROUP } from "./names.js";
import type { KubeObject } from "./object.js";

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
    helm: obj({ releaseName: str, valueFiles: strings, values: free, skipCrds: bool }),
    decryption: obj({ provider: { type: "string", enum: ["sops"] }, secretRef: obj({ name: str }, ["name"]) }, [
      "provider",
      "secretRef",
    ]),
    credentialsRef: obj({ name: str }, ["name"]),
  },
  ["repoURL"],
);

const specSchema = obj(
  {
    source: sourceSchema,
    destination: obj({ namespace: str, server: str }),
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
    }),
    ignoreDifferences: {
      type: "array",
      items: obj(
        { group: str, kind: str, name: str, namespace: str, jsonPointers: strings, managedFieldsManagers: strings },
        ["kind"],
      ),
    },
  },
  ["source", "destination"],
);

/** The Application CRD: OpenAPI schema for spec, a status subresource, and kubectl printer columns. */
export function applicationCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${APPLICATION_PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: "Namespaced",
      names: {
        plural: APPLICATION_PLURAL,
        singular: "application",
        kind: APPLICATION_KIND,
        shortNames: ["app", "apps"],
        categories: ["bosun"],
      },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Sync", type: "string", jsonPath: ".status.sync.status" },
            { name: "Health", type: "string", jsonPath: ".status.health.status" },
            { name: "Revision", type: "string", jsonPath: ".status.sync.revision" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: obj(
              { apiVersion: str, kind: str, metadata: { type: "object" }, spec: specSchema, status: free },
              ["spec"],
            ),
          },
        },
      ],
    },
  };
}

/** What `bosun install` applies: the CRD, the agent's namespace, service account and cluster-wide RBAC. */
export function installManifests(namespace: string = DEFAULT_APP_NAMESPACE): KubeObject[] {
  const name = "bosun-agent";
  return [
    applicationCrd(),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      // A GitOps agent applies whatever the repository holds, so it needs to manage every kind.
      rules: [
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  ];
}
