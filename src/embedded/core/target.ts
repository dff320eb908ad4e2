import type { KubeObject } from "../../api/index.js";
import type { ResourceName } from "../errors.js";
import { groupVersion, type ResourceType } from "../resources/resource-type.js";
import type { ObjectKey } from "../store/object-key.js";

/** What a request addresses: a resource at one served version, in a namespace ("" for cluster scope). */
export interface Target {
  type: ResourceType;
  version: string;
  namespace: string;
}

export function keyOf(target: Target, name: string): ObjectKey {
  return {
    group: target.type.group,
    resource: target.type.plural,
    namespace: target.type.namespaced ? target.namespace : "",
    name,
  };
}

export function resourceName(target: Target): ResourceName {
  return { group: target.type.group, resource: target.type.plural };
}

export function apiVersionOf(target: Target): string {
  return groupVersion(target.type.group, target.version);
}

/** An object as served at the target's version (custom resources are stored once and served at each). */
export function present(obj: KubeObject, target: Target): KubeObject {
  return { ...obj, apiVersion: apiVersionOf(target), kind: target.type.kind };
}
