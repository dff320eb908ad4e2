// Names the Bitnami Sealed Secrets controller and kubeseal use: bosun speaks them unchanged so SealedSecrets,
// key Secrets and kubeseal keep working across the two. Contracts with users' clusters: never change one.

export const SEALED_SECRET_GROUP = "bitnami.com";
export const SEALED_SECRET_API_VERSION = "bitnami.com/v1alpha1";
export const SEALED_SECRET_KIND = "SealedSecret";
export const SEALED_SECRET_PLURAL = "sealedsecrets";

/** Annotations of the `sealedsecrets.bitnami.com/` family; only the value "true" switches one on. */
export const SEALED_SECRETS_ANNOTATIONS = {
  /** On a SealedSecret (and the Secret it is sealed from): scope cluster-wide; wins over namespace-wide. */
  clusterWide: "sealedsecrets.bitnami.com/cluster-wide",
  /** On a SealedSecret (and the Secret it is sealed from): scope namespace-wide. */
  namespaceWide: "sealedsecrets.bitnami.com/namespace-wide",
  /** On an existing Secret: the controller may take it over. */
  managed: "sealedsecrets.bitnami.com/managed",
  /** In `spec.template.metadata.annotations`: the Secret gets no owner reference. */
  skipSetOwnerReferences: "sealedsecrets.bitnami.com/skip-set-owner-references",
} as const;

/** Label of the Secrets holding the controller's sealing keys, and its value. */
export const SEALING_KEY_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key";
export const SEALING_KEY_LABEL_VALUE = "active";
/** generateName of key Secrets; a Secret named exactly this is the legacy single key and is read too. */
export const SEALING_KEY_PREFIX = "sealed-secrets-key";

/** The condition type the controller writes on a SealedSecret. */
export const SYNCED_CONDITION = "Synced";

export const DEFAULT_CONTROLLER_NAMESPACE = "bosun";
export const DEFAULT_CONTROLLER_PORT = 8081;
/** A new sealing key every 30 days (Bitnami's `--key-renew-period` default of 720h). */
export const DEFAULT_KEY_RENEW_PERIOD_MS = 30 * 24 * 3_600_000;
export const DEFAULT_KEY_SIZE = 4096;
/** Certificates are valid for ten years (Bitnami's `--key-ttl` default), renewal or not. */
export const DEFAULT_CERT_VALIDITY_MS = 10 * 365 * 24 * 3_600_000;

/** Annotations kubeseal drops from the template: they would carry the plaintext Secret into Git. */
export const LAST_APPLIED_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "kubecfg.ksonnet.io/last-applied-configuration",
] as const;

/** Metadata the API server sets: a SealedSecret's template must not carry it into the Secret. */
export const SERVER_METADATA_FIELDS = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
  "ownerReferences",
] as const;
