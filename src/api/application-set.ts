// The ApplicationSet resource (bosun.dev/v1alpha1): Applications generated from a template and parameter
// sets, in Argo CD's shape (generators list, clusters, git directories and files, matrix of two;
// `{{param}}` substitution; syncPolicy.preserveResourcesOnDeletion).
import type { Condition } from "./application.js";
import { GROUP } from "./names.js";
import type { NamespacedMeta } from "./object.js";

export const APPLICATION_SET_KIND = "ApplicationSet";
export const APPLICATION_SET_PLURAL = "applicationsets";
export const APPLICATION_SET_API_VERSION = `${GROUP}/v1alpha1`;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }>;
}

export interface ListGenerator {
  /** One parameter set each; nested objects are flattened with dots (`values.size`). */
  elements: Array<Record<string, unknown>>;
}

export interface ClusterGenerator {
  /** Over the cluster Secrets (and `in-cluster`, unless a selector is given); all when absent. */
  selector?: LabelSelector;
  /** Extra parameters for every cluster, as `values.KEY` (they may use the cluster's own parameters). */
  values?: Record<string, string>;
}

export interface GitGenerator {
  repoURL: string;
  revision?: string;
  /** Directories matching `path` (globs: `*` within a segment, `**` across); `exclude: true` removes. */
  directories?: Array<{ path: string; exclude?: boolean }>;
  /** JSON or YAML files matching `path`: each gives its (flattened) content as parameters. */
  files?: Array<{ path: string }>;
  /** A Secret labelled bosun.dev/secret-type=repository in the set's namespace. */
  credentialsRef?: { name: string };
  /** How often the repository is looked at again (default 180). */
  requeueAfterSeconds?: number;
}

export interface Generator {
  list?: ListGenerator;
  clusters?: ClusterGenerator;
  git?: GitGenerator;
  /** The combinations of two generators' parameter sets, merged. */
  matrix?: { generators: Generator[] };
}

export interface ApplicationSetSpec {
  generators: Generator[];
  /** An Application's metadata (name, labels, annotations, finalizers) and spec, with `{{param}}` placeholders. */
  template: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  syncPolicy?: {
    /** An Application the generators no longer produce is deleted without deleting what it deployed. */
    preserveResourcesOnDeletion?: boolean;
  };
}

export interface ApplicationSetStatus {
  /** The Applications the set generated, by name. */
  applications?: Array<{ name: string }>;
  /** Parameter sets whose template could not be made into an Application, and why. */
  errors?: string[];
  conditions?: Condition[];
  observedGeneration?: number;
}

export interface ApplicationSet {
  apiVersion: typeof APPLICATION_SET_API_VERSION;
  kind: typeof APPLICATION_SET_KIND;
  metadata: NamespacedMeta;
  spec: ApplicationSetSpec;
  status?: ApplicationSetStatus;
}
