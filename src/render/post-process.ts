// After render and decryption: the destination namespace on namespaced objects that have none, no namespace on
// cluster-scoped ones, the tracking annotation on all; and one object per identity. Pure.
import { ANNOTATIONS, describeRef, type KubeObject, refOf, trackingId } from "../api/index.js";
import { RenderError } from "./errors.js";
import type { AppIdentity, RenderedDocument } from "./types.js";

export interface FinalizeOptions {
  documents: readonly RenderedDocument[];
  app: AppIdentity;
  /** "" leaves namespaced objects without a namespace as they are. */
  destinationNamespace: string;
  isNamespaced: (apiVersion: string, kind: string) => boolean;
}

function where(doc: RenderedDocument): string {
  return doc.file ?? "the render output";
}

/** Final objects, in render order. Two objects with one identity are an error naming both sources. */
export function finalizeObjects(options: FinalizeOptions): KubeObject[] {
  const seen = new Map<string, RenderedDocument>();
  return options.documents.map((doc) => {
    const object = doc.object;
    const metadata = { ...object.metadata };
    if (options.isNamespaced(object.apiVersion, object.kind)) {
      if (!metadata.namespace && options.destinationNamespace !== "") metadata.namespace = options.destinationNamespace;
    } else {
      delete metadata.namespace;
    }
    const out: KubeObject = { ...object, metadata };
    const ref = refOf(out);
    if (ref.name !== "") {
      const key = JSON.stringify([ref.group, ref.kind, ref.namespace, ref.name]);
      const first = seen.get(key);
      if (first !== undefined) {
        throw new RenderError(
          `${describeRef(ref)} is rendered twice (from ${where(first)} and from ${where(doc)}); an object may appear once`,
          doc.file !== undefined ? { file: doc.file } : {},
        );
      }
      seen.set(key, doc);
    }
    // A hook named by the server (metadata.generateName) is tracked by its prefix: its events still find the Application.
    const tracked = ref.name === "" && metadata.generateName ? { ...ref, name: metadata.generateName } : ref;
    metadata.annotations = { ...metadata.annotations, [ANNOTATIONS.trackingId]: trackingId(options.app, tracked) };
    return out;
  });
}
