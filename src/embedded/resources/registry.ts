// The resources the server serves: the built-in kinds and one resource per established
// CustomResourceDefinition, looked up by REST path (group, version, plural) or by kind.

import type { KubeObject } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import { BUILTIN_KINDS } from "./builtin-kinds.js";
import { customFieldSchema } from "./field-schema.js";
import type { PrinterColumn, ResourceType, ScalePaths } from "./resource-type.js";

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources?: { status?: unknown; scale?: ScalePaths };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: Array<{ jsonPath?: unknown }>;
  schema?: { openAPIV3Schema?: unknown };
}

interface CrdSpec {
  group: string;
  scope: string;
  names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
  versions: CrdVersion[];
}

/** The resource a CustomResourceDefinition defines; undefined when its spec is not usable. */
export function crdResourceType(crd: KubeObject): ResourceType | undefined {
  const spec = crd.spec as CrdSpec | undefined;
  if (!isRecord(spec) || !spec.group || !isRecord(spec.names) || !Array.isArray(spec.versions)) return undefined;
  const served = spec.versions.filter((v) => v.served);
  const storage = spec.versions.find((v) => v.storage) ?? served[0];
  if (!storage || served.length === 0) return undefined;
  const versions = [storage, ...served.filter((v) => v !== storage)].map((v) => v.name);
  const type: ResourceType = {
    group: spec.group,
    versions,
    kind: spec.names.kind,
    plural: spec.names.plural,
    singular: spec.names.singular || spec.names.kind.toLowerCase(),
    namespaced: spec.scope !== "Cluster",
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    status: storage.subresources?.status !== undefined,
    builtin: false,
    generation: true,
    schema: customFieldSchema(),
    printerColumns: storage.additionalPrinterColumns ?? [],
  };
  if (storage.subresources?.scale) type.scale = storage.subresources.scale;
  const schemas = served.flatMap((v) =>
    isRecord(v.schema?.openAPIV3Schema) ? [[v.name, v.schema.openAPIV3Schema]] : [],
  );
  if (schemas.length > 0) type.openApiSchemas = Object.fromEntries(schemas);
  const selectable = served.map(
    (v) =>
      [
        v.name,
        (v.selectableFields ?? []).flatMap((f) => (typeof f.jsonPath === "string" ? [f.jsonPath] : [])),
      ] as const,
  );
  if (selectable.some(([, paths]) => paths.length > 0)) type.selectableFields = Object.fromEntries(selectable);
  return type;
}

export class ResourceRegistry {
  private custom: ResourceType[] = [];
  /** Bumped whenever the custom resources are replaced, so what is derived from them can be cached. */
  revision = 0;

  /** Replaces the custom resources with those of these (established) CRDs. */
  setCustomResourceDefinitions(crds: readonly KubeObject[]): void {
    this.custom = crds.flatMap((crd) => {
      const type = crdResourceType(crd);
      return type ? [type] : [];
    });
    this.revision++;
  }

  all(): readonly ResourceType[] {
    return [...BUILTIN_KINDS, ...this.custom];
  }

  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  /** The resource stored under (group, plural), whatever version is asked for. */
  byPlural(group: string, plural: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.plural === plural);
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.kind === kind);
  }

  /** Group → versions served (preferred first), in a stable order: built-in groups first. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.all()) {
      const versions = out.get(t.group) ?? [];
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
      out.set(t.group, versions);
    }
    return out;
  }
}
