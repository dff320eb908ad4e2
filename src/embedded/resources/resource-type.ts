import type { KubeObject } from "../../api/index.js";
import type { FieldSchema } from "./field-schema.js";

/** Where a kind keeps what the scale subresource reads and writes. */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** One REST resource the server serves: a kind at one group, in the versions it is served at. */
export interface ResourceType {
  group: string;
  /** Versions served, the storage (preferred) version first. */
  versions: readonly string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  /** The status subresource: writes to the main resource keep status, writes to /status keep the rest. */
  status: boolean;
  scale?: ScalePaths;
  /** Built-in kinds; custom resources come from CustomResourceDefinitions. */
  builtin: boolean;
  /** metadata.generation is kept and bumped on changes outside metadata and status. */
  generation: boolean;
  schema: FieldSchema;
  printerColumns: readonly PrinterColumn[];
  /** Custom resources: each served version's selectableFields (jsonPaths such as `.spec.color`). */
  selectableFields?: Readonly<Record<string, readonly string[]>>;
  /** Custom resources: each served version's openAPIV3Schema, for the OpenAPI documents. */
  openApiSchemas?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * A kind served from another's storage (events.k8s.io Events are core Events): where its objects are kept,
   * and how they are converted on the way out and in.
   */
  storedAs?: StoredAs;
  /**
   * Fields Go's encoding/json writes even when unset (structs and non-omitempty strings: an Event's `source: {}`,
   * `firstTimestamp: null`): served with these values when the object has none.
   */
  alwaysEncoded?: Readonly<Record<string, unknown>>;
}

export interface StoredAs {
  group: string;
  plural: string;
  kind: string;
  version: string;
  fromStorage: (stored: KubeObject) => KubeObject;
  toStorage: (served: KubeObject) => KubeObject;
}

export const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"] as const;

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
