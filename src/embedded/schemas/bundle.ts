// The Kubernetes API's published schemas at the pinned version, extracted by `npm run kube-api-schemas`
// into api-schemas/kubernetes-api.json.gz: OpenAPI v3 component schemas and v2 definitions (from
// k8s.io/kubernetes/api/openapi-spec) and the protobuf messages of k8s.io/api. Loaded once, on first use.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export interface ProtoField {
  id: number;
  /** The JSON name (go-to-protobuf names fields after their JSON names). */
  name: string;
  /** A scalar (`string`, `bytes`, `bool`, `int32`, `int64`, `double`) or a message's qualified name. */
  type: string;
  repeated?: boolean;
  /** `map<string, type>`. */
  map?: boolean;
  /** Zero is a value (a pointer field, or one JSON writes even when empty), not an absent field. */
  keepZero?: boolean;
  /** An embedded struct JSON inlines (`json:",inline"`): its fields are the enclosing object's. */
  inline?: boolean;
}

export type ProtoMessages = Record<string, ProtoField[]>;

export type OpenApiSchema = Record<string, unknown>;

export interface KubernetesApiBundle {
  kubernetesVersion: string;
  openapiV3: Record<string, OpenApiSchema>;
  openapiV2: Record<string, OpenApiSchema>;
  protobuf: {
    /** apiVersion (`v1`, `apps/v1`) → proto package (`k8s.io.api.core.v1`). */
    packages: Record<string, string>;
    messages: ProtoMessages;
    /** Messages standing for named slices (`ExtraValue`): a JSON array of their `items`. */
    wrappers: string[];
  };
}

export const BUNDLE_FILE = fileURLToPath(new URL("../../../api-schemas/kubernetes-api.json.gz", import.meta.url));

let loaded: KubernetesApiBundle | undefined;

export function kubernetesApiBundle(): KubernetesApiBundle {
  if (!loaded) loaded = JSON.parse(gunzipSync(readFileSync(BUNDLE_FILE)).toString("utf8")) as KubernetesApiBundle;
  return loaded;
}
