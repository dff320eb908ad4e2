// Application-level kustomize overrides, as the kustomization of a generated overlay. Pure.
import { RenderError } from "./errors.js";
import type { KustomizeImage, KustomizePatchTarget, KustomizeSpec } from "./types.js";

/** A patch ready for the overlay: always inline (file patches are read, inside the repo, by the caller). */
export interface InlinePatch {
  patch: string;
  target?: KustomizePatchTarget;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

/**
 * An image override in `kustomize edit set image` form: `name=newName:tag`, `name=newName@digest`,
 * `name=:tag` (keep the name), or `newName:tag` (name = newName without tag or digest).
 */
export function parseImageOverride(text: string): KustomizeImage {
  const eq = text.indexOf("=");
  const value = eq < 0 ? text : text.slice(eq + 1);
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let newTag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    newTag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const name = eq < 0 ? rest : text.slice(0, eq);
  if (name === "" || (digest !== undefined && digest === "") || (newTag !== undefined && newTag === "")) {
    throw new RenderError(`image override ${JSON.stringify(text)} is not NAME=[NEWNAME][:TAG][@DIGEST]`);
  }
  const image: KustomizeImage = { name };
  if (eq >= 0 && rest !== "" && rest !== name) image.newName = rest;
  if (newTag !== undefined) image.newTag = newTag;
  if (digest !== undefined) image.digest = digest;
  return image;
}

function normalizeImage(image: string | KustomizeImage): KustomizeImage {
  if (typeof image === "string") return parseImageOverride(image);
  if (typeof image.name !== "string" || image.name === "") throw new RenderError("an image override has no name");
  return image;
}

/** Whether the spec asks for anything the app's own kustomization does not do. */
export function hasOverrides(spec: KustomizeSpec): boolean {
  return (
    Boolean(spec.namePrefix) ||
    Boolean(spec.nameSuffix) ||
    Boolean(spec.namespace) ||
    (spec.images?.length ?? 0) > 0 ||
    (spec.patches?.length ?? 0) > 0 ||
    Object.keys(spec.commonLabels ?? {}).length > 0 ||
    (spec.labels?.length ?? 0) > 0 ||
    Object.keys(spec.commonAnnotations ?? {}).length > 0
  );
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The overlay's kustomization: the app directory (`resource`, relative to the overlay) plus the overrides.
 * commonLabels are written as `labels` with includeSelectors (the same effect, without kustomize's deprecation).
 */
export function overlayKustomization(
  spec: KustomizeSpec,
  resource: string,
  patches: readonly InlinePatch[],
): Record<string, unknown> {
  const k: Record<string, unknown> = {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [resource],
  };
  if (spec.namespace) {
    if (!DNS_LABEL.test(spec.namespace) || spec.namespace.length > 63) {
      throw new RenderError(`kustomize namespace override ${JSON.stringify(spec.namespace)} is not a valid namespace`);
    }
    k.namespace = spec.namespace;
  }
  if (spec.namePrefix) k.namePrefix = spec.namePrefix;
  if (spec.nameSuffix) k.nameSuffix = spec.nameSuffix;
  const images = (spec.images ?? []).map(normalizeImage);
  if (images.length > 0) k.images = images;
  const labels = [...(spec.labels ?? [])];
  if (Object.keys(spec.commonLabels ?? {}).length > 0) {
    labels.push({ pairs: { ...spec.commonLabels }, includeSelectors: true });
  }
  if (labels.length > 0) k.labels = labels;
  if (Object.keys(spec.commonAnnotations ?? {}).length > 0) k.commonAnnotations = { ...spec.commonAnnotations };
  if (patches.length > 0) k.patches = patches;
  return k;
}
