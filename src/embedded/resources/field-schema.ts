// What the merge algorithms need to know about a kind's fields: how each list merges (by key, as a set,
// or atomically) and which maps are atomic. Built-in kinds carry the merge keys and list types of their
// Go types (`patchMergeKey`, `listType`, `listMapKey`, `structType=atomic`); custom resources use the
// structural rules for metadata and treat other lists as atomic.

export type ListType =
  /** An associative list: items are identified by `keys` (SSA) and merged by `patchKey` (strategic merge). */
  | { type: "map"; keys: readonly string[]; patchKey: string }
  /** A set of scalars (metadata.finalizers). */
  | { type: "set" }
  | { type: "atomic" };

export interface FieldSchema {
  /** Path: field names from the object's root, list items skipped. */
  list(path: readonly string[]): ListType;
  atomicMap(path: readonly string[]): boolean;
  /** Strategic merge patch is served for built-in kinds only (as the API server does). */
  readonly strategic: boolean;
}

const ATOMIC: ListType = { type: "atomic" };

function byName(key: string, ...more: string[]): ListType {
  return { type: "map", keys: [key, ...more], patchKey: key };
}

const POD_LISTS: Readonly<Record<string, ListType>> = {
  containers: byName("name"),
  initContainers: byName("name"),
  ephemeralContainers: byName("name"),
  env: byName("name"),
  volumes: byName("name"),
  volumeMounts: byName("mountPath"),
  volumeDevices: byName("devicePath"),
  imagePullSecrets: byName("name"),
  hostAliases: byName("ip"),
  resourceClaims: byName("name"),
  schedulingGates: byName("name"),
  topologySpreadConstraints: byName("topologyKey", "whenUnsatisfiable"),
  conditions: byName("type"),
};

const CONTAINER_FIELDS = new Set(["containers", "initContainers", "ephemeralContainers"]);

function metadataList(path: readonly string[]): ListType | undefined {
  if (path.length !== 2 && !(path.length === 4 && path[1] === "template")) return undefined;
  const last = path[path.length - 1];
  if (path[path.length - 2] !== "metadata") return undefined;
  if (last === "finalizers") return { type: "set" };
  if (last === "ownerReferences") return byName("uid");
  return undefined;
}

function builtinList(kind: string, path: readonly string[]): ListType {
  const last = path[path.length - 1] ?? "";
  if (last === "ports") {
    const parent = path[path.length - 2] ?? "";
    if (CONTAINER_FIELDS.has(parent))
      return { type: "map", keys: ["containerPort", "protocol"], patchKey: "containerPort" };
    if (kind === "Service" && path.length === 2) return { type: "map", keys: ["port", "protocol"], patchKey: "port" };
    return ATOMIC;
  }
  if (last === "conditions" && path[0] !== "status" && kind !== "Pod") return ATOMIC;
  return POD_LISTS[last] ?? ATOMIC;
}

const ATOMIC_MAP_FIELDS = new Set(["podSelector", "namespaceSelector", "labelSelector", "roleRef", "scaleTargetRef"]);

function builtinAtomicMap(kind: string, path: readonly string[]): boolean {
  const last = path[path.length - 1] ?? "";
  if (last === "selector") return !(kind === "Service" && path.length === 2);
  return ATOMIC_MAP_FIELDS.has(last);
}

export function builtinFieldSchema(kind: string): FieldSchema {
  return {
    strategic: true,
    list: (path) => metadataList(path) ?? builtinList(kind, path),
    atomicMap: (path) => path[0] !== "metadata" && builtinAtomicMap(kind, path),
  };
}

/** Custom resources: metadata lists merge as for every kind, conditions by type, the rest atomically. */
export function customFieldSchema(): FieldSchema {
  return {
    strategic: false,
    list: (path) => {
      const meta = metadataList(path);
      if (meta) return meta;
      if (path.length === 2 && path[0] === "status" && path[1] === "conditions") return byName("type");
      return ATOMIC;
    },
    atomicMap: () => false,
  };
}
