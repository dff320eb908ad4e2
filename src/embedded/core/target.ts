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

/** Where the target's kind keeps its objects: its own group and plural, or those of the kind it is stored as. */
export function storageOf(type: ResourceType): { group: string; resource: string } {
  return type.storedAs
    ? { group: type.storedAs.group, resource: type.storedAs.plural }
    : { group: type.group, resource: type.plural };
}

export function keyOf(target: Target, name: string): ObjectKey {
  return { ...storageOf(target.type), namespace: target.type.namespaced ? target.namespace : "", name };
}

export function resourceName(target: Target): ResourceName {
  return { group: target.type.group, resource: target.type.plural };
}

export function apiVersionOf(target: Target): string {
  return groupVersion(target.type.group, target.version);
}

/**
 * An object as served at the target's version (custom resources are stored once and served at each; a kind
 * stored as another is converted from it).
 */
export function present(obj: KubeObject, target: Target): KubeObject {
  const served = target.type.storedAs ? target.type.storedAs.fromStorage(obj) : obj;
  return { ...target.type.alwaysEncoded, ...served, apiVersion: apiVersionOf(target), kind: target.type.kind };
}
